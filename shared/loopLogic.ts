/**
 * Rules about a loop's timeline that the engine and the workspace must read the same way: which
 * version of a regenerated move counts, and which turns reach the model.
 */
import type { LoopStage, Turn } from './domain';

/** The id shared by every version of one move: the first version's id. */
export function versionGroupOf(turn: Pick<Turn, 'id' | 'versionOf'>): string {
  return turn.versionOf ?? turn.id;
}

/** Every version of the move `turnId` belongs to, oldest first. */
export function versionsOf(turns: readonly Turn[], turnId: string): Turn[] {
  const turn = turns.find((candidate) => candidate.id === turnId);
  if (!turn) return [];
  const group = versionGroupOf(turn);
  return turns.filter((candidate) => versionGroupOf(candidate) === group);
}

/**
 * The version of each move that is shown in the timeline and sent to the model: the one the person
 * kept, or else the newest. Turns that were never regenerated are their own current version.
 */
export function currentVersionIds(turns: readonly Turn[]): Set<string> {
  const roots = new Map<string, Turn>();
  const newest = new Map<string, string>();
  for (const turn of turns) {
    const group = versionGroupOf(turn);
    if (group === turn.id) roots.set(group, turn);
    newest.set(group, turn.id);
  }
  const current = new Set<string>();
  for (const [group, newestId] of newest) {
    const chosen = roots.get(group)?.chosenVersion;
    const chosenExists = chosen !== undefined && turns.some((turn) => turn.id === chosen);
    current.add(chosenExists ? chosen : newestId);
  }
  return current;
}

/** Whether a turn reaches the model: current, not set aside, and with something to say. */
export function reachesModel(turn: Turn, current: ReadonlySet<string>): boolean {
  return current.has(turn.id) && turn.steering?.state !== 'set-aside' && turn.text.trim() !== '';
}

/**
 * Where the loop stands, read from what has happened; a guide, never a gate. A decided loop is at
 * `decide` until the person draws lessons from it (`learn`).
 */
export function deriveStage(turns: readonly Turn[], decided: boolean): LoopStage {
  if (decided) return turns.some((turn) => turn.move === 'learn') ? 'learn' : 'decide';
  for (let index = turns.length - 1; index >= 0; index -= 1) {
    const move = turns[index]!.move;
    if (move === 'challenge') return 'challenge';
    if (move === 'refine' || move === 'edit') return 'refine';
    if (move === 'explore' || move === 'synthesize') return 'explore';
  }
  return 'frame';
}
