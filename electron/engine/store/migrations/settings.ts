/**
 * Settings file migrations, indexed by the version they upgrade from (one file per step):
 * - 1 → 2 (`settings.2.ts`): an empty model means "not chosen".
 */
import type { Migration } from '../DocumentAdapter';
import { toVersion2 } from './settings.2';

export const settingsMigrations: readonly Migration[] = [(document) => document, toVersion2];
