/**
 * A small full-text index over one space's memories or passages (MiniSearch, BM25), reading words
 * as `indexTerm` does everywhere else in Keel. For the whole library, search uses `TextIndex`,
 * built for hundreds of thousands of documents.
 */
import MiniSearch from 'minisearch';
import { indexTerm } from './words';

export interface FullTextOptions<F extends string> {
  /** The fields of a document that are searched. */
  fields: readonly F[];
  /** How much a match in a field counts (1 when not given). */
  boost?: Partial<Record<F, number>>;
}

export interface FullTextSearch {
  /** Up to this edit distance (as a fraction of a term's length) a term still matches. */
  fuzzy?: number | false;
  /** Whether a term also finds longer words it starts. */
  prefix?: boolean;
  /** Which documents may be found. */
  keep: (id: string) => boolean;
}

export class FullTextIndex<F extends string> {
  private readonly index: MiniSearch<{ id: string } & Record<F, string>>;

  constructor(options: FullTextOptions<F>) {
    this.index = new MiniSearch({
      fields: [...options.fields],
      storeFields: [],
      processTerm: indexTerm,
      searchOptions: {
        combineWith: 'OR',
        processTerm: indexTerm,
        ...(options.boost ? { boost: options.boost as Record<string, number> } : {}),
      },
    });
  }

  add(doc: { id: string } & Record<F, string>): void {
    this.index.add(doc);
  }

  addAll(docs: readonly ({ id: string } & Record<F, string>)[]): void {
    this.index.addAll(docs);
  }

  /** Adds many documents in chunks, letting other work run between them. */
  addAllAsync(docs: readonly ({ id: string } & Record<F, string>)[]): Promise<void> {
    return this.index.addAllAsync(docs, { chunkSize: 50 });
  }

  discard(id: string): void {
    this.index.discard(id);
  }

  /** The documents matching any of `terms` (see `queryTerms`), best first. */
  search(terms: readonly string[], options: FullTextSearch): { id: string; score: number }[] {
    if (terms.length === 0) return [];
    return this.index
      .search(terms.join(' '), {
        ...(options.fuzzy !== undefined ? { fuzzy: options.fuzzy } : {}),
        ...(options.prefix !== undefined ? { prefix: options.prefix } : {}),
        filter: (hit) => options.keep(String(hit.id)),
      })
      .map((hit) => ({ id: String(hit.id), score: hit.score }));
  }
}
