/**
 * How a passage of a source is named where a person or the model reads it: its place in the file.
 */

/** Where a passage is, in words: "page 3", "section “Pricing”", "Rows 2–41". */
export function locationWords(passage: { page?: number | undefined; section?: string | undefined }): string {
  const parts: string[] = [];
  if (passage.page !== undefined) parts.push(`page ${passage.page}`);
  if (passage.section !== undefined)
    parts.push(/^(Lines?|Rows?) \d/.test(passage.section) ? passage.section : `section “${passage.section}”`);
  return parts.join(', ') || 'the start';
}
