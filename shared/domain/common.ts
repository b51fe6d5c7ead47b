/** What every part of the domain shares: ids, timestamps and calendar dates. */
import { z } from 'zod';

/** Ids are opaque strings made by the engine; the pattern keeps them safe as file names. */
export const idSchema = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{2,63}$/, 'must be an id made by Keel (lowercase letters, digits and dashes)');

/** A moment as the engine records it (an ISO timestamp). */
export const isoDate = z.string().min(10).max(40);

/** A calendar day as the person gives it, `YYYY-MM-DD`: the one pattern every date input uses. */
export const dayPattern = /^\d{4}-\d{2}-\d{2}$/;
export const dayMessage = 'must be a date like 2027-03-31';
export const daySchema = z.string().regex(dayPattern, dayMessage);

/** A file's bytes as base64, with the name to save it under and its type. */
export interface FileContent {
  fileName: string;
  mimeType: string;
  base64: string;
}
