/**
 * The files of sources: a space's list of sources, a source's passages (and their vectors), and the
 * original file, base64 (where each lives: `store/layout.ts`). All pass through the store's codec,
 * so they are encrypted when encryption is on.
 */
import { z } from 'zod';
import { sourceFormats } from '../../../shared/domain';
import { documentSpec } from '../store/DocumentAdapter';

const recordSchema = z.object({
  id: z.string(),
  spaceId: z.string(),
  loopId: z.string().optional(),
  name: z.string(),
  fileName: z.string(),
  format: z.enum(sourceFormats),
  mimeType: z.string(),
  bytes: z.number(),
  sha256: z.string(),
  pages: z.number().optional(),
  sections: z.number(),
  passages: z.number(),
  addedAt: z.string(),
  usedInTurns: z.number(),
  lastUsedAt: z.string().optional(),
  pinnedIn: z.array(z.string()),
  leftOutOf: z.array(z.string()),
  /** The loops whose turns cite it: their citations are wiped when it is removed. */
  usedInLoops: z.array(z.string()),
  /** The embedding model its passages' vectors came from, when they have vectors. */
  embeddedWith: z.string().optional(),
});
export type SourceRecord = z.infer<typeof recordSchema>;

const listSchema = z.object({ version: z.literal(1), sources: z.array(recordSchema) });
export type SourceList = z.infer<typeof listSchema>;
export const listSpec = (spaceId: string) =>
  documentSpec<SourceList>(`the list of sources of a space (sources/space-${spaceId}.json)`, listSchema);

const passagesSchema = z.object({
  version: z.literal(1),
  passages: z.array(
    z.object({
      index: z.number(),
      page: z.number().optional(),
      section: z.string().optional(),
      text: z.string(),
    }),
  ),
  /** The embedding model the vectors came from, and one vector per passage. */
  model: z.string().optional(),
  vectors: z.array(z.array(z.number())).optional(),
});
export type StoredPassages = z.infer<typeof passagesSchema>;
export const passagesSpec = (name: string) =>
  documentSpec<StoredPassages>(`the passages of “${name}”`, passagesSchema);

const fileSchema = z.object({
  version: z.literal(1),
  fileName: z.string(),
  mimeType: z.string(),
  base64: z.string(),
});
export type StoredFile = z.infer<typeof fileSchema>;
export const fileSpec = (name: string) => documentSpec<StoredFile>(`the copy of “${name}”`, fileSchema);

export type StoredPassage = StoredPassages['passages'][number];
