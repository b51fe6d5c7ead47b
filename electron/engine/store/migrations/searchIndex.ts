/**
 * Search index file migrations, indexed by the version they upgrade from (one file per step):
 * - 1 → 2 (`searchIndex.2.ts`): sources are indexed too; a version-1 file indexed none.
 */
import type { Migration } from '../DocumentAdapter';
import { toVersion2 } from './searchIndex.2';

export const searchIndexMigrations: readonly Migration[] = [(document) => document, toVersion2];
