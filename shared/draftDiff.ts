/**
 * A refine proposes a whole revised draft; the person takes all of it, some hunks, or none. A hunk
 * is one run of changed lines (what goes, what comes). The engine and the workspace number hunks
 * the same way because both use this module.
 */
import { applyPatch, createPatch, diffLines } from 'diff';

export interface DraftHunk {
  index: number;
  /** The lines the revision removes (empty when it only adds). */
  removed: string;
  /** The lines the revision adds (empty when it only removes). */
  added: string;
  /** The unchanged line just before the hunk, to show where it sits (empty at the top). */
  before: string;
}

type Piece = { kind: 'same'; text: string } | { kind: 'hunk'; removed: string; added: string };

function pieces(base: string, proposal: string): Piece[] {
  const result: Piece[] = [];
  for (const part of diffLines(base, proposal)) {
    const last = result.at(-1);
    if (!part.added && !part.removed) {
      result.push({ kind: 'same', text: part.value });
    } else if (last?.kind === 'hunk') {
      if (part.added) last.added += part.value;
      else last.removed += part.value;
    } else {
      result.push({
        kind: 'hunk',
        removed: part.removed ? part.value : '',
        added: part.added ? part.value : '',
      });
    }
  }
  return result;
}

export function draftHunks(base: string, proposal: string): DraftHunk[] {
  const hunks: DraftHunk[] = [];
  let before = '';
  for (const piece of pieces(base, proposal)) {
    if (piece.kind === 'same') {
      before = piece.text.split('\n').findLast((line) => line.trim() !== '') ?? before;
    } else {
      hunks.push({ index: hunks.length, removed: piece.removed, added: piece.added, before });
    }
  }
  return hunks;
}

/** The base with the taken hunks of the proposal applied and the others left as they were. */
export function applyHunks(base: string, proposal: string, take: readonly number[]): string {
  const taken = new Set(take);
  let index = 0;
  let result = '';
  for (const piece of pieces(base, proposal)) {
    if (piece.kind === 'same') {
      result += piece.text;
    } else {
      result += taken.has(index) ? piece.added : piece.removed;
      index += 1;
    }
  }
  return result;
}

/**
 * Applies the taken hunks to the draft as it is now. When the person edited the draft after the
 * refine was asked for, the change is carried over as a patch; `undefined` means it no longer fits.
 */
export function applyHunksTo(
  current: string,
  base: string,
  proposal: string,
  take: readonly number[],
): string | undefined {
  const revised = applyHunks(base, proposal, take);
  if (current === base) return revised;
  const patch = createPatch('draft', base, revised, undefined, undefined, { context: 1 });
  const patched = applyPatch(current, patch, { fuzzFactor: 1 });
  return patched === false ? undefined : patched;
}
