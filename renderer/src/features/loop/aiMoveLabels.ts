import type { AiMove } from '../../../../shared/domain';

/** The AI's moves as the composer offers them, each with what it will do. */
export const aiMoveLabels: Record<AiMove, { label: string; hint: string }> = {
  explore: { label: 'Explore', hint: 'Options and angles you may not have considered.' },
  challenge: { label: 'Challenge', hint: 'Pushback: hidden assumptions, counter-arguments, a pre-mortem.' },
  synthesize: { label: 'Synthesize', hint: 'Pull the threads so far into a clear structure.' },
  ask: { label: 'Ask questions', hint: 'Questions that sharpen your own thinking.' },
  refine: { label: 'Refine draft', hint: 'Revise the draft the way you direct.' },
  patterns: { label: 'Patterns', hint: 'Recurring themes across your journal entries of a period.' },
};
