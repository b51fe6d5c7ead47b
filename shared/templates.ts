/**
 * Keel's built-in loop templates, one or more for each kind of user: a starting intent with the
 * questions a good framing answers, and the move that usually helps first. The person edits the
 * intent before anything reaches the model, and can save any loop's framing as their own template.
 */
import type { LoopTemplate } from './domain';

const builtIn = (template: Omit<LoopTemplate, 'builtIn'>): LoopTemplate => ({ ...template, builtIn: true });

export const builtInTemplates: readonly LoopTemplate[] = [
  builtIn({
    id: 'client-strategy',
    name: 'Client strategy question',
    description: "Work through a client's strategic question before the next conversation with them.",
    kinds: ['client'],
    title: 'Strategy question',
    intent: {
      goal: 'Answer the strategic question the client brought: <the question, in their words>.',
      context: 'Who the client is, where they stand today, and what prompted the question now.',
      constraints: 'Budget, timing, politics, what the client has already ruled out.',
      goodLooksLike: 'A recommendation the client can act on, with the two or three reasons that carry it.',
    },
    firstMove: 'explore',
  }),
  builtIn({
    id: 'market-entry',
    name: 'Market entry',
    description: 'Decide whether, where and how to enter a new market.',
    kinds: ['client', 'plan'],
    title: 'Market entry',
    intent: {
      goal: 'Decide whether and how to enter <market>.',
      context: 'Current markets, strengths that travel, what is known about the new market and its players.',
      constraints: 'Capital available, time to first revenue, regulatory limits, people who could lead it.',
      goodLooksLike:
        'A go / no-go with an entry mode, a first-year target and the signals that would stop it.',
    },
    firstMove: 'explore',
  }),
  builtIn({
    id: 'pricing-decision',
    name: 'Pricing decision',
    description: 'Set or change a price with the trade-offs in view.',
    kinds: ['client', 'plan'],
    title: 'Pricing decision',
    intent: {
      goal: 'Decide the price (and packaging) of <offer>.',
      context: 'Current price, costs, competitors, what customers say about value.',
      constraints: 'Margin floor, contracts in force, how often prices can change.',
      goodLooksLike:
        'A price with its rationale, the expected effect on volume and margin, and a test to check it.',
    },
    firstMove: 'explore',
  }),
  builtIn({
    id: 'pre-mortem',
    name: 'Pre-mortem',
    description: 'Imagine the plan failed a year from now and find out why, while there is time to act.',
    kinds: ['client', 'plan', 'general'],
    title: 'Pre-mortem',
    intent: {
      goal: 'Find the most likely ways <plan> fails, before committing to it.',
      context: 'The plan as it stands, who is involved, what has to go right.',
      constraints: 'What cannot change about the plan.',
      goodLooksLike: 'The three biggest risks, each with an early warning sign and a step to reduce it.',
    },
    firstMove: 'challenge',
  }),
  builtIn({
    id: 'board-memo',
    name: 'Board or investor memo',
    description: 'Shape a memo for a board or investors: the ask, the case, the risks.',
    kinds: ['plan', 'client'],
    title: 'Board memo',
    intent: {
      goal: 'Write a memo that gets the board (or investors) to <decision or support asked for>.',
      context: 'What they already know, what they worry about, what happened since the last update.',
      constraints: 'Length, confidential figures, what must not be promised.',
      goodLooksLike:
        'One page a board member can read in five minutes and come away with the ask and the case.',
    },
    firstMove: 'synthesize',
  }),
  builtIn({
    id: 'confidential-plan',
    name: 'Confidential plan',
    description:
      'Think through a plan that cannot be discussed widely yet (a reorganisation, a sale, a hire).',
    kinds: ['plan'],
    title: 'Confidential plan',
    intent: {
      goal: 'Shape the plan for <what>, before anyone else is involved.',
      context: 'Why now, who is affected, what is known and what is only suspected.',
      constraints: 'Who may know and when, legal limits, what must stay true for the people affected.',
      goodLooksLike: 'A plan with its sequence, who hears what when, and what could make it go wrong.',
    },
    firstMove: 'explore',
  }),
  builtIn({
    id: 'daily-journal',
    name: 'Daily journal entry',
    description: 'Write about today and let the questions take you further.',
    kinds: ['journal'],
    title: 'Journal',
    intent: {
      goal: 'Make sense of today.',
      context: 'What happened, what I felt, what is on my mind.',
      constraints: '',
      goodLooksLike: 'One thing I understand better than this morning.',
    },
    firstMove: 'ask',
  }),
  builtIn({
    id: 'weekly-reflection',
    name: 'Weekly reflection',
    description: 'Look back on the week: what worked, what did not, what to change.',
    kinds: ['journal', 'general'],
    title: 'Weekly reflection',
    intent: {
      goal: 'Look back on this week and choose what to change next week.',
      context: 'What I set out to do, what actually happened, what surprised me.',
      constraints: '',
      goodLooksLike: 'Two or three honest observations and one change I will make.',
    },
    firstMove: 'ask',
  }),
];
