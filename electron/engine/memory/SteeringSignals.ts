/**
 * Steering feedback: reasons the person gave for setting AI turns aside. When similar reasons come
 * back in a space, Keel suggests a preference; nothing becomes memory until the person accepts it.
 */
import type { MemorySuggestion } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import { newId, now } from '../ids';
import { contentWords, jaccard } from '../retrieval/words';
import type { Document, Store } from '../store/Store';
import { layout } from '../store/layout';
import type { Signals } from './memoryDocuments';

export class SteeringSignals {
  constructor(private readonly store: Store) {}

  /**
   * Notes a turn set aside with a reason. When the person has set turns aside for similar reasons
   * more than once in a space, Keel suggests a preference.
   */
  async noteSetAside(spaceId: string, loopId: string, turnId: string, reason: string): Promise<void> {
    const signals = await this.signals();
    const data = signals.data;
    data.setAside = data.setAside.filter((entry) => entry.turnId !== turnId);
    data.setAside.push({ spaceId, loopId, turnId, reason, at: now() });
    if (data.setAside.length > 2000) data.setAside.shift();
    const words = contentWords(reason);
    const similar = data.setAside.filter(
      (entry) => entry.spaceId === spaceId && jaccard(words, contentWords(entry.reason)) >= 0.5,
    );
    const group = `${spaceId} ${[...words].sort().join(' ')}`;
    const known = data.suggestions.some(
      (suggestion) => suggestion.spaceId === spaceId && jaccard(words, contentWords(suggestion.text)) >= 0.5,
    );
    if (similar.length >= 2 && !known && !data.dismissed.includes(group)) {
      data.suggestions.push({
        id: `sg-${newId('mm').slice(3)}`,
        kind: 'preference',
        text: `Avoid answers that are ${lowerFirst(reason.trim().replace(/[.!?]+$/, ''))}.`,
        spaceId,
        evidence: similar.map(({ loopId: from, turnId: turn, reason: why }) => ({
          loopId: from,
          turnId: turn,
          reason: why,
        })),
      });
    }
    await signals.save();
  }

  async suggestions(): Promise<MemorySuggestion[]> {
    return structuredClone((await this.signals()).data.suggestions);
  }

  async dismiss(suggestionId: string): Promise<{ dismissed: string }> {
    const signals = await this.signals();
    const suggestion = signals.data.suggestions.find((candidate) => candidate.id === suggestionId);
    if (!suggestion)
      throw new KeelError('not-found', 'That suggestion is no longer there.', { field: 'suggestionId' });
    signals.data.suggestions = signals.data.suggestions.filter((candidate) => candidate.id !== suggestionId);
    const reason = suggestion.evidence[0]?.reason ?? suggestion.text;
    signals.data.dismissed.push(`${suggestion.spaceId} ${[...contentWords(reason)].sort().join(' ')}`);
    await signals.save();
    return { dismissed: suggestionId };
  }

  /** Accepting a suggestion removes it from the list (it became memory). */
  async resolve(suggestionId: string): Promise<void> {
    const signals = await this.signals();
    signals.data.suggestions = signals.data.suggestions.filter((candidate) => candidate.id !== suggestionId);
    await signals.save();
  }

  private signals(): Promise<Document<Signals>> {
    const kind = layout.steeringSignals;
    return this.store.document(kind.path(), kind.spec(), kind.defaults());
  }
}

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}
