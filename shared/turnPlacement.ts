/**
 * Where a turn goes in a loop's timeline, as the engine puts it, for a copy of the timeline that
 * also takes streamed text (the workspace's open loop). Pure: the workspace store applies the result.
 */
import type { Turn } from './domain';
import { versionGroupOf } from './loopLogic';

/**
 * Where a new turn goes: a regenerated version right after the last version of its move, anything
 * else at the end. A new version also becomes the one shown, so the version the person kept before
 * no longer counts (the engine forgets it too).
 */
export function insertTurn(turns: readonly Turn[], turn: Turn): Turn[] {
  const next = turns.map((candidate) => {
    if (turn.versionOf === undefined || candidate.id !== turn.versionOf) return candidate;
    if (candidate.chosenVersion === undefined) return candidate;
    const { chosenVersion: _chosen, ...root } = candidate;
    return root;
  });
  if (turn.versionOf !== undefined) {
    const group = turn.versionOf;
    for (let index = next.length - 1; index >= 0; index -= 1) {
      if (versionGroupOf(next[index]!) === group) {
        next.splice(index + 1, 0, turn);
        return next;
      }
    }
  }
  next.push(turn);
  return next;
}

/**
 * A turn from a call or an event put into the timeline: a new one is inserted; with `replace`, a
 * known one is replaced while it still streams or once it has finished (a finished turn is never
 * replaced by a streaming copy, and a streaming copy never overwrites text that already arrived
 * through deltas). `insert-only` never replaces. Null when the timeline stays as it is.
 */
export function placeTurn(
  turns: readonly Turn[],
  turn: Turn,
  how: 'replace' | 'insert-only',
): { turns: Turn[]; added: boolean } | null {
  const index = turns.findIndex((existing) => existing.id === turn.id);
  const existing = turns[index];
  if (!existing) return { turns: insertTurn(turns, turn), added: true };
  const finished = turn.status !== 'streaming';
  if (how !== 'replace' || !(finished || existing.status === 'streaming')) return null;
  // Only the AI's turns stream.
  const next: Turn =
    !finished && turn.author === 'ai' && existing.text.length > turn.text.length
      ? { ...turn, text: existing.text, thinking: existing.thinking }
      : turn;
  const placed = turns.slice();
  placed[index] = next;
  return { turns: placed, added: false };
}

/**
 * The timeline the engine sent back whole, merged with the one on screen: a turn still streaming
 * keeps the text that already arrived through deltas, and turns that started after the engine
 * answered (an event arrived first) stay.
 */
export function mergeTimeline(local: readonly Turn[], incoming: readonly Turn[]): Turn[] {
  const localTurns = new Map(local.map((turn) => [turn.id, turn]));
  const turns = incoming.map((turn): Turn => {
    const mine = localTurns.get(turn.id);
    if (mine && turn.author === 'ai' && turn.status === 'streaming' && mine.text.length > turn.text.length) {
      return {
        ...turn,
        text: mine.text,
        ...(mine.thinking !== undefined ? { thinking: mine.thinking } : {}),
      };
    }
    return turn;
  });
  const known = new Set(turns.map((turn) => turn.id));
  let merged = turns;
  for (const turn of local) if (!known.has(turn.id)) merged = insertTurn(merged, turn);
  return merged;
}
