import type { Decision } from '../../../../shared/domain';

/**
 * A decision's parts as a description list: on the loop's decision banner and in the printed loop
 * (which shows the choice as its own line, so it can leave it out here).
 */
export function DecisionDetails({
  decision,
  withChoice = true,
}: {
  decision: Decision;
  withChoice?: boolean;
}) {
  return (
    <dl className="decision-details">
      {withChoice ? (
        <div>
          <dt>Choice</dt>
          <dd>{decision.choice}</dd>
        </div>
      ) : null}
      {decision.rationale ? (
        <div>
          <dt>Rationale</dt>
          <dd>{decision.rationale}</dd>
        </div>
      ) : null}
      {decision.optionsSetAside ? (
        <div>
          <dt>Options set aside</dt>
          <dd>{decision.optionsSetAside}</dd>
        </div>
      ) : null}
      <div>
        <dt>Confidence</dt>
        <dd>{decision.confidence}%</dd>
      </div>
      {decision.prediction ? (
        <div>
          <dt>Prediction</dt>
          <dd>{decision.prediction}</dd>
        </div>
      ) : null}
      {decision.reviewDate ? (
        <div>
          <dt>Review date</dt>
          <dd>
            <time dateTime={decision.reviewDate}>{decision.reviewDate}</time>
          </dd>
        </div>
      ) : null}
    </dl>
  );
}
