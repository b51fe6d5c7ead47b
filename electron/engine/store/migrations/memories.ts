/**
 * Memory file (`memory/everywhere.json`, `memory/space-<id>.json`) migrations, indexed by the
 * version they upgrade from (one file per step):
 * - 0 → 1: none (every memory file was written with version 1).
 * - 1 → 2 (`memories.2.ts`): an item's `source` (where it came from) is called `origin`.
 */
import type { Migration } from '../DocumentAdapter';
import { toVersion2 } from './memories.2';

export const memoriesMigrations: readonly Migration[] = [(document) => document, toVersion2];
