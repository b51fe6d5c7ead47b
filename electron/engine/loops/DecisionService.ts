/**
 * The person's decision. This is the only code that writes `decision`, and it runs only from the
 * person's own call: the move runner has no access to it, so no AI move can create or change one.
 */
import type { CallArgs } from '../../../shared/contract';
import type { Decision, Loop, Turn } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import { newId, now } from '../ids';
import type { LoopService } from './LoopService';

export class DecisionService {
  constructor(private readonly loops: LoopService) {}

  async record({ loopId, ...input }: CallArgs<'recordDecision'>): Promise<Loop> {
    await this.loops.change(loopId, (document, summary) => {
      if (document.decision) {
        throw new KeelError(
          'invalid-input',
          'This loop is already decided. Reopen it to record a new decision.',
        );
      }
      const at = now();
      const decision: Decision = { ...input, decidedAt: at };
      const turn: Turn = {
        id: newId('tn'),
        loopId,
        author: 'person',
        move: 'decide',
        text: describeDecision(decision),
        status: 'complete',
        createdAt: at,
        updatedAt: at,
      };
      document.decision = decision;
      document.turns.push(turn);
      summary.decided = true;
      return {
        result: undefined,
        revert: () => {
          delete document.decision;
          document.turns.splice(document.turns.indexOf(turn), 1);
          summary.decided = false;
        },
      };
    });
    return this.loops.getLoop({ loopId });
  }

  /** Records how the decision turned out. Only the person's call reaches this. */
  async review(
    { loopId, outcome, comparedWithPrediction, lesson }: CallArgs<'recordReview'>,
    memoryId: (decision: Decision) => Promise<string>,
  ): Promise<Loop> {
    const { document } = await this.loops.open(loopId);
    const decision = document.data.decision;
    if (!decision) throw new KeelError('invalid-input', 'This loop has no decision to review.');
    if (decision.review) throw new KeelError('invalid-input', 'This decision was already reviewed.');
    const id = await memoryId(decision);
    await this.loops.change(loopId, () => {
      decision.review = { outcome, comparedWithPrediction, lesson, reviewedAt: now(), memoryId: id };
      return { result: undefined, revert: () => delete decision.review };
    });
    return this.loops.getLoop({ loopId });
  }

  async reopen({ loopId }: CallArgs<'reopenLoop'>): Promise<Loop> {
    await this.loops.change(loopId, (document, summary) => {
      const decision = document.decision;
      if (!decision)
        throw new KeelError('invalid-input', 'This loop is not decided, so there is nothing to reopen.');
      document.pastDecisions.push({ ...decision, reopenedAt: now() });
      delete document.decision;
      summary.decided = false;
      return {
        result: undefined,
        revert: () => {
          document.pastDecisions.pop();
          document.decision = decision;
          summary.decided = true;
        },
      };
    });
    return this.loops.getLoop({ loopId });
  }
}

/** Whether a decision's review date has come (on or before `today`, `YYYY-MM-DD`). */
export function reviewIsDue(reviewDate: string | undefined, today: string): boolean {
  return !!reviewDate && reviewDate <= today;
}

/** The decision as the timeline shows it and as later moves read it. */
export function describeDecision(
  decision: Omit<Decision, 'decidedAt'>,
  style: 'turn' | 'document' = 'turn',
): string {
  // The timeline's turn says what was decided and why; the exported document names its parts.
  const label =
    style === 'turn'
      ? { choice: 'Decision', rationale: 'Why', reviewDate: 'Review on' }
      : { choice: 'Choice', rationale: 'Rationale', reviewDate: 'Review date' };
  const lines = [`**${label.choice}:** ${decision.choice}`];
  if (decision.rationale) lines.push(`**${label.rationale}:** ${decision.rationale}`);
  if (decision.optionsSetAside) lines.push(`**Options set aside:** ${decision.optionsSetAside}`);
  lines.push(`**Confidence:** ${decision.confidence}%`);
  if (decision.prediction) lines.push(`**Prediction:** ${decision.prediction}`);
  if (decision.reviewDate) lines.push(`**${label.reviewDate}:** ${decision.reviewDate}`);
  return lines.join('\n\n');
}
