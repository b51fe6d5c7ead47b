/**
 * Deciding what a new memory is to the ones already kept in its scope: a repeat (merge into the
 * existing item), a contradiction (supersede it, the old text kept in history) or something new.
 * A cheap lexical check decides the clear cases; only close calls go to the model, with structured
 * output. Without a model the close call is "new": nothing is merged or superseded on a guess.
 */
import type { MemoryItem } from '../../../shared/domain';
import { contentWords, jaccard, negated, numbersIn } from '../retrieval/words';

export type Relation = 'repeat' | 'contradict' | 'new';

export interface LexicalVerdict {
  relation: Relation | 'close-call';
  item?: MemoryItem;
  similarity: number;
}

/** Above this the texts say the same thing; below `closeCall` they are about different things. */
export const repeatAt = 0.85;
export const closeCallAt = 0.34;

export function lexicalVerdict(text: string, existing: readonly MemoryItem[]): LexicalVerdict {
  const words = contentWords(text);
  let best: { item: MemoryItem; similarity: number } | undefined;
  for (const item of existing) {
    const similarity = jaccard(words, contentWords(item.text));
    if (!best || similarity > best.similarity) best = { item, similarity };
  }
  if (!best || best.similarity < closeCallAt) return { relation: 'new', similarity: best?.similarity ?? 0 };
  const { item, similarity } = best;
  const flipped = negated(text) !== negated(item.text);
  const numbersDiffer =
    numbersIn(text).length > 0 && numbersIn(text).join(' ') !== numbersIn(item.text).join(' ');
  if (similarity >= 0.5 && (flipped || numbersDiffer)) return { relation: 'contradict', item, similarity };
  if (similarity >= repeatAt) return { relation: 'repeat', item, similarity };
  // Everything between (one value swapped, a detail added, another team named) is a close call:
  // "the CFO is now Tom" updates "the CFO is Jane", but "marketing meets on Monday" does not
  // update "sales meets on Monday", and only reading them can tell.
  return { relation: 'close-call', item, similarity };
}

/** The JSON schema the model answers a close call with. */
export const relationSchema = {
  type: 'object',
  properties: {
    relation: { type: 'string', enum: ['repeat', 'contradict', 'new'] },
    reason: { type: 'string' },
  },
  required: ['relation'],
} as const;

export function closeCallPrompt(
  existing: string,
  incoming: string,
): { role: 'system' | 'user'; content: string }[] {
  return [
    {
      role: 'system',
      content:
        'You compare two notes a person asked to remember. Answer with JSON only. "repeat": the new note says the same ' +
        'as the existing one. "contradict": the new note updates or reverses the existing one (a changed fact, preference ' +
        'or rule), so the existing one is no longer true. "new": they are about different things or can both be true.',
    },
    { role: 'user', content: `Existing note: ${existing}\nNew note: ${incoming}` },
  ];
}

export function parseRelation(answer: unknown): Relation | undefined {
  if (typeof answer !== 'object' || answer === null || !('relation' in answer)) return undefined;
  const relation = answer.relation;
  return relation === 'repeat' || relation === 'contradict' || relation === 'new' ? relation : undefined;
}
