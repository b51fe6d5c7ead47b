/** Sources (the person's documents) and search across everything. */
import { z } from 'zod';
import {
  idSchema,
  searchKinds,
  sourceFormats,
  sourceLoopStates,
  daySchema,
  type SearchResult,
  type Source,
  type SourcePassage,
} from '../domain';
import { call, limits, nameSchema, uploadIdSchema } from './spec';

export const sourcesCalls = {
  /**
   * Adds one of the person's documents (`file`: the id an upload of its bytes returned) or pasted text to a space, or to one loop of
   * it. It is read on this machine, cut into passages located by page or section, indexed, and a
   * copy kept in the data folder. Resolves once it is in; `source.progress` events (with the
   * caller's `uploadId`) tell how a large file goes. A file that cannot be read fails with
   * `source-unreadable` and a message naming it and why. The same file added again is not copied
   * twice: the result says it was already there.
   */
  addSource: call<{ source: Source; alreadyAdded: boolean }>()(
    z
      .object({
        spaceId: idSchema,
        loopId: idSchema.optional(),
        fileName: nameSchema,
        /** Guessed from the file name when absent. */
        format: z.enum(sourceFormats).optional(),
        mimeType: z.string().max(limits.name).optional(),
        file: uploadIdSchema.optional(),
        text: z.string().max(limits.sourceText, `must be at most ${limits.sourceText} characters`).optional(),
        uploadId: z.string().max(100).optional(),
      })
      .strict()
      .refine((input) => (input.file === undefined) !== (input.text === undefined), {
        message: 'needs either the file or the pasted text',
        path: ['file'],
      }),
    { largeBody: true },
  ),

  /**
   * The sources of a space (with `loopId`: those a loop can draw from, its space's and its own),
   * oldest first.
   */
  listSources: call<Source[]>()(z.object({ spaceId: idSchema, loopId: idSchema.optional() }).strict()),

  /** A source's passages in order, for reading it at a place. */
  readSource: call<{ source: Source; passages: SourcePassage[] }>()(
    z.object({ sourceId: idSchema }).strict(),
  ),

  /** The original file as it was added (base64), to open it in another application. */
  getSourceFile: call<{ fileName: string; mimeType: string; base64: string }>()(
    z.object({ sourceId: idSchema }).strict(),
  ),

  /** Renames a source (what Keel and the citations call it; the copy of the file is unchanged). */
  renameSource: call<Source>()(z.object({ sourceId: idSchema, name: nameSchema }).strict()),

  /**
   * Removes a source for good: its copy, passages and vectors are deleted from the data folder and
   * its backups, it leaves the index, and turns that cited it keep only "a removed source".
   */
  removeSource: call<{ removed: string }>()(z.object({ sourceId: idSchema }).strict()),

  /** Pins a source to a loop (always in context when it fits), leaves it out of the loop, or neither. */
  setSourceInLoop: call<Source>()(
    z.object({ sourceId: idSchema, loopId: idSchema, state: z.enum(sourceLoopStates) }).strict(),
  ),

  /**
   * Searches everything: loops (title and intent), turns, drafts, decisions and memories, best
   * first, with optional filters by space, kind and date (`YYYY-MM-DD`, inclusive).
   */
  search: call<SearchResult[]>()(
    z
      .object({
        query: z.string().trim().min(1, 'cannot be empty').max(limits.name),
        spaceId: idSchema.optional(),
        kinds: z.array(z.enum(searchKinds)).max(searchKinds.length).optional(),
        from: daySchema.optional(),
        to: daySchema.optional(),
        limit: z.number().int().min(1).max(200).optional(),
      })
      .strict(),
  ),
} as const;
