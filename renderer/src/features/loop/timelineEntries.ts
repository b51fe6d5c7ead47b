import type { Turn } from '../../../../shared/domain';
import { currentVersionIds, versionGroupOf } from '../../../../shared/loopLogic';

/** One entry of the timeline per move: the version shown, with all its versions when regenerated. */
export interface TimelineEntry {
  /** The move's version group, which stays the same across its versions: the entry's key. */
  group: string;
  turn: Turn;
  versions?: Turn[];
}

function sameTurns(a: readonly Turn[], b: readonly Turn[]): boolean {
  return a.length === b.length && a.every((turn, index) => turn === b[index]);
}

/**
 * Builds timeline entries, reusing the previous call's entry (and versions list) for every move
 * whose turns did not change. A streamed word then changes one entry only, so every other turn's
 * memoized view keeps its props and skips rendering, however long the loop.
 */
export function createTimelineEntries(): (turns: readonly Turn[]) => TimelineEntry[] {
  let previous = new Map<string, TimelineEntry>();
  return (turns) => {
    const current = currentVersionIds(turns);
    const groups = new Map<string, Turn[]>();
    for (const turn of turns) {
      const group = versionGroupOf(turn);
      const list = groups.get(group);
      if (list) list.push(turn);
      else groups.set(group, [turn]);
    }
    const next = new Map<string, TimelineEntry>();
    const entries: TimelineEntry[] = [];
    for (const turn of turns) {
      if (!current.has(turn.id)) continue;
      const group = versionGroupOf(turn);
      const versions = groups.get(group) ?? [turn];
      const before = previous.get(group);
      let entry: TimelineEntry;
      if (versions.length <= 1) {
        entry = before && before.turn === turn && !before.versions ? before : { group, turn };
      } else if (before?.versions && sameTurns(before.versions, versions)) {
        entry = before.turn === turn ? before : { group, turn, versions: before.versions };
      } else {
        entry = { group, turn, versions };
      }
      next.set(group, entry);
      entries.push(entry);
    }
    previous = next;
    return entries;
  };
}
