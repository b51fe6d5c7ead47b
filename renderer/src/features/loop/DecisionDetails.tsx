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
      {decision.forecasts.length > 0 ? (
        <div>
          <dt>Forecasts</dt>
          <dd>
            <ul className="decision-forecast-list">
              {decision.forecasts.map((forecast) => (
                <li key={forecast.id}>
                  <strong>{forecast.probability}%</strong> {forecast.statement}
                  {forecast.resolveBy ? ` (resolves by ${forecast.resolveBy})` : ''}
                  {forecast.criteria ? (
                    <span className="decision-forecast-note"> {forecast.criteria}</span>
                  ) : null}
                  {forecast.updates.length > 0 ? (
                    <ul aria-label="Updates">
                      {forecast.updates.map((update) => (
                        <li key={update.at}>
                          {update.at.slice(0, 10)}: {update.probability}%, {update.reason}
                        </li>
                      ))}
                    </ul>
                  ) : null}
                  {forecast.resolution ? (
                    <span className="decision-forecast-note">
                      {' '}
                      Resolved {forecast.resolution.outcome} on {forecast.resolution.at.slice(0, 10)}
                      {forecast.resolution.note ? `: ${forecast.resolution.note}` : ''}
                    </span>
                  ) : null}
                </li>
              ))}
            </ul>
          </dd>
        </div>
      ) : null}
    </dl>
  );
}
