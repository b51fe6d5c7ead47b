/** Decisions, forecasts, reviews and the ledger: only the person's calls write a decision. */
import type { ledgerCalls } from '../../../shared/contract/ledger';
import type { HandlersFor, WorkspaceServices } from './services';

export const ledgerHandlers = ({ decisions }: WorkspaceServices): HandlersFor<typeof ledgerCalls> => ({
  recordDecision: (input) => decisions.record(input),
  reopenLoop: (input) => decisions.reopen(input),
  updateForecast: (input) => decisions.updateForecast(input),
  gradeDecision: (input) => decisions.grade(input),
  resolveDecision: (input) => decisions.resolve(input),
  listDueReviews: () => decisions.dueReviews(),
  getLedger: () => decisions.ledger(),
});
