/**
 * A decision's dossier: what informed it, from the loop itself. The turns the person kept or pinned
 * before deciding, the challenges of the decision, the source passages and memories those turns
 * were given, and the draft version standing when it was decided. Computed from the loop (nothing
 * is copied), so it always matches the timeline; used by the loop page, the print and the export.
 */
import type { Decision, DraftVersion, PassageRef, Turn } from './domain';
import { currentVersionIds } from './loopLogic';

export interface Dossier {
  /** AI turns the person kept or pinned before the decision (the versions they chose). */
  turns: Turn[];
  /** AI challenges asked before the decision (of this decision or of the loop's thinking). */
  challenges: Turn[];
  /** The passages those turns were given, once each. */
  passages: PassageRef[];
  /** The memories those turns were given (ids), once each. */
  memoryIds: string[];
  /** The draft as it stood when the decision was recorded: the last version kept at or before it. */
  draftVersion?: DraftVersion;
}

/**
 * When the thinking for `decision` began: the time the loop was reopened after the decision before
 * it, or the loop's start (empty) for its first decision.
 */
export function dossierSince(
  loop: { pastDecisions: readonly Pick<Decision, 'decidedAt' | 'reopenedAt'>[] },
  decision: Pick<Decision, 'decidedAt'>,
): string {
  return loop.pastDecisions.filter((past) => past.decidedAt < decision.decidedAt).at(-1)?.reopenedAt ?? '';
}

/**
 * The dossier of `decision` (the current one or one decided before the loop was reopened) in a
 * loop with these turns, draft versions and past decisions: only what came between the reopening
 * before it and its own recording informed it.
 */
export function decisionDossier(
  loop: {
    turns: readonly Turn[];
    draftVersions: readonly DraftVersion[];
    pastDecisions: readonly Pick<Decision, 'decidedAt' | 'reopenedAt'>[];
  },
  decision: Pick<Decision, 'decidedAt'>,
): Dossier {
  const since = dossierSince(loop, decision);
  const current = currentVersionIds(loop.turns);
  const before = loop.turns.filter(
    (turn) =>
      current.has(turn.id) &&
      turn.createdAt <= decision.decidedAt &&
      turn.createdAt > since &&
      turn.status !== 'streaming' &&
      turn.text.trim() !== '',
  );
  const kept = before.filter(
    (turn) => turn.author === 'ai' && (turn.steering?.state === 'kept' || turn.steering?.state === 'pinned'),
  );
  const challenges = before.filter(
    (turn) => turn.author === 'ai' && turn.move === 'challenge' && turn.steering?.state !== 'set-aside',
  );
  const informing = [...new Set([...kept, ...challenges])];
  const passages = new Map<string, PassageRef>();
  const memoryIds = new Set<string>();
  for (const turn of informing) {
    for (const ref of turn.passages ?? []) passages.set(`${ref.sourceId}:${ref.index}`, ref);
    for (const memory of turn.memoriesUsed ?? []) memoryIds.add(memory.id);
  }
  const draftVersion = loop.draftVersions.filter((version) => version.createdAt <= decision.decidedAt).at(-1);
  return {
    turns: kept,
    challenges,
    passages: [...passages.values()],
    memoryIds: [...memoryIds],
    ...(draftVersion ? { draftVersion } : {}),
  };
}
