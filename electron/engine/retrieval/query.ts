/**
 * What a request is searched by: its distinct words as written (the index stems them itself, as it
 * did the documents), without stop words, at most `maxQueryTerms` of them. A long request (a loop's
 * goal and latest turns) is cut to its first words; they are the newest and matter most.
 */
import { indexTerm, rawWords } from './words';

/** The most distinct words of a request that full-text retrieval matches. */
export const maxQueryTerms = 24;

export function queryTerms(query: string, limit = maxQueryTerms): string[] {
  return [...new Set(rawWords(query).filter((word) => indexTerm(word) !== null))].slice(0, limit);
}
