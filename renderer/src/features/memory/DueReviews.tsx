import { useId } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { DueReview } from '../../../../shared/domain';
import { useKeel } from '../../store/KeelStoreProvider';
import { ResolveDecisionForm, resolvableFromLoop } from '../ledger/ResolveDecisionForm';
import { MemoryCardsSection } from './MemoryCardsSection';
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
  const reviews = useKeel(useShallow((state) => state.dueReviews));
  const cards = reviews.map((review) => <ReviewForm key={review.loopId} review={review} />);
  return <MemoryCardsSection of="review" cards={cards} />;
}
