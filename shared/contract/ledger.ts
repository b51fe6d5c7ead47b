/** Decisions, forecasts, reviews and the ledger. Only the person's calls write a decision. */
import { z } from 'zod';
import {
  idSchema,
  forecastOutcomes,
  daySchema,
  dayMessage,
  type DueReview,
  type LedgerRow,
  type MemoryOutcome,
  type Loop,
} from '../domain';
import { call, none, limits } from './spec';

/** A date the person may leave empty (`YYYY-MM-DD` or ''). */
const dayOrEmptySchema = z.union([z.literal(''), daySchema], { error: dayMessage }).default('');

/** A probability the person states: a whole percentage from 1 to 99 (certainty cannot be scored). */
const probabilitySchema = z
  .number()
  .int('must be a whole percentage')
  .min(1, 'must be at least 1 %')
  .max(99, 'must be at most 99 %');

export const forecastInputSchema = z
  .object({
    statement: z.string().trim().min(1, 'cannot be empty: say what you expect').max(limits.decisionField),
    probability: probabilitySchema,
    resolveBy: dayOrEmptySchema,
    criteria: z.string().trim().max(limits.decisionField).default(''),
  })
  .strict();

export const decisionInputSchema = z.object({
  choice: z.string().trim().min(1, 'cannot be empty: say what you chose').max(limits.decisionField),
  rationale: z.string().max(limits.decisionField).default(''),
  optionsSetAside: z.string().max(limits.decisionField).default(''),
  confidence: z.number().int('must be a whole percentage').min(0).max(100),
  prediction: z.string().max(limits.decisionField).default(''),
  reviewDate: dayOrEmptySchema,
  /** The forecasts the decision rests on, each to be resolved and scored later. */
  forecasts: z.array(forecastInputSchema).max(20, 'at most 20 forecasts').default([]),
});

export const ledgerCalls = {
  /** Records the person's decision. Only this call writes a decision, and only the person makes it. */
  recordDecision: call<Loop>()(decisionInputSchema.extend({ loopId: idSchema }).strict()),

  /** Changes a forecast's probability before it resolves, with the reason; the history is kept. Only the person's call. */
  updateForecast: call<Loop>()(
    z
      .object({
        loopId: idSchema,
        forecastId: idSchema,
        probability: probabilitySchema,
        reason: z.string().trim().min(1, 'cannot be empty: say what changed').max(limits.decisionField),
      })
      .strict(),
  ),

  /**
   * Resolves a decision in one form, as the person wrote it: each forecast they settle (yes, no or
   * ambiguous, left out of scores, with a note) and the outcome review (what happened, what was
   * learned), which is written once; the lesson is kept as a memory when the person asks. Every
   * part is written together or none is. Only the person's call.
   */
  resolveDecision: call<{ loop: Loop; memory?: MemoryOutcome }>()(
    z
      .object({
        loopId: idSchema,
        /** Which decision of the loop (its `decidedAt`); the current one when absent. */
        decidedAt: z.string().max(40).optional(),
        resolutions: z
          .array(
            z
              .object({
                forecastId: idSchema,
                outcome: z.enum(forecastOutcomes),
                note: z.string().trim().max(limits.decisionField).default(''),
              })
              .strict(),
          )
          .max(20, 'at most 20 forecasts')
          .default([]),
        review: z
          .object({
            outcome: z.string().trim().min(1, 'cannot be empty: say what happened').max(limits.decisionField),
            lesson: z.string().trim().max(limits.memoryText).default(''),
            /** Keep the lesson as a memory of the decision's space (when there is one). */
            keepLesson: z.boolean().default(true),
          })
          .strict()
          .optional(),
      })
      .strict(),
  ),

  /** Grades a decision's process apart from its outcome ("good call, bad luck"). Only the person's call. */
  gradeDecision: call<Loop>()(
    z
      .object({
        loopId: idSchema,
        /** Which decision of the loop (its `decidedAt`); the current one when absent. */
        decidedAt: z.string().max(40).optional(),
        process: z.enum(['good', 'poor']),
        outcome: z.enum(['good', 'bad']),
        note: z.string().trim().max(limits.decisionField).default(''),
      })
      .strict(),
  ),

  /**
   * Every decision across the spaces with its forecasts, from the catalog alone (no loop file is
   * read once the ledger has indexed them); the page scores and filters them itself.
   */
  getLedger: call<LedgerRow[]>()(none),

  /** Reopens a decided loop; its decision stays in the loop's history. */
  reopenLoop: call<Loop>()(z.object({ loopId: idSchema }).strict()),

  /** Decisions whose review date has come and that have no review yet. */
  listDueReviews: call<DueReview[]>()(none),
} as const;
