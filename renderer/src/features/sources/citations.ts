/**
 * The AI cites the passages it was given as [P1] or [P1, P3] (DESIGN.md, "Sources"). These find
 * them in a piece of text, so the turn can make each label a way to open its passage.
 */

/** A citation marker: one or more labels in brackets, "[P1]", "[P1, P3]", "[P2; P4]". */
const markerPattern = /\[\s*(P\d{1,3}(?:\s*[,;]\s*P\d{1,3})*)\s*\]/g;

export type CitationPiece = { text: string } | { marker: string; labels: string[] };

/** Splits text into plain pieces and citation markers, in order; joined, the pieces give it back. */
export function splitCitations(text: string): CitationPiece[] {
  const pieces: CitationPiece[] = [];
  let last = 0;
  for (const match of text.matchAll(markerPattern)) {
    const start = match.index;
    if (start > last) pieces.push({ text: text.slice(last, start) });
    pieces.push({ marker: match[0], labels: match[1]!.split(/\s*[,;]\s*/) });
    last = start + match[0].length;
  }
  if (last < text.length) pieces.push({ text: text.slice(last) });
  return pieces;
}

/** Whether the text cites anything at all (cheap, before splitting). */
export function hasCitations(text: string): boolean {
  return /\[\s*P\d/.test(text);
}
