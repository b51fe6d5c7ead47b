/**
 * Which passages a move is given, once they are ranked: what fits the context budget, with the
 * sources pinned to the loop first.
 */
import { locationWords } from '../../../shared/passages';
import { estimateTokens } from '../retrieval/tokens';
import type { SourceRecord, StoredPassage } from './sourceDocuments';

/** The most passages a move is given besides those of pinned sources. */
const passageLimit = 8;

/** A passage's key in the index and in rankings. */
export const passageKey = (sourceId: string, index: number) => `${sourceId}#${index}`;
export const sourceOf = (key: string) => key.slice(0, key.lastIndexOf('#'));

/**
 * Chooses the passages that fit `budgetTokens`: those of sources pinned to the loop first (a whole
 * source, in order, when it fits; otherwise its most relevant passages), then the most relevant of
 * the rest, at most `passageLimit` of them.
 */
export function fitPassages(
  sources: readonly { record: SourceRecord; passages: readonly StoredPassage[] }[],
  loopId: string,
  ranks: ReadonlyMap<string, number>,
  budgetTokens: number,
): { record: SourceRecord; passage: StoredPassage }[] {
  const chosen: { record: SourceRecord; passage: StoredPassage }[] = [];
  const taken = new Set<string>();
  let budget = budgetTokens;
  const cost = (record: SourceRecord, passage: StoredPassage) =>
    estimateTokens(`[P00] ${record.name}, ${locationWords(passage)}\n${passage.text}`);
  const take = (record: SourceRecord, passage: StoredPassage): boolean => {
    const key = passageKey(record.id, passage.index);
    if (taken.has(key) || cost(record, passage) > budget) return false;
    taken.add(key);
    budget -= cost(record, passage);
    chosen.push({ record, passage });
    return true;
  };
  const rankOf = (record: SourceRecord, passage: StoredPassage) =>
    ranks.get(passageKey(record.id, passage.index)) ?? 0;

  for (const { record, passages } of sources) {
    if (!record.pinnedIn.includes(loopId)) continue;
    const whole = passages.reduce((sum, passage) => sum + cost(record, passage), 0);
    const order =
      whole <= budget
        ? passages
        : [...passages].sort((a, b) => rankOf(record, b) - rankOf(record, a) || a.index - b.index);
    for (const passage of order) take(record, passage);
  }
  const bySource = new Map(sources.map((source) => [source.record.id, source]));
  let ranked = 0;
  for (const [key] of [...ranks.entries()].sort((a, b) => b[1] - a[1])) {
    if (ranked >= passageLimit) break;
    const source = bySource.get(sourceOf(key));
    const passage = source?.passages[Number(key.slice(key.lastIndexOf('#') + 1))];
    if (source && passage && take(source.record, passage)) ranked += 1;
  }
  return chosen;
}
