/** Search across everything the person wrote and kept. */
export const searchKinds = ['loop', 'turn', 'draft', 'decision', 'memory', 'source'] as const;
export type SearchKind = (typeof searchKinds)[number];

export interface SearchResult {
  kind: SearchKind;
  spaceId: string;
  /** The loop to open (absent for a memory kept everywhere or in a space). */
  loopId?: string;
  /** The turn to open the loop at. */
  turnId?: string;
  memoryId?: string;
  /** For a source: which one, and the passage the words were found in. */
  sourceId?: string;
  passageIndex?: number;
  /** The loop's title, or the memory's kind. */
  title: string;
  /** A few words around the first match. */
  snippet: string;
  at: string;
  score: number;
}

/** What the person searches for, with optional filters (dates `YYYY-MM-DD`, inclusive). */
export interface SearchQuery {
  query: string;
  spaceId?: string;
  kinds?: SearchKind[];
  from?: string;
  to?: string;
  limit?: number;
}
