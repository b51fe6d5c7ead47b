import type { ReactNode } from 'react';
import type { Decision } from '../../../../shared/domain';

/** One term of the list with its description. */
function Detail({ term, children }: { term: string; children: ReactNode }) {
  return (
    <div>
      <dt>{term}</dt>
      <dd>{children}</dd>
    </div>
  );
}

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
      {withChoice ? <Detail term="Choice">{decision.choice}</Detail> : null}
      {decision.rationale ? <Detail term="Rationale">{decision.rationale}</Detail> : null}
      {decision.optionsSetAside ? <Detail term="Options set aside">{decision.optionsSetAside}</Detail> : null}
      <Detail term="Confidence">{decision.confidence}%</Detail>
      {decision.prediction ? <Detail term="Prediction">{decision.prediction}</Detail> : null}
      {decision.reviewDate ? (
        <Detail term="Review date">
          <time dateTime={decision.reviewDate}>{decision.reviewDate}</time>
        </Detail>
      ) : null}
      {decision.forecasts.length > 0 ? (
        <Detail term="Forecasts">
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
        </Detail>
      ) : null}
    </dl>
  );
}
