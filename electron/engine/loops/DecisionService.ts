/**
 * The person's decision. This is the only code that writes `decision`, and it runs only from the
 * person's own call: the move runner has no access to it, so no AI move can create or change one.
 */
import type {
  Decision,
  DecisionGrading,
  DecisionInput,
  DecisionResolution,
  DueReview,
  Forecast,
  ForecastRevision,
  LedgerEntry,
  LedgerRow,
  Loop,
  MemoryOutcome,
  Turn,
} from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import { newId, now } from '../ids';
import { decisionCopy, type LoopDocument, type WritableLoopDocument } from '../store/documents';
import type { CaptureInput } from '../memory/MemoryService';
import type { LoopService } from './LoopService';

/** The person's decisions: recorded, forecasts updated and resolved, reviewed, graded, reopened, listed. */
export interface Decisions {
  record(decision: DecisionInput & { loopId: string }): Promise<Loop>;
  updateForecast(update: ForecastRevision): Promise<Loop>;
  resolve(resolution: DecisionResolution): Promise<{ loop: Loop; memory?: MemoryOutcome }>;
  grade(grading: DecisionGrading): Promise<Loop>;
  reopen(which: { loopId: string }): Promise<Loop>;
  dueReviews(): Promise<DueReview[]>;
  ledger(): Promise<LedgerRow[]>;
}

/** Where a reviewed decision's lesson is kept: memory's capture. */
export type KeepLesson = (lesson: CaptureInput) => Promise<MemoryOutcome>;

export class DecisionService implements Decisions {
  constructor(
    private readonly loops: LoopService,
    private readonly keepLesson: KeepLesson,
  ) {}

  async record({ loopId, forecasts, ...input }: DecisionInput & { loopId: string }): Promise<Loop> {
    await this.loops.change(loopId, (readOnly, summary) => {
      const document = writable(readOnly);
      if (document.decision) {
        throw new KeelError(
          'invalid-input',
          'This loop is already decided. Reopen it to record a new decision.',
        );
      }
      const at = now();
      const decision: Decision = {
        ...input,
        decidedAt: at,
        forecasts: forecasts.map((forecast) => ({
          ...forecast,
          id: newId('fc'),
          createdAt: at,
          updates: [],
        })),
      };
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
      // The dossier points at the draft as it stood when deciding: keep it as a version if it is not one.
      const draft = document.draft;
      const snapshot =
        draft.trim() !== '' && document.draftVersions.at(-1)?.text !== draft
          ? { id: newId('dv'), text: draft, source: 'saved' as const, note: 'At the decision', createdAt: at }
          : undefined;
      if (snapshot) document.draftVersions.push(snapshot);
      document.decision = decision;
      document.turns.push(turn);
      summary.decided = true;
      return {
        result: undefined,
        revert: () => {
          if (snapshot) document.draftVersions.splice(document.draftVersions.indexOf(snapshot), 1);
          delete document.decision;
          document.turns.splice(document.turns.indexOf(turn), 1);
          summary.decided = false;
        },
      };
    });
    return this.loops.getLoop({ loopId });
  }

  /**
   * Resolves a decision in one go, as the person wrote it in one form: each forecast they settled
   * (yes, no or ambiguous, with a note) and, if not written yet, the outcome review (what happened,
   * what was learned). A lesson the person keeps becomes a memory of the loop's space first, and its
   * id goes on the review; everything is then written together, or nothing is. Only the person's
   * call reaches this.
   */
  async resolve({
    loopId,
    decidedAt,
    resolutions,
    review,
  }: DecisionResolution): Promise<{ loop: Loop; memory?: MemoryOutcome }> {
    const { summary, document } = await this.loops.open(loopId);
    const found = decisionOf(writable(document.data), decidedAt);
    if (review && found.review) throw new KeelError('invalid-input', 'This decision was already reviewed.');
    for (const { forecastId } of resolutions) {
      if (!found.forecasts.some((forecast) => forecast.id === forecastId))
        throw new KeelError('not-found', 'That forecast is not part of this decision.', {
          field: 'forecastId',
        });
    }
    if (new Set(resolutions.map((one) => one.forecastId)).size !== resolutions.length)
      throw new KeelError('invalid-input', 'Each forecast is resolved once.', { field: 'resolutions' });
    if (resolutions.length === 0 && !review)
      throw new KeelError('invalid-input', 'Resolve a forecast or say what happened.', {
        field: 'resolutions',
      });
    // Checked before a memory is kept, so a refused resolution leaves no lesson behind.
    for (const { forecastId } of resolutions) openForecast(writable(document.data), forecastId);
    let memory: MemoryOutcome | undefined;
    if (review?.keepLesson && review.lesson !== '') {
      const decision = decisionCopy(found);
      memory = await this.keepLesson({
        text: `${review.lesson} (From the decision “${decision.choice}”, made at ${decision.confidence}% confidence. ${review.outcome})`,
        kind: 'lesson',
        scope: { type: 'space', spaceId: summary.spaceId },
        origin: 'review',
        loopId,
      });
    }
    const memoryId = memory?.item.id;
    await this.loops.change(loopId, (readOnly) => {
      const decision = decisionOf(writable(readOnly), decidedAt);
      const at = now();
      const forecasts = resolutions.map(({ forecastId, outcome, note }) => {
        const forecast = openForecast(writable(readOnly), forecastId);
        forecast.resolution = { outcome, note, at };
        return forecast;
      });
      if (review) {
        decision.review = {
          outcome: review.outcome,
          lesson: review.lesson,
          reviewedAt: at,
          ...(memoryId ? { memoryId } : {}),
        };
      }
      return {
        result: undefined,
        revert: () => {
          for (const forecast of forecasts) delete forecast.resolution;
          if (review) delete decision.review;
        },
      };
    });
    const loop = await this.loops.getLoop({ loopId });
    return { loop, ...(memory ? { memory } : {}) };
  }

  /** A new probability for an open forecast, with the person's reason. Only the person's call reaches this. */
  async updateForecast({ loopId, forecastId, probability, reason }: ForecastRevision): Promise<Loop> {
    await this.loops.change(loopId, (readOnly) => {
      const document = writable(readOnly);
      const forecast = openForecast(document, forecastId);
      forecast.updates.push({ probability, reason, at: now() });
      return { result: undefined, revert: () => forecast.updates.pop() };
    });
    return this.loops.getLoop({ loopId });
  }

  /** The person's grade of a decision's process and of its outcome, apart. */
  async grade({ loopId, decidedAt, process, outcome, note }: DecisionGrading): Promise<Loop> {
    await this.loops.change(loopId, (readOnly) => {
      const decision = decisionOf(writable(readOnly), decidedAt);
      const before = decision.grade;
      decision.grade = { process, outcome, note, at: now() };
      return {
        result: undefined,
        revert: () => {
          if (before) decision.grade = before;
          else delete decision.grade;
        },
      };
    });
    return this.loops.getLoop({ loopId });
  }

  /** Decisions whose review date has come (today or earlier) and that have no review yet. */
  async dueReviews(today = new Date().toISOString().slice(0, 10)): Promise<DueReview[]> {
    const due = this.loops
      .listLoops({ includeArchived: false })
      .filter((loop) => reviewIsDue(loop.reviewDue, today));
    const reviews: DueReview[] = [];
    for (const loop of due) {
      const { document } = await this.loops.open(loop.id);
      const decision = document.data.decision;
      if (decision && !decision.review) {
        reviews.push({
          loopId: loop.id,
          spaceId: loop.spaceId,
          title: loop.title,
          decision: decisionCopy(decision),
        });
      }
    }
    return reviews;
  }

  /**
   * Every decision across the spaces, from the catalog. A loop the ledger has not indexed yet (one
   * from before the ledger) is opened once to index it; after that no loop file is read here.
   */
  async ledger(): Promise<LedgerRow[]> {
    const all = this.loops.listLoops({ includeArchived: true });
    let indexed = false;
    for (const summary of all) {
      if (summary.ledger !== undefined) continue;
      try {
        const { document } = await this.loops.open(summary.id);
        summary.ledger = ledgerEntries(document.data);
        indexed = true;
      } catch (error) {
        // A damaged loop is reported where it is opened; the ledger lists the others and tries it again next time.
        console.error('Keel: a loop could not be indexed for the ledger', error);
      }
    }
    if (indexed) await this.loops.flushCatalog();
    const spaces = new Map(
      this.loops.listSpaces({ includeArchived: true }).map((space) => [space.id, space]),
    );
    const rows: LedgerRow[] = [];
    for (const summary of all) {
      const entries = summary.ledger ?? [];
      const space = spaces.get(summary.spaceId);
      entries.forEach((entry, index) => {
        rows.push({
          loopId: summary.id,
          spaceId: summary.spaceId,
          spaceName: space?.name ?? '',
          spaceKind: space?.kind ?? 'general',
          title: summary.title,
          current: index === entries.length - 1 && summary.decided,
          entry,
        });
      });
    }
    return rows;
  }

  async reopen({ loopId }: { loopId: string }): Promise<Loop> {
    await this.loops.change(loopId, (readOnly, summary) => {
      const document = writable(readOnly);
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

/**
 * The loop's decisions made writable. Only this module names `WritableLoopDocument` (an import
 * rule enforces it), so the decision service is the one place a decision, a forecast, an update,
 * a resolution or a grade is written, and it is reached only from the person's own calls.
 */
function writable(document: LoopDocument): WritableLoopDocument {
  return document as WritableLoopDocument;
}

/** The loop's decision recorded at `decidedAt`, or its current one when that is absent. */
function decisionOf(document: WritableLoopDocument, decidedAt: string | undefined): Decision {
  const decision =
    decidedAt === undefined
      ? document.decision
      : [document.decision, ...document.pastDecisions].find((one) => one?.decidedAt === decidedAt);
  if (!decision)
    throw new KeelError('not-found', 'That decision is not in this loop.', { field: 'decidedAt' });
  return decision;
}

/** A forecast of the loop (of its decision or a past one) that has not resolved yet. */
function openForecast(document: WritableLoopDocument, forecastId: string): Forecast {
  const forecast = [document.decision, ...document.pastDecisions]
    .flatMap((decision) => decision?.forecasts ?? [])
    .find((candidate) => candidate.id === forecastId);
  if (!forecast)
    throw new KeelError('not-found', 'That forecast is not in this loop.', { field: 'forecastId' });
  if (forecast.resolution) {
    throw new KeelError(
      'invalid-input',
      'This forecast is already resolved; a resolution is not changed later.',
      {
        field: 'forecastId',
      },
    );
  }
  return forecast;
}

/** How long a text the ledger keeps in the catalog: enough to list and search it, not the whole essay. */
const ledgerTextLimit = 300;

function cut(text: string): string {
  return text.length <= ledgerTextLimit ? text : `${text.slice(0, ledgerTextLimit - 1)}…`;
}

/** What the catalog keeps of a loop's decisions for the ledger, past ones first. */
export function ledgerEntries(document: Pick<LoopDocument, 'decision' | 'pastDecisions'>): LedgerEntry[] {
  const decisions = [...document.pastDecisions, ...(document.decision ? [document.decision] : [])];
  return decisions.map((decision) => ({
    choice: cut(decision.choice),
    confidence: decision.confidence,
    decidedAt: decision.decidedAt,
    reviewDate: decision.reviewDate,
    ...(decision.reopenedAt ? { reopenedAt: decision.reopenedAt } : {}),
    reviewed: decision.review !== undefined,
    ...(decision.review
      ? {
          review: {
            outcome: cut(decision.review.outcome),
            lesson: cut(decision.review.lesson),
            at: decision.review.reviewedAt,
          },
        }
      : {}),
    ...(decision.grade ? { grade: decision.grade } : {}),
    forecasts: decision.forecasts.map((forecast) => ({
      id: forecast.id,
      statement: cut(forecast.statement),
      probability: forecast.probability,
      resolveBy: forecast.resolveBy,
      criteria: cut(forecast.criteria),
      createdAt: forecast.createdAt,
      updates: forecast.updates.map(({ probability, reason, at }) => ({
        probability,
        reason: cut(reason),
        at,
      })),
      ...(forecast.resolution
        ? { resolution: { ...forecast.resolution, note: cut(forecast.resolution.note) } }
        : {}),
    })),
  }));
}

/** Whether a decision's review date has come (on or before `today`, `YYYY-MM-DD`). */
export function reviewIsDue(reviewDate: string | undefined, today: string): boolean {
  return !!reviewDate && reviewDate <= today;
}

/** The decision as the timeline shows it and as later moves read it. */
export function describeDecision(
  decision: Omit<Decision, 'decidedAt' | 'forecasts'> & {
    forecasts?: readonly Pick<Forecast, 'statement' | 'probability' | 'resolveBy' | 'criteria'>[];
  },
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
  const forecasts = decision.forecasts ?? [];
  if (forecasts.length > 0) {
    const items = forecasts.map((forecast) => {
      const by = forecast.resolveBy ? `, resolves by ${forecast.resolveBy}` : '';
      const criteria = forecast.criteria ? ` (${forecast.criteria})` : '';
      return `- ${forecast.probability}%: ${forecast.statement}${by}${criteria}`;
    });
    lines.push(`**Forecasts:**\n\n${items.join('\n')}`);
  }
  return lines.join('\n\n');
}
