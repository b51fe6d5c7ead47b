/**
 * Recall: the memories relevant to a move. Scope is a wall, applied before anything is ranked: a
 * memory scoped to one space never reaches another space's loop, nor one scoped to a loop another
 * loop. Pinned memories always come. The rest are ranked by full-text relevance (MiniSearch, BM25)
 * fused with vector similarity when embeddings exist (reciprocal rank fusion), then weighed by
 * recency, past usefulness and the person's "not relevant here", and fitted to a token budget.
 */
import MiniSearch from 'minisearch';
import type { MemoryItem } from '../../../shared/domain';
import { estimateTokens } from '../loops/prompt';
import { contentWords, indexTerm, jaccard } from './words';

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

/** Every kept memory, indexed for full-text search and kept up to date as memories change. */
export class MemoryIndex {
  private readonly items = new Map<string, MemoryItem>();
  private readonly search = new MiniSearch<{ id: string; text: string }>({
    fields: ['text'],
    processTerm: indexTerm,
    searchOptions: { prefix: true, fuzzy: 0.15, combineWith: 'OR', processTerm: indexTerm },
  });

  get size(): number {
    return this.items.size;
  }

  all(): IterableIterator<MemoryItem> {
    return this.items.values();
  }

  get(id: string): MemoryItem | undefined {
    return this.items.get(id);
  }

  put(item: MemoryItem): void {
    if (this.items.has(item.id)) this.search.discard(item.id);
    this.items.set(item.id, item);
    this.search.add({ id: item.id, text: item.text });
  }

  putAll(items: readonly MemoryItem[]): void {
    const fresh = items.filter((item) => !this.items.has(item.id));
    for (const item of items) if (this.items.has(item.id)) this.put(item);
    for (const item of fresh) this.items.set(item.id, item);
    this.search.addAll(fresh.map((item) => ({ id: item.id, text: item.text })));
  }

  remove(id: string): void {
    if (!this.items.has(id)) return;
    this.items.delete(id);
    this.search.discard(id);
  }

  /** Full-text matches among the items `keep` allows, best first. */
  textRanking(query: string, keep: (item: MemoryItem) => boolean): { id: string; score: number }[] {
    if (query.trim() === '') return [];
    return this.search
      .search(query, { filter: (result) => keep(this.items.get(String(result.id))!) })
      .map((result) => ({ id: String(result.id), score: result.score }));
  }
}

export function recall(
  index: MemoryIndex,
  vectors: ReadonlyMap<string, number[]> | undefined,
  request: RecallRequest,
): Recalled[] {
  const now = request.now ?? Date.now();
  const keep = (item: MemoryItem) => inScope(item, request.spaceId, request.loopId);
  const candidates = [...index.all()].filter(keep);
  const pinned = candidates.filter((item) => item.pinned);

  const fused = new Map<string, number>();
  const addRanking = (ids: string[]) =>
    ids.forEach((id, rank) => fused.set(id, (fused.get(id) ?? 0) + 1 / (60 + rank)));
  addRanking(index.textRanking(request.query, keep).map((hit) => hit.id));
  if (request.queryVector && vectors) {
    const similar = candidates
      .map((item) => ({ id: item.id, similarity: cosine(request.queryVector!, vectors.get(item.id)) }))
      .filter((entry) => entry.similarity > 0.2)
      .sort((a, b) => b.similarity - a.similarity)
      .slice(0, 50);
    addRanking(similar.map((entry) => entry.id));
  }

  const queryWords = contentWords(request.query);
  const ranked: Recalled[] = [];
  for (const [id, base] of fused) {
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

function cosine(a: readonly number[], b: readonly number[] | undefined): number {
  if (!b || a.length !== b.length) return 0;
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i += 1) {
    dot += a[i]! * b[i]!;
    normA += a[i]! * a[i]!;
    normB += b[i]! * b[i]!;
  }
  return normA === 0 || normB === 0 ? 0 : dot / Math.sqrt(normA * normB);
}
