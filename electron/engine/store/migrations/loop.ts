/**
 * Loop file migrations, indexed by the version they upgrade from (one file per step, named by the
 * version it makes):
 * - 1 → 2 (`loop.2.ts`): draft versions and decisions arrived; a version-1 loop had neither.
 * - 2 → 3 (`loop.3.ts`): decisions hold forecasts; a decision's prediction and confidence become its one forecast.
 */
import type { Migration } from '../DocumentAdapter';
import { toVersion2 } from './loop.2';
import { toVersion3 } from './loop.3';

export const loopMigrations: readonly Migration[] = [(document) => document, toVersion2, toVersion3];
