/**
 * A sentence built from pieces (a file's name, our own words, the engine's message) with one final
 * mark: a message that already ends with its own full stop, question or exclamation mark or ellipsis
 * (before any closing quote or bracket) keeps it, so "…your passphrase first." never gets a second.
 */
export function endSentence(text: string): string {
  const trimmed = text.trimEnd();
  if (trimmed === '') return trimmed;
  return /[.!?…]["'”’)\]]*$/.test(trimmed) ? trimmed : `${trimmed}.`;
}
