/**
 * The search index's file, `search/index.json`: the index itself and, beside it, when each loop and
 * memory was last indexed. It is not backed up (it is made again from the data), but it is
 * encrypted with the rest.
 */
import { z } from 'zod';
import { documentSpec } from '../store/DocumentAdapter';
import { searchIndexMigrations } from '../store/migrations/searchIndex';

const indexFileSchema = z.object({
  version: z.literal(2),
  /** The index itself (`TextIndex.toJSON`), or null before the first write. */
  index: z.unknown(),
  /** When each loop was indexed (its catalog `updatedAt`) and the ids of its documents. */
  loops: z.record(z.string(), z.object({ at: z.string(), ids: z.array(z.string()) })),
  /** When each memory was indexed (its `revisedAt`). */
  memories: z.record(z.string(), z.string()),
  /** The ids of each indexed source's passages. */
  sources: z.record(z.string(), z.array(z.string())),
});
export type IndexFile = z.infer<typeof indexFileSchema>;

export const indexSpec = documentSpec<IndexFile>(
  'the search index (search/index.json)',
  indexFileSchema,
  searchIndexMigrations,
);

export const emptyIndexFile: IndexFile = { version: 2, index: null, loops: {}, memories: {}, sources: {} };
