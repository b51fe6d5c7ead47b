/**
 * The full-text index behind search, built for a library of hundreds of thousands of turns: terms
 * map to postings kept in typed arrays (document number and term count), documents carry their
 * metadata in columns, and a search scores with BM25 into one typed array and keeps only the best
 * few, so a word found in half the library costs a pass over numbers, not an object per match.
 * Removed documents are marked and left out until the index is compacted (when it is saved).
 */
import { indexTerm, rawWords } from './words';

export interface IndexedDoc<M> {
  id: string;
  /** The words to find it by. */
  text: string;
  meta: M;
}

interface Postings {
  docs: Int32Array;
  counts: Uint16Array;
  length: number;
}

/** What the index keeps on disk: plain JSON with the postings base64-encoded. */
export interface SerializedIndex<M> {
  version: 1;
  ids: string[];
  metas: M[];
  lengths: number[];
  terms: Record<string, [docs: string, counts: string]>;
}

const k1 = 1.2;
const b = 0.75;

export class TextIndex<M> {
  private ids: (string | undefined)[] = [];
  private metas: (M | undefined)[] = [];
  private lengths: number[] = [];
  private readonly numberOf = new Map<string, number>();
  private terms = new Map<string, Postings>();
  private sortedTerms: string[] | undefined;
  private live = 0;
  private totalLength = 0;

  get size(): number {
    return this.live;
  }

  has(id: string): boolean {
    return this.numberOf.has(id);
  }

  add(doc: IndexedDoc<M>): void {
    if (this.numberOf.has(doc.id)) this.discard(doc.id);
    const number = this.ids.length;
    const counts = new Map<string, number>();
    let length = 0;
    for (const word of rawWords(doc.text)) {
      const term = indexTerm(word);
      if (term === null) continue;
      length += 1;
      counts.set(term, (counts.get(term) ?? 0) + 1);
    }
    this.ids.push(doc.id);
    this.metas.push(doc.meta);
    this.lengths.push(length);
    this.numberOf.set(doc.id, number);
    this.live += 1;
    this.totalLength += length;
    for (const [term, count] of counts) {
      let postings = this.terms.get(term);
      if (!postings) {
        postings = { docs: new Int32Array(4), counts: new Uint16Array(4), length: 0 };
        this.terms.set(term, postings);
        this.sortedTerms = undefined;
      }
      if (postings.length === postings.docs.length) {
        const docs = new Int32Array(postings.docs.length * 2);
        docs.set(postings.docs);
        const grown = new Uint16Array(postings.counts.length * 2);
        grown.set(postings.counts);
        postings.docs = docs;
        postings.counts = grown;
      }
      postings.docs[postings.length] = number;
      postings.counts[postings.length] = Math.min(count, 65_535);
      postings.length += 1;
    }
  }

  discard(id: string): void {
    const number = this.numberOf.get(id);
    if (number === undefined) return;
    this.numberOf.delete(id);
    this.ids[number] = undefined;
    this.metas[number] = undefined;
    this.totalLength -= this.lengths[number]!;
    this.live -= 1;
  }

  /**
   * The best `limit` documents holding every word of the query (the last word, or a single one,
   * also as a prefix: "pric" finds pricing), that `keep` allows, best first.
   */
  search(
    query: string,
    keep: (meta: M) => boolean,
    limit: number,
  ): { id: string; meta: M; score: number; terms: string[] }[] {
    const words = rawWords(query).filter((word) => indexTerm(word) !== null);
    if (words.length === 0 || this.live === 0) return [];
    const count = this.ids.length;
    const scores = new Float32Array(count);
    const matched = new Uint8Array(count);
    const average = this.totalLength / this.live;
    const found: string[] = [];
    for (const [position, word] of words.entries()) {
      const term = indexTerm(word)!;
      // The word as typed so far may be the start of a longer one; earlier words are whole.
      const variants =
        position === words.length - 1 ? this.withPrefix(term) : this.terms.has(term) ? [term] : [];
      const seen = new Uint8Array(count);
      for (const variant of variants) {
        const postings = this.terms.get(variant)!;
        let frequency = 0;
        for (let i = 0; i < postings.length; i += 1)
          if (this.ids[postings.docs[i]!] !== undefined) frequency += 1;
        if (frequency === 0) continue;
        found.push(variant);
        const idf = Math.log(1 + (this.live - frequency + 0.5) / (frequency + 0.5));
        const exact = variant === term ? 1 : 0.7;
        for (let i = 0; i < postings.length; i += 1) {
          const doc = postings.docs[i]!;
          if (this.ids[doc] === undefined) continue;
          const tf = postings.counts[i]!;
          const norm = tf + k1 * (1 - b + (b * this.lengths[doc]!) / average);
          scores[doc] = scores[doc]! + exact * idf * ((tf * (k1 + 1)) / norm);
          seen[doc] = 1;
        }
      }
      for (let doc = 0; doc < count; doc += 1) if (seen[doc]) matched[doc] = matched[doc]! + 1;
    }
    const best: { doc: number; score: number }[] = [];
    for (let doc = 0; doc < count; doc += 1) {
      if (matched[doc] !== words.length) continue;
      const score = scores[doc]!;
      if (best.length === limit && score <= best[best.length - 1]!.score) continue;
      if (!keep(this.metas[doc]!)) continue;
      let at = best.length;
      while (at > 0 && best[at - 1]!.score < score) at -= 1;
      best.splice(at, 0, { doc, score });
      if (best.length > limit) best.pop();
    }
    return best.map(({ doc, score }) => ({
      id: this.ids[doc]!,
      meta: this.metas[doc]!,
      score,
      terms: found,
    }));
  }

  /** A compact copy for the disk (removed documents dropped). */
  toJSON(): SerializedIndex<M> {
    const renumber = new Int32Array(this.ids.length).fill(-1);
    const ids: string[] = [];
    const metas: M[] = [];
    const lengths: number[] = [];
    this.ids.forEach((id, number) => {
      if (id === undefined) return;
      renumber[number] = ids.length;
      ids.push(id);
      metas.push(this.metas[number]!);
      lengths.push(this.lengths[number]!);
    });
    const terms: SerializedIndex<M>['terms'] = {};
    for (const [term, postings] of this.terms) {
      const docs: number[] = [];
      const counts: number[] = [];
      for (let i = 0; i < postings.length; i += 1) {
        const number = renumber[postings.docs[i]!]!;
        if (number === -1) continue;
        docs.push(number);
        counts.push(postings.counts[i]!);
      }
      if (docs.length === 0) continue;
      terms[term] = [
        Buffer.from(new Int32Array(docs).buffer).toString('base64'),
        Buffer.from(new Uint16Array(counts).buffer).toString('base64'),
      ];
    }
    return { version: 1, ids, metas, lengths, terms };
  }

  static fromJSON<M>(data: SerializedIndex<M>): TextIndex<M> {
    const index = new TextIndex<M>();
    index.ids = [...data.ids];
    index.metas = [...data.metas];
    index.lengths = [...data.lengths];
    data.ids.forEach((id, number) => index.numberOf.set(id, number));
    index.live = data.ids.length;
    index.totalLength = data.lengths.reduce((sum, length) => sum + length, 0);
    for (const [term, [docs, counts]] of Object.entries(data.terms)) {
      const docBytes = Buffer.from(docs, 'base64');
      const countBytes = Buffer.from(counts, 'base64');
      const docArray = new Int32Array(
        docBytes.buffer.slice(docBytes.byteOffset, docBytes.byteOffset + docBytes.length),
      );
      const countArray = new Uint16Array(
        countBytes.buffer.slice(countBytes.byteOffset, countBytes.byteOffset + countBytes.length),
      );
      index.terms.set(term, { docs: docArray, counts: countArray, length: docArray.length });
    }
    return index;
  }

  /** The index's terms that start with `term` (the term itself first when it is one). */
  private withPrefix(term: string): string[] {
    this.sortedTerms ??= [...this.terms.keys()].sort();
    const sorted = this.sortedTerms;
    let low = 0;
    let high = sorted.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (sorted[middle]! < term) low = middle + 1;
      else high = middle;
    }
    const found: string[] = [];
    for (let i = low; i < sorted.length && sorted[i]!.startsWith(term); i += 1) found.push(sorted[i]!);
    return found.slice(0, 50);
  }
}
