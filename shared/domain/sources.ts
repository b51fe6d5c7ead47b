/** The person's documents (sources), their passages, and the passages a turn was given. */
import { z } from 'zod';

/**
 * A passage of a source as a turn records it: which passage, and where it sits in the source (a PDF's
 * page, a document's section, a table's rows). `removed` once the person removed the source: its
 * location is then wiped from the turn too.
 */
export const passageRefSchema = z.object({
  label: z.string(),
  sourceId: z.string(),
  index: z.number().int().nonnegative(),
  page: z.number().int().positive().optional(),
  section: z.string().optional(),
  removed: z.literal(true).optional(),
});
export type PassageRef = z.infer<typeof passageRefSchema>;

/** The kinds of file (and pasted text) Keel reads as sources. */
export const sourceFormats = ['pdf', 'docx', 'markdown', 'text', 'csv', 'html'] as const;
export type SourceFormat = (typeof sourceFormats)[number];

/** Whether a space's source is pinned to a loop (always in context when it fits) or left out of it. */
export const sourceLoopStates = ['auto', 'pinned', 'left-out'] as const;
export type SourceLoopState = (typeof sourceLoopStates)[number];

/**
 * One of the person's documents, read on this machine. It belongs to a space, and to one loop of it
 * when `loopId` is set; a copy of the original sits in the data folder.
 */
export interface Source {
  id: string;
  spaceId: string;
  /** Set when the source was added to one loop rather than to the whole space. */
  loopId?: string;
  /** What the person calls it (the file name at first; they can rename it). */
  name: string;
  /** The file's name as it was added. */
  fileName: string;
  format: SourceFormat;
  mimeType: string;
  /** Size of the original file, in bytes. */
  bytes: number;
  /** A PDF's pages. */
  pages?: number;
  /** How many sections (headings, pages, row groups) its passages are located by. */
  sections: number;
  passages: number;
  addedAt: string;
  /** How many AI turns were given passages of it. */
  usedInTurns: number;
  lastUsedAt?: string;
  /** Loops it is pinned to, and loops it is left out of. */
  pinnedIn: string[];
  leftOutOf: string[];
  /** Whether its passages have vectors from the embedding model (for search by meaning). */
  embedded: boolean;
}

/** A passage of a source, with its place in it. */
export interface SourcePassage {
  sourceId: string;
  index: number;
  page?: number;
  section?: string;
  text: string;
}

/** How the reading of a source is going (sent a few times a second at most). */
export interface SourceProgress {
  /** The id the workspace gave the upload, so it knows which file this is. */
  uploadId: string;
  name: string;
  stage: 'reading' | 'indexing' | 'embedding' | 'saving';
  /** Pages or passages done so far, out of `total` (0 when not known yet). */
  done: number;
  total: number;
}

// ---- what the person asks of sources, in the product's terms ----

/** A document (an uploaded file's id) or pasted text added to a space, or to one loop of it. */
export interface NewSource {
  spaceId: string;
  loopId?: string;
  fileName: string;
  format?: SourceFormat;
  mimeType?: string;
  /** The id an upload of the file's bytes returned. */
  file?: string;
  text?: string;
  /** The caller's id for the `source.progress` events. */
  uploadId?: string;
}

/** Whether a source is pinned to a loop, left out of it, or neither. */
export interface SourceInLoop {
  sourceId: string;
  loopId: string;
  state: SourceLoopState;
}
