import { useId } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { DueReview } from '../../../../shared/domain';
import { useKeel } from '../../store/KeelStoreProvider';
import { ResolveDecisionForm, resolvableFromLoop } from '../ledger/ResolveDecisionForm';
import { MemoryOutcomeNotice } from './MemoryOutcomeNotice';
import { formatDate } from './memoryLabels';

/**
 * A decision whose review date came: what was decided, then the one form that resolves its
 * forecasts and records what happened and what was learned (the lesson kept as a memory if asked).
 */
function ReviewForm({ review }: { review: DueReview }) {
  const headingId = useId();
  const openTurn = useKeel((state) => state.openTurn);
  const { decision } = review;
  return (
    <li className="mem-card" aria-labelledby={headingId}>
      <h3 id={headingId} className="mem-card-title">
        <button type="button" className="link-button mem-link" onClick={() => void openTurn(review.loopId)}>
          {review.title}
        </button>
      </h3>
      <dl className="mem-facts">
        <dt>You decided</dt>
        <dd>{decision.choice}</dd>
        {decision.prediction ? (
          <>
            <dt>You predicted</dt>
            <dd>{decision.prediction}</dd>
          </>
        ) : null}
        <dt>Confidence</dt>
        <dd>
          {decision.confidence}% · decided {formatDate(decision.decidedAt)}
          {decision.reviewDate ? ` · review due ${decision.reviewDate}` : ''}
        </dd>
      </dl>
      <ResolveDecisionForm decision={resolvableFromLoop(review.loopId, decision)} />
    </li>
  );
}

/** Decisions whose review date has come: what happened, and what to carry forward. */
export function DueReviews() {
  const headingId = useId();
  const reviews = useKeel(useShallow((state) => state.dueReviews));
  // The record itself is selected (its entries are new arrays on every call, which no equality
  // check would ever call unchanged, so React would render without end).
  const allOutcomes = useKeel((state) => state.memoryOutcomes);
  const outcomes = Object.entries(allOutcomes).filter(([place]) => place.startsWith('review:'));
  const dismissOutcome = useKeel((state) => state.dismissOutcome);
  return (
    <section className="mem-section" aria-labelledby={headingId} id="memory-reviews">
      <h2 id={headingId} tabIndex={-1}>
        Decisions to review
      </h2>
      {outcomes.map(([place, outcome]) => (
        <div key={place} className="mem-recorded">
          <p>Review recorded. What you learned is kept:</p>
          <MemoryOutcomeNotice outcome={outcome} onDismiss={() => dismissOutcome(place)} />
        </div>
      ))}
      {reviews.length === 0 ? (
        <p className="muted mem-empty">
          No decision is due for review. When you decide with a review date, it comes back here on that day.
        </p>
      ) : (
        <ul className="mem-cards" aria-label="Decisions due for review">
          {reviews.map((review) => (
            <ReviewForm key={review.loopId} review={review} />
          ))}
        </ul>
      )}
    </section>
  );
}
