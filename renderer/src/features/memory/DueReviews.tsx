import { MemoryTextField } from './MemoryTextField';
import { useId, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { limits } from '../../../../shared/contract';
import type { DueReview } from '../../../../shared/domain';
import { useKeel } from '../../store/KeelStoreProvider';
import { ActionError } from '../loop/ActionError';
import { useTurnAction } from '../loop/useTurnAction';
import { MemoryOutcomeNotice } from './MemoryOutcomeNotice';
import { formatDate } from './memoryLabels';

type Comparison = 'better' | 'as-predicted' | 'worse';

const comparisons: { value: Comparison; label: string }[] = [
  { value: 'better', label: 'Better' },
  { value: 'as-predicted', label: 'As predicted' },
  { value: 'worse', label: 'Worse' },
];

/** What happened after a decision, set against the prediction; the lesson becomes a memory. */
function ReviewForm({ review }: { review: DueReview }) {
  const outcomeId = useId();
  const lessonId = useId();
  const headingId = useId();
  const recordReview = useKeel((state) => state.recordReview);
  const openTurn = useKeel((state) => state.openTurn);
  const [outcome, setOutcome] = useState('');
  const [compared, setCompared] = useState<Comparison | null>(null);
  const [lesson, setLesson] = useState('');
  const [missing, setMissing] = useState<string | null>(null);
  const { busy, error, run } = useTurnAction();
  const { decision } = review;

  const submit = async () => {
    if (outcome.trim() === '') return setMissing('Say what happened.');
    if (!compared) return setMissing('Say how it compares with your prediction.');
    if (lesson.trim() === '') return setMissing('Say what you learned: it becomes a memory.');
    setMissing(null);
    await run(() =>
      recordReview({ loopId: review.loopId, outcome, comparedWithPrediction: compared, lesson }),
    );
  };

  return (
    <li className="mem-card">
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
      <form
        className="mem-form"
        aria-labelledby={headingId}
        noValidate
        onSubmit={(event) => {
          event.preventDefault();
          void submit();
        }}
      >
        <div className="field mem-field-wide">
          <label htmlFor={outcomeId}>What happened</label>
          <textarea
            id={outcomeId}
            rows={2}
            value={outcome}
            maxLength={limits.decisionField}
            onChange={(event) => setOutcome(event.target.value)}
          />
        </div>
        <fieldset className="mem-radios">
          <legend>Compared with your prediction</legend>
          {comparisons.map(({ value, label }) => (
            <label key={value} className="mem-radio">
              <input
                type="radio"
                name={`compared-${review.loopId}`}
                value={value}
                checked={compared === value}
                onChange={() => setCompared(value)}
              />
              {label}
            </label>
          ))}
        </fieldset>
        <MemoryTextField id={lessonId} label="What you learned" value={lesson} onChange={setLesson} />
        <div className="mem-card-actions">
          <button type="submit" className="button button-small button-primary" aria-disabled={busy}>
            Record review
          </button>
        </div>
        <ActionError error={missing ?? error} />
      </form>
    </li>
  );
}

/** Decisions whose review date has come: what happened, and what to carry forward. */
export function DueReviews() {
  const headingId = useId();
  const reviews = useKeel(useShallow((state) => state.dueReviews));
  const outcomes = useKeel(
    useShallow((state) =>
      Object.entries(state.memoryOutcomes).filter(([place]) => place.startsWith('review:')),
    ),
  );
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
