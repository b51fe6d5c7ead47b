/**
 * Catalog migrations, indexed by the version they upgrade from (one file per step):
 * - 0 → 1: none (every catalog was written with version 1).
 * - 1 → 2 (`catalog.2.ts`): the ledger's entries of version 1 are dropped and indexed again.
 */
import type { Migration } from '../DocumentAdapter';
import { toVersion2 } from './catalog.2';

export const catalogMigrations: readonly Migration[] = [(document) => document, toVersion2];
