/**
 * Recall: the memories relevant to a move. Scope is a wall, applied before anything is ranked: a
 * memory scoped to one space never reaches another space's loop, nor one scoped to a loop another
 * loop. Pinned memories always come. The rest are ranked by full-text relevance (MiniSearch, BM25)
 * fused with vector similarity when embeddings exist (reciprocal rank fusion), then weighed by
 * recency, past usefulness and the person's "not relevant here", and fitted to a token budget.
 */
import type { MemoryItem } from '../../../shared/domain';
import { FullTextIndex } from '../retrieval/FullTextIndex';
import { RankFusion } from '../retrieval/fusion';
import { queryTerms } from '../retrieval/query';
import { estimateTokens } from '../retrieval/tokens';
import { mostSimilar } from '../retrieval/vectors';
import { contentWords, jaccard } from '../retrieval/words';

export interface RecallRequest {
  spaceId: string;
  loopId: string;
  query: string;
  /** The query's embedding, when an embedding model is installed. */
  queryVector?: number[] | undefined;
  budgetTokens: number;
  /** The most memories besides the pinned ones. */
  limit?: number;
  now?: number;
}

export interface Recalled {
  item: MemoryItem;
  pinned: boolean;
  score: number;
}

export function inScope(item: MemoryItem, spaceId: string, loopId: string): boolean {
  switch (item.scope.type) {
    case 'everywhere':
      return true;
    case 'space':
      return item.scope.spaceId === spaceId;
    case 'loop':
      return item.scope.spaceId === spaceId && item.scope.loopId === loopId;
  }
}

/** The file (and index) a memory lives in: one for everywhere, one per space. */
export function shardKey(scope: MemoryItem['scope']): string {
  return scope.type === 'everywhere' ? 'everywhere' : `space-${scope.spaceId}`;
}

/** The shards a loop of `spaceId` may draw from: everywhere and its own space. */
export function shardsFor(spaceId: string): string[] {
  return ['everywhere', `space-${spaceId}`];
}

/**
 * Every kept memory, indexed for full-text search by space: each space's index holds that space's
 * memories and those kept everywhere (so their scores compare fairly), and is kept up to date as
 * memories change. Recall searches only the index of the loop's space, so its cost follows the size
 * of one space, not of the whole memory.
 */
export class MemoryIndex {
  private readonly items = new Map<string, MemoryItem>();
  private readonly indexes = new Map<string, FullTextIndex<'text'>>();
  /** The ids of each shard's memories. */
  private readonly shardIds = new Map<string, Set<string>>();

  get size(): number {
    return this.items.size;
  }

  all(): IterableIterator<MemoryItem> {
    return this.items.values();
  }

  /** The memories of the given shards. */
  *in(keys: readonly string[]): IterableIterator<MemoryItem> {
    for (const key of keys) for (const id of this.shardIds.get(key) ?? []) yield this.items.get(id)!;
  }

  get(id: string): MemoryItem | undefined {
    return this.items.get(id);
  }

  put(item: MemoryItem): void {
    this.remove(item.id);
    this.items.set(item.id, item);
    this.member(item);
    for (const [key, index] of this.indexes) if (belongsIn(item, key)) index.add(entry(item));
  }

  putAll(items: readonly MemoryItem[]): void {
    const fresh: MemoryItem[] = [];
    for (const item of items) {
      if (this.items.has(item.id)) this.put(item);
      else fresh.push(item);
    }
    for (const item of fresh) {
      this.items.set(item.id, item);
      this.member(item);
    }
    for (const [key, index] of this.indexes)
      index.addAll(fresh.filter((item) => belongsIn(item, key)).map(entry));
  }

  remove(id: string): void {
    const item = this.items.get(id);
    if (!item) return;
    this.items.delete(id);
    this.shardIds.get(shardKey(item.scope))?.delete(id);
    for (const [key, index] of this.indexes) if (belongsIn(item, key)) index.discard(id);
  }

  private member(item: MemoryItem): void {
    const key = shardKey(item.scope);
    let ids = this.shardIds.get(key);
    if (!ids) this.shardIds.set(key, (ids = new Set()));
    ids.add(item.id);
  }

  /**
   * Full-text matches among the items `keep` allows, best first: in one space's index when
   * `spaceKey` is given, otherwise in everything. A long request (a loop's goal and latest turns)
   * is cut to its first distinct content words, and only a shorter one is matched fuzzily.
   */
  textRanking(
    query: string,
    keep: (item: MemoryItem) => boolean,
    spaceKey?: string,
  ): { id: string; score: number }[] {
    const terms = queryTerms(query);
    if (terms.length === 0) return [];
    return this.index(spaceKey ?? '*').search(terms, {
      fuzzy: terms.length <= 20 ? 0.15 : false,
      prefix: terms.length <= 20,
      keep: (id) => keep(this.items.get(id)!),
    });
  }

  /** The index of one space (with everywhere's memories), or `*` for all; made when first asked for. */
  private index(key: string): FullTextIndex<'text'> {
    let index = this.indexes.get(key);
    if (!index) {
      index = new FullTextIndex({ fields: ['text'] });
      index.addAll([...this.items.values()].filter((item) => belongsIn(item, key)).map(entry));
      this.indexes.set(key, index);
    }
    return index;
  }
}

function belongsIn(item: MemoryItem, indexKey: string): boolean {
  if (indexKey === '*') return true;
  const key = shardKey(item.scope);
  return key === 'everywhere' || key === indexKey;
}

function entry(item: MemoryItem): { id: string; text: string } {
  return { id: item.id, text: item.text };
}

export function recall(
  index: MemoryIndex,
  vectors: ReadonlyMap<string, number[]> | undefined,
  request: RecallRequest,
): Recalled[] {
  const now = request.now ?? Date.now();
  const keep = (item: MemoryItem) => inScope(item, request.spaceId, request.loopId);
  const shards = shardsFor(request.spaceId);
  const candidates = [...index.in(shards)].filter(keep);
  const pinned = candidates.filter((item) => item.pinned);

  const fusion = new RankFusion();
  fusion.add(index.textRanking(request.query, keep, `space-${request.spaceId}`).map((hit) => hit.id));
  if (request.queryVector && vectors) {
    fusion.add(
      mostSimilar(
        request.queryVector,
        candidates.map((item) => ({ key: item.id, vector: vectors.get(item.id) })),
      ),
    );
  }

  const queryWords = contentWords(request.query);
  const ranked: Recalled[] = [];
  for (const [id, base] of fusion.scores) {
    const item = index.get(id)!;
    if (item.pinned) continue;
    const age = (now - Date.parse(item.lastUsedAt ?? item.revisedAt)) / 86_400_000;
    const recency = 1 + 0.25 * Math.exp(-Math.max(0, age) / 90);
    const usefulness = 1 + 0.05 * Math.min(item.useCount, 10);
    const notRelevant = item.notRelevant.some((mark) => jaccard(queryWords, new Set(mark.terms)) >= 0.2);
    ranked.push({ item, pinned: false, score: base * recency * usefulness * (notRelevant ? 0.25 : 1) });
  }
  ranked.sort((a, b) => b.score - a.score);

  const chosen: Recalled[] = pinned.map((item) => ({ item, pinned: true, score: Infinity }));
  let budget = request.budgetTokens - chosen.reduce((sum, entry) => sum + estimateTokens(entry.item.text), 0);
  let count = 0;
  for (const entry of ranked) {
    if (count >= (request.limit ?? 8)) break;
    const cost = estimateTokens(entry.item.text);
    if (cost > budget) continue;
    budget -= cost;
    count += 1;
    chosen.push(entry);
  }
  return chosen;
}
