/** The person's decisions, their forecasts and reviews, and the ledger that lists them. */
import { z } from 'zod';
import { idSchema, isoDate } from './common';
import type { SpaceKind } from './loops';

/** How a forecast resolved, by the person: `ambiguous` ones are kept but left out of every score. */
export const forecastOutcomes = ['yes', 'no', 'ambiguous'] as const;
export type ForecastOutcome = (typeof forecastOutcomes)[number];

/** A later probability the person gave a forecast before it resolved, and why. */
export const forecastUpdateSchema = z.object({
  probability: z.number().int().min(1).max(99),
  reason: z.string(),
  at: isoDate,
});
export type ForecastUpdate = z.infer<typeof forecastUpdateSchema>;

/**
 * A statement about the future the person can score later: a probability (1–99 %), a date by
 * which it resolves and the words that say how. Only the person writes, updates or resolves one.
 */
export const forecastSchema = z.object({
  id: idSchema,
  statement: z.string(),
  /** The first probability (the gut call), kept as it was whatever the updates say. */
  probability: z.number().int().min(1).max(99),
  /** `YYYY-MM-DD`, or empty when the person set none. */
  resolveBy: z.string(),
  /** What makes it resolve yes ("churn in Q3 under 3 % in the board pack"). */
  criteria: z.string(),
  createdAt: isoDate,
  updates: z.array(forecastUpdateSchema),
  resolution: z.object({ outcome: z.enum(forecastOutcomes), note: z.string(), at: isoDate }).optional(),
});
export type Forecast = z.infer<typeof forecastSchema>;

/** The person's grading of a decision, process apart from outcome ("good call, bad luck"). */
export const decisionGradeSchema = z.object({
  process: z.enum(['good', 'poor']),
  outcome: z.enum(['good', 'bad']),
  note: z.string(),
  at: isoDate,
});
export type DecisionGrade = z.infer<typeof decisionGradeSchema>;

/** The person's decision. Only the person writes it: no AI move has a way to create or change one. */
export const decisionSchema = z.object({
  choice: z.string(),
  rationale: z.string(),
  optionsSetAside: z.string(),
  /** 0–100: how sure the person is. */
  confidence: z.number().int().min(0).max(100),
  /** What the person expects to happen, so it can be compared with what did. */
  prediction: z.string(),
  /** `YYYY-MM-DD`, or empty when the person set none. */
  reviewDate: z.string(),
  decidedAt: isoDate,
  /** Set when the loop was reopened after this decision. */
  reopenedAt: isoDate.optional(),
  /**
   * What happened and what was learned, written by the person in the same form as the forecasts'
   * resolutions (reviews recorded before that form also said how it went against the prediction).
   */
  review: z
    .object({
      outcome: z.string(),
      /** How it went against the prediction and the confidence (reviews of the old, separate form). */
      comparedWithPrediction: z.enum(['better', 'as-predicted', 'worse']).optional(),
      /** Empty when the person wrote no lesson. */
      lesson: z.string(),
      reviewedAt: isoDate,
      memoryId: z.string().optional(),
    })
    .optional(),
  /** The forecasts the decision rests on, in the order written. */
  forecasts: z.array(forecastSchema),
  grade: decisionGradeSchema.optional(),
});
export type Decision = z.infer<typeof decisionSchema>;

/**
 * What the ledger lists of one decision, kept in the catalog beside its loop so the ledger page
 * never opens a loop file. Long texts are cut; the loop file holds them whole.
 */
export const ledgerEntrySchema = z.object({
  choice: z.string(),
  confidence: z.number().int().min(0).max(100),
  decidedAt: isoDate,
  reviewDate: z.string(),
  /** Set when the loop was reopened after it (a past decision). */
  reopenedAt: isoDate.optional(),
  reviewed: z.boolean(),
  /** What happened and what was learned (cut), once the person wrote the outcome review. */
  review: z.object({ outcome: z.string(), lesson: z.string(), at: isoDate }).optional(),
  grade: decisionGradeSchema.optional(),
  /** Each forecast with its updates and their reasons (cut), so the page shows the history. */
  forecasts: z.array(forecastSchema),
});
export type LedgerEntry = z.infer<typeof ledgerEntrySchema>;

/** One decision as the ledger page lists it: its loop, its space and what the catalog keeps of it. */
export interface LedgerRow {
  loopId: string;
  spaceId: string;
  spaceName: string;
  spaceKind: SpaceKind;
  title: string;
  /** False for a decision made before its loop was reopened. */
  current: boolean;
  entry: LedgerEntry;
}

/** A forecast whose resolution date has come, as the due notification names it. */
export interface DueForecast {
  loopId: string;
  title: string;
  forecastId: string;
  statement: string;
  resolveBy: string;
}

export interface DueReview {
  loopId: string;
  spaceId: string;
  title: string;
  decision: Decision;
}

// ---- what the person writes about decisions, in the product's terms ----

/** A forecast as the person states it with a decision. */
export interface ForecastInput {
  statement: string;
  probability: number;
  /** `YYYY-MM-DD`, or empty. */
  resolveBy: string;
  criteria: string;
}

/** A decision as the person records it. */
export interface DecisionInput {
  choice: string;
  rationale: string;
  optionsSetAside: string;
  confidence: number;
  prediction: string;
  /** `YYYY-MM-DD`, or empty. */
  reviewDate: string;
  forecasts: ForecastInput[];
}

/** A new probability the person gives a forecast before it resolves, and why (its history is kept). */
export interface ForecastRevision {
  loopId: string;
  forecastId: string;
  probability: number;
  reason: string;
}

/** How one forecast resolved, in the person's words. */
export interface ForecastResolution {
  forecastId: string;
  outcome: ForecastOutcome;
  note: string;
}

/** What happened after a decision and what was learned; the lesson is kept as a memory when asked. */
export interface OutcomeReview {
  outcome: string;
  lesson: string;
  keepLesson: boolean;
}

/** Resolving a decision in one form: forecasts settled and, once, the outcome review. */
export interface DecisionResolution {
  loopId: string;
  /** Which decision of the loop (its `decidedAt`); the current one when absent. */
  decidedAt?: string;
  resolutions: ForecastResolution[];
  review?: OutcomeReview;
}

/** The person's grading of a decision's process apart from its outcome. */
export interface DecisionGrading {
  loopId: string;
  decidedAt?: string;
  process: DecisionGrade['process'];
  outcome: DecisionGrade['outcome'];
  note: string;
}
