import type { Migration } from '../DocumentAdapter';

/** Loop 2 → 3: decisions hold forecasts; a decision's prediction and confidence become its one forecast. */
export const toVersion3: Migration = (document) => ({
  ...document,
  ...(isRecord(document.decision) ? { decision: withForecasts(document.decision) } : {}),
  pastDecisions: Array.isArray(document.pastDecisions)
    ? document.pastDecisions.map((decision) => (isRecord(decision) ? withForecasts(decision) : decision))
    : document.pastDecisions,
});

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * A version-2 decision's prediction, at its confidence, becomes a forecast resolving on its review
 * date. A confidence of 0 or 100 is moved to 1 or 99: certainty cannot be scored. Its id is made
 * from the decision's time so the migration gives the same id each time the file is read.
 */
function withForecasts(decision: Record<string, unknown>): Record<string, unknown> {
  const prediction = typeof decision.prediction === 'string' ? decision.prediction.trim() : '';
  const confidence = typeof decision.confidence === 'number' ? decision.confidence : 50;
  const decidedAt = typeof decision.decidedAt === 'string' ? decision.decidedAt : '';
  const forecasts = prediction
    ? [
        {
          id: `fc-${decidedAt.replace(/[^0-9]/g, '').slice(0, 40) || 'migrated'}-1`,
          statement: prediction,
          probability: Math.min(99, Math.max(1, Math.round(confidence))),
          resolveBy: typeof decision.reviewDate === 'string' ? decision.reviewDate : '',
          criteria: '',
          createdAt: decidedAt,
          updates: [],
        },
      ]
    : [];
  return { ...decision, forecasts };
}
