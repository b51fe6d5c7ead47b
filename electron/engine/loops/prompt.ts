/**
 * Builds the messages of one AI move from: the stance, the intent, the pinned turns, the draft, the
 * recent turns (oldest first) and, last, the move's own instructions and the person's steer. What
 * rarely changes comes first, so a follow-up request starts with the previous one's prompt and
 * Ollama can reuse its cache. Set-aside turns and versions the person did not keep never reach the
 * model; pinned turns always do. When the loop outgrows the model's context, the oldest of the
 * recent turns are left out and the turn says how many.
 */
import type { Message } from 'ollama';
import type { AiMove, Intent, Turn } from '../../../shared/domain';
import { missingCase } from '../../../shared/errors';
import { currentVersionIds, reachesModel } from '../../../shared/loopLogic';
import { estimateTokens } from '../retrieval/tokens';

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
        'else (no preamble, no comments after it): keep their voice, their structure where it works, and every',
        'fact they gave; change only what the direction asks for or what clearly serves it. If there is no draft',
        'yet, write a short first draft from what the loop holds, for the person to rework.',
      ].join(' ');
    case 'patterns':
      return [
        'Move: PATTERNS.',
        'Look across the journal entries listed above, from the period I chose. Name the recurring themes, the tensions',
        'between what I say I want and what I do, and what changed over the period. For each pattern, cite the entries it',
        'rests on by their labels, like [E2, E5]. Describe; do not advise, diagnose or judge.',
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
  /** The loop's turns before this move, oldest first, as stored (steering is applied here). */
  turns: readonly Turn[];
  /** The decision the person is about to record, when the move challenges it. */
  decisionToChallenge?: string | undefined;
  /** Memories recalled for this move, best first (pinned ones first of all). */
  memories?: readonly { kind: string; text: string }[];
  /** Passages of the person's sources, labelled P1, P2…, with where each is. */
  passages?: readonly { label: string; name: string; location: string; text: string }[];
  /** For patterns: the journal entries of the period, labelled E1, E2… */
  journal?: readonly { date: string; title: string; text: string }[];
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
export function buildPrompt(input: PromptInput): Prompt {
  const current = currentVersionIds(input.turns);
  const reaching = input.turns.filter((turn) => reachesModel(turn, current));
  const pinned = reaching.filter((turn) => turn.steering?.state === 'pinned');
  const recent = reaching.filter((turn) => turn.steering?.state !== 'pinned');

  const head: Message[] = [{ role: 'system', content: stance }];
  const intent = describeIntent(input.intent);
  if (intent) head.push({ role: 'user', content: intent });
  if (pinned.length > 0) head.push({ role: 'user', content: describePinned(pinned) });
  if (input.draft.trim() !== '') head.push({ role: 'user', content: `The current draft:\n\n${input.draft}` });
  // Memories and journal entries change from one request to the next, so they sit at the end with
  // the move: everything before them is the previous request's prompt, which Ollama can reuse.
  const tail: Message[] = [];
  if (input.memories && input.memories.length > 0)
    tail.push({ role: 'user', content: describeMemories(input.memories) });
  if (input.passages && input.passages.length > 0)
    tail.push({ role: 'user', content: describePassages(input.passages) });
  if (input.journal) tail.push({ role: 'user', content: describeJournal(input.journal) });
  tail.push({ role: 'user', content: describeMove(input.move, input.steer, input.decisionToChallenge) });

  const history = recent.flatMap(turnToMessage);
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

function describeMemories(memories: readonly { kind: string; text: string }[]): string {
  return [
    'What you know from my earlier work (use it where it helps; do not repeat it back):',
    ...memories.map((memory) => `- (${memory.kind}) ${memory.text}`),
  ].join('\n');
}

function describePassages(
  passages: readonly { label: string; name: string; location: string; text: string }[],
): string {
  return [
    'Passages from my own documents, each with its label, file and place:',
    ...passages.map((passage) => `[${passage.label}] ${passage.name}, ${passage.location}\n${passage.text}`),
    [
      'When a claim rests on one of these passages, cite its label in square brackets right after the claim,',
      'like [P2] or [P1, P3]. Take facts about my documents only from the passages; where they do not cover',
      'something, say so rather than guess.',
    ].join(' '),
  ].join('\n\n');
}

function describeJournal(entries: readonly { date: string; title: string; text: string }[]): string {
  if (entries.length === 0) return 'Journal entries of the period: none were written in it.';
  return [
    'Journal entries of the period:',
    ...entries.map((entry, index) => `[E${index + 1}] ${entry.date} · ${entry.title}\n${entry.text}`),
  ].join('\n\n');
}

function describePinned(turns: readonly Turn[]): string {
  const parts = turns.map(
    (turn) => `[${turn.author === 'person' ? 'Me' : `You, ${turn.move}`}]\n${turn.text}`,
  );
  return ['What I pinned to keep in view:', ...parts].join('\n\n');
}

function describeMove(move: AiMove, steer: string | undefined, decision: string | undefined): string {
  const target = decision
    ? '\nChallenge this decision, which I am about to record; question it, do not rewrite it:\n' + decision
    : '';
  const direction = steer && steer.trim() !== '' ? `\nMy direction for this move: ${steer.trim()}` : '';
  return `${moveInstructions(move)}${target}${direction}`;
}

/**
 * The person's turns speak as the user, the AI's as the assistant (with the text the person left
 * after editing it).
 */
function turnToMessage(turn: Turn): Message[] {
  if (turn.author === 'person') return [{ role: 'user', content: turn.text }];
  return [{ role: 'assistant', content: turn.text }];
}
