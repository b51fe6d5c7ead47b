/** A piece of a snippet: plain text, or a word the query matched. */
export interface SnippetPart {
  text: string;
  marked: boolean;
}

/** Lower case without accents, so "Café" matches "cafe" as the engine's index does. */
function fold(text: string): string {
  return text.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
}

/** The query's words as the snippet is compared with them. */
export function queryWords(query: string): string[] {
  return query
    .split(/[^\p{L}\p{N}]+/u)
    .map(fold)
    .filter((word) => word.length > 0);
}

/**
 * Splits a snippet into plain text and the words to mark: a word of the snippet is marked when it
 * starts with one of the query's words (the engine matches a word or two by prefix, so "pric" finds
 * "pricing" and the whole of "pricing" is marked). Done here rather than by the engine, so the
 * snippet stays plain text and is never parsed as HTML.
 */
export function highlightWords(snippet: string, query: string): SnippetPart[] {
  const words = queryWords(query);
  const parts: SnippetPart[] = [];
  const push = (text: string, marked: boolean) => {
    if (!text) return;
    const last = parts[parts.length - 1];
    if (last && last.marked === marked && !marked) last.text += text;
    else parts.push({ text, marked });
  };
  if (words.length === 0) return snippet ? [{ text: snippet, marked: false }] : [];
  // Words and the text between them, in order; the pieces joined give the snippet back.
  for (const piece of snippet.split(/([\p{L}\p{N}]+)/u)) {
    const isWord = /^[\p{L}\p{N}]+$/u.test(piece);
    const folded = isWord ? fold(piece) : '';
    push(piece, isWord && words.some((word) => folded.startsWith(word)));
  }
  return parts;
}
