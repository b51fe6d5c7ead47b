/**
 * The person's hand on every AI turn: keep it, set it aside (it leaves the model's context), pin it
 * (it always stays in context), edit its text (marked as edited by the person, the original kept),
 * and choose which version of a regenerated move counts.
 */
import type { Turn, TurnSteer } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import { versionGroupOf, versionsOf } from '../../../shared/loopLogic';
import { now } from '../ids';
import type { LoopDocument } from '../store/documents';
import type { LoopService } from './LoopService';

/** How the person steers the AI's turns: keep, set aside, pin, edit, or choose a version. */
export interface TurnSteering {
  steer(steer: TurnSteer): Promise<Turn>;
  edit(edit: { loopId: string; turnId: string; text: string }): Promise<Turn>;
  chooseVersion(which: { loopId: string; turnId: string }): Promise<Turn>;
}

export class SteeringService implements TurnSteering {
  constructor(
    private readonly loops: LoopService,
    /** Told of every turn set aside with a reason, so repeated reasons can become a suggested preference. */
    private readonly onSetAside?: (
      spaceId: string,
      loopId: string,
      turnId: string,
      reason: string,
    ) => unknown,
  ) {}

  async steer({ loopId, turnId, state, reason }: TurnSteer): Promise<Turn> {
    const turn = await this.loops.change(loopId, (document) => {
      const turn = aiTurn(document, turnId);
      const before = turn.steering;
      if (state === null) delete turn.steering;
      else turn.steering = { state, at: now(), ...(state === 'set-aside' && reason ? { reason } : {}) };
      return {
        result: { ...turn },
        revert: () => {
          if (before) turn.steering = before;
          else delete turn.steering;
        },
      };
    });
    if (state === 'set-aside' && reason && this.onSetAside) {
      const { summary } = await this.loops.open(loopId);
      await this.onSetAside(summary.spaceId, loopId, turnId, reason);
    }
    return turn;
  }

  edit({ loopId, turnId, text }: { loopId: string; turnId: string; text: string }): Promise<Turn> {
    return this.loops.change(loopId, (document) => {
      const turn = aiTurn(document, turnId);
      if (turn.status === 'streaming') {
        throw new KeelError('busy', 'The AI is still writing this turn. Stop it or wait, then edit it.');
      }
      const before = { text: turn.text, edited: turn.edited, updatedAt: turn.updatedAt };
      const at = now();
      turn.edited = { originalText: turn.edited?.originalText ?? turn.text, at };
      turn.text = text;
      turn.updatedAt = at;
      return {
        result: { ...turn },
        revert: () => {
          turn.text = before.text;
          turn.updatedAt = before.updatedAt;
          if (before.edited) turn.edited = before.edited;
          else delete turn.edited;
        },
      };
    });
  }

  chooseVersion({ loopId, turnId }: { loopId: string; turnId: string }): Promise<Turn> {
    return this.loops.change(loopId, (document) => {
      const chosen = aiTurn(document, turnId);
      const first = document.turns.find((turn) => turn.id === versionGroupOf(chosen));
      // A version group is of AI turns only, its first version included.
      const root = first?.author === 'ai' ? first : undefined;
      if (!root || versionsOf(document.turns, turnId).length < 2) {
        throw new KeelError('invalid-input', 'That turn has only one version.', { field: 'turnId' });
      }
      const before = root.chosenVersion;
      root.chosenVersion = chosen.id;
      return {
        result: { ...chosen },
        revert: () => {
          if (before) root.chosenVersion = before;
          else delete root.chosenVersion;
        },
      };
    });
  }
}

/** An AI turn of the loop; the person's own turns are theirs already and are not steered. */
export function aiTurn(document: LoopDocument, turnId: string): Turn {
  const turn = document.turns.find((candidate) => candidate.id === turnId);
  if (!turn) throw new KeelError('not-found', 'That turn no longer exists.', { field: 'turnId' });
  if (turn.author !== 'ai') {
    throw new KeelError(
      'invalid-input',
      'Only the AI’s turns are steered; your own turns are yours as written.',
      {
        field: 'turnId',
      },
    );
  }
  return turn;
}
