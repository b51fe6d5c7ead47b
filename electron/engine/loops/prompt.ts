/**
 * Builds the messages of one AI move. The order puts what rarely changes first (the stance, then
 * the intent, then the timeline oldest first) and the move's own instructions last, so that a
 * follow-up request starts with the previous one's prompt and Ollama can reuse its cache. When the
 * loop outgrows the model's context, the oldest turns are left out and the turn says how many.
 */
import type { Message } from 'ollama';
import type { AiMove, Intent, Turn } from '../../../shared/domain';
import { missingCase } from '../../../shared/errors';

export const stance = [
  "You are Keel, a thought partner inside a person's own work: strategy, plans, creative and judgment-heavy questions.",
  'The person leads. They frame the intent, steer every contribution, own the draft and make every decision.',
  'You contribute only the move they ask for, as well as you can, and then stop. You never decide for them,',
  'never declare what they "should" choose, and never claim certainty you do not have.',
  'Be concrete and specific to their situation; no filler, no flattery, no generic advice.',
  'Write in Markdown. Keep it as short as the move allows.',
].join(' ');

export function moveInstructions(move: AiMove): string {
  switch (move) {
    case 'explore':
      return [
        'Move: EXPLORE.',
        'Offer at least three genuinely different options or angles on the question (different in kind, not',
        'variations of one idea). For each: a short bold name, what it is in one or two sentences, and its main',
        'trade-off (what it gains, what it costs or risks). End with the one question that would most help the',
        'person choose between them. Do not recommend one.',
      ].join(' ');
    case 'challenge':
      return [
        'Move: CHALLENGE.',
        'Push back for real; do not agree for the sake of it. Name the weakest assumptions in the current thinking',
        'and why each might be wrong; give the strongest counter-argument a smart critic would make; then a',
        'pre-mortem: "It is a year later and this failed. Why?" with the two or three most likely causes.',
        'Finish with what evidence would settle the biggest doubt.',
      ].join(' ');
    case 'synthesize':
      return [
        'Move: SYNTHESIZE.',
        'Pull the threads so far into structure: the key points agreed, the open questions, the options still',
        'in play and how they compare (a table when there are several), and the tensions that remain.',
        'Use only what is in the loop; mark anything you infer as an inference.',
      ].join(' ');
    case 'ask':
      return [
        'Move: ASK.',
        "Ask only questions, no answers and no advice: three to five questions that would sharpen the person's",
        'own thinking, each one short, specific to what they wrote, and aimed at what they have not yet said',
        '(assumptions, stakes, what they are avoiding, what success would look like).',
      ].join(' ');
    case 'refine':
      return [
        'Move: REFINE.',
        "Revise the draft following the person's direction. Return the whole revised draft in Markdown and nothing",
        'else: keep their voice, their structure where it works, and every fact they gave; change only what the',
        'direction asks for or what clearly serves it.',
      ].join(' ');
    default:
      return missingCase(move);
  }
}

export interface PromptInput {
  move: AiMove;
  steer: string | undefined;
  intent: Intent;
  draft: string;
  /** The loop's turns before this move, oldest first. */
  turns: readonly Turn[];
  /** The model's context window in tokens, and what to keep free for the answer. */
  numCtx: number;
  reserveForAnswer: number;
}

export interface Prompt {
  messages: Message[];
  estimatedTokens: number;
  omittedTurns: number;
}

/** A rough count (about four characters a token for English prose), plus a little per message. */
export function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4) + 4;
}

export function buildPrompt(input: PromptInput): Prompt {
  const head: Message[] = [{ role: 'system', content: stance }];
  const intent = describeIntent(input.intent);
  if (intent) head.push({ role: 'user', content: intent });
  if (input.draft.trim() !== '') head.push({ role: 'user', content: `The current draft:\n\n${input.draft}` });
  const tail: Message[] = [{ role: 'user', content: describeMove(input.move, input.steer) }];

  const history = input.turns.flatMap(turnToMessage);
  const fixed = [...head, ...tail].reduce((sum, message) => sum + estimateTokens(message.content), 0);
  let budget = input.numCtx - input.reserveForAnswer - fixed;
  let keepFrom = history.length;
  while (keepFrom > 0) {
    const cost = estimateTokens(history[keepFrom - 1]!.content);
    if (cost > budget) break;
    budget -= cost;
    keepFrom -= 1;
  }
  const kept = history.slice(keepFrom);
  const messages = [...head, ...kept, ...tail];
  return {
    messages,
    estimatedTokens: messages.reduce((sum, message) => sum + estimateTokens(message.content), 0),
    omittedTurns: keepFrom,
  };
}

function describeIntent(intent: Intent): string {
  const parts = [
    ['Goal', intent.goal],
    ['Context', intent.context],
    ['Constraints', intent.constraints],
    ['What good looks like', intent.goodLooksLike],
  ].filter(([, value]) => value && value.trim() !== '');
  if (parts.length === 0) return '';
  return ['The intent of this piece of work, as I framed it:', ...parts.map(([k, v]) => `${k}: ${v}`)].join(
    '\n',
  );
}

function describeMove(move: AiMove, steer: string | undefined): string {
  const direction = steer && steer.trim() !== '' ? `\nMy direction for this move: ${steer.trim()}` : '';
  return `${moveInstructions(move)}${direction}`;
}

/** The person's turns speak as the user, the AI's as the assistant; empty and failed-without-text turns add nothing. */
function turnToMessage(turn: Turn): Message[] {
  if (turn.text.trim() === '') return [];
  if (turn.author === 'person') return [{ role: 'user', content: turn.text }];
  return [{ role: 'assistant', content: turn.text }];
}
