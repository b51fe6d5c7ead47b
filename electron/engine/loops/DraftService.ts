/**
 * The loop's draft: the person writes it; a refine proposes a revision as hunks the person takes or
 * leaves. Versions are kept whenever the draft is about to change by more than typing (a refine
 * taken, a restore) and whenever the person asks, so an earlier draft can always be brought back.
 */
import type { AppliedRefine, DraftSave, DraftState, DraftVersion, Turn } from '../../../shared/domain';
import { applyHunksTo, draftHunks } from '../../../shared/draftDiff';
import { KeelError } from '../../../shared/errors';
import { newId, now } from '../ids';
import type { LoopDocument } from '../store/documents';
import type { LoopService } from './LoopService';
import { aiTurn } from './SteeringService';

/** The most versions a loop keeps; the oldest go first. */
export const maxDraftVersions = 200;

/** The loop's draft and its versions. */
export interface Drafts {
  save(draft: DraftSave): Promise<DraftState>;
  restoreVersion(which: { loopId: string; versionId: string }): Promise<DraftState>;
  applyRefine(take: AppliedRefine): Promise<DraftState & { turn: Turn }>;
}

export class DraftService implements Drafts {
  constructor(private readonly loops: LoopService) {}

  save({ loopId, text, keepVersion, note }: DraftSave): Promise<DraftState> {
    return this.loops.change(loopId, (document) => {
      const before = snapshot(document);
      document.draft = text;
      if (keepVersion) keep(document, text, 'saved', note);
      return { result: draftState(document), revert: () => restore(document, before) };
    });
  }

  restoreVersion({ loopId, versionId }: { loopId: string; versionId: string }): Promise<DraftState> {
    return this.loops.change(loopId, (document) => {
      const version = document.draftVersions.find((candidate) => candidate.id === versionId);
      if (!version)
        throw new KeelError('not-found', 'That draft version no longer exists.', { field: 'versionId' });
      const before = snapshot(document);
      keep(document, document.draft, 'before-restore');
      document.draft = version.text;
      return { result: draftState(document), revert: () => restore(document, before) };
    });
  }

  applyRefine({ loopId, turnId, hunks }: AppliedRefine): Promise<DraftState & { turn: Turn }> {
    return this.loops.change(loopId, (document) => {
      const turn = aiTurn(document, turnId);
      if (turn.move !== 'refine' || turn.refineBase === undefined) {
        throw new KeelError('invalid-input', 'Only a refine proposes changes to the draft.', {
          field: 'turnId',
        });
      }
      if (turn.status !== 'complete') {
        throw new KeelError(
          'invalid-input',
          'This revision did not finish, so it cannot be taken into the draft.',
          {
            field: 'turnId',
          },
        );
      }
      const count = draftHunks(turn.refineBase, turn.text).length;
      const outOfRange = hunks.find((hunk) => hunk >= count);
      if (outOfRange !== undefined) {
        throw new KeelError(
          'invalid-input',
          `This revision has ${count} changes; there is no change ${outOfRange + 1}.`,
          {
            field: 'hunks',
          },
        );
      }
      const revised = applyHunksTo(document.draft, turn.refineBase, turn.text, hunks);
      if (revised === undefined) {
        throw new KeelError(
          'invalid-input',
          'The draft changed since this revision was proposed, and the chosen changes no longer fit it. Ask for a new refine.',
          { field: 'hunks' },
        );
      }
      const before = snapshot(document);
      const appliedBefore = turn.applied;
      if (hunks.length > 0 && revised !== document.draft) {
        keep(document, document.draft, 'before-refine');
        document.draft = revised;
        keep(document, revised, 'refine', `${hunks.length} of ${count} changes taken`);
      }
      turn.applied = { hunks: [...hunks].sort((a, b) => a - b), at: now() };
      return {
        result: { ...draftState(document), turn: { ...turn } },
        revert: () => {
          restore(document, before);
          if (appliedBefore) turn.applied = appliedBefore;
          else delete turn.applied;
        },
      };
    });
  }
}

export function draftState(document: LoopDocument): DraftState {
  return { draft: document.draft, versions: document.draftVersions.map((version) => ({ ...version })) };
}

/** Keeps `text` as a version, unless the newest version already holds exactly it. */
function keep(document: LoopDocument, text: string, source: DraftVersion['source'], note?: string): void {
  const newest = document.draftVersions.at(-1);
  if (newest?.text === text && source !== 'refine') return;
  if (text.trim() === '' && source !== 'saved') return;
  document.draftVersions.push({ id: newId('dv'), text, source, createdAt: now(), ...(note ? { note } : {}) });
  if (document.draftVersions.length > maxDraftVersions) document.draftVersions.shift();
}

function snapshot(document: LoopDocument) {
  return { draft: document.draft, versions: [...document.draftVersions] };
}

function restore(document: LoopDocument, before: ReturnType<typeof snapshot>): void {
  document.draft = before.draft;
  document.draftVersions = before.versions;
}
