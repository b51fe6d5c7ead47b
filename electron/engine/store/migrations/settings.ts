/**
 * Settings file migrations, indexed by the version they upgrade from (one file per step):
 * - 1 → 2 (`settings.2.ts`): an empty model means "not chosen".
 * - 2 → 3 (`settings.3.ts`): the model runtime became a choice; older files start on automatic.
 */
import type { Migration } from '../DocumentAdapter';
import { toVersion2 } from './settings.2';
import { toVersion3 } from './settings.3';

export const settingsMigrations: readonly Migration[] = [(document) => document, toVersion2, toVersion3];
