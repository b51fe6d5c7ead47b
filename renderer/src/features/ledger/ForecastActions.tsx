import { useId, useState, type ReactNode } from 'react';
import { limits } from '../../../../shared/contract';
import type { KeelErrorInfo } from '../../../../shared/errors';
import {
  firstBrier,
  latestProbability,
  timeWeightedBrier,
  type LedgerForecast,
} from '../../../../shared/ledger';
import { useKeel } from '../../store/KeelStoreProvider';
import { ActionError } from '../loop/ActionError';
import { useTurnAction } from '../loop/useTurnAction';

/** A one-line text field of a forecast form, as long as a decision's fields may be. */
export function LedgerTextField(props: { label: string; value: string; onChange: (value: string) => void }) {
  const id = useId();
  return (
    <div className="field ledger-wide">
      <label htmlFor={id}>{props.label}</label>
      <input
        id={id}
        type="text"
        value={props.value}
        maxLength={limits.decisionField}
        onChange={(event) => props.onChange(event.target.value)}
      />
    </div>
  );
}

/** A forecast form's end: its button, what is still missing, and why the last try failed. */
export function LedgerFormEnd(props: {
  label: string;
  primary?: boolean;
  busy: boolean;
  missing: string | null;
  error: KeelErrorInfo | string | null;
}) {
  return (
    <>
      <button
        type="submit"
        className={props.primary ? 'button button-primary' : 'button'}
        disabled={props.busy}
      >
        {props.label}
      </button>
      {props.missing ? (
        <p role="alert" className="form-error ledger-wide">
          {props.missing}
        </p>
      ) : null}
      <ActionError error={props.error} />
    </>
  );
}

/** A ledger form: checked by its own code (so `missing` can say what is left) and sent by its button or Enter. */
export function LedgerForm(props: {
  className?: string;
  label: string;
  onSubmit: () => void;
  children: ReactNode;
}) {
  return (
    <form
      className={props.className ? `ledger-form ${props.className}` : 'ledger-form'}
      aria-label={props.label}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        props.onSubmit();
      }}
    >
      {props.children}
    </form>
  );
}

/** A new probability for an open forecast, with the reason: the earlier ones stay in its history. */
function UpdateForm({ loopId, forecast }: { loopId: string; forecast: LedgerForecast }) {
  const probabilityId = useId();
  const updateForecast = useKeel((state) => state.updateForecast);
  const [probability, setProbability] = useState(String(latestProbability(forecast)));
  const [reason, setReason] = useState('');
  const [missing, setMissing] = useState<string | null>(null);
  const { busy, error, run } = useTurnAction();
  const submit = async () => {
    const value = Number(probability);
    if (!Number.isInteger(value) || value < 1 || value > 99)
      return setMissing('Give a whole percentage from 1 to 99.');
    if (reason.trim() === '') return setMissing('Say what changed your mind.');
    setMissing(null);
    const result = await run(() =>
      updateForecast({ loopId, forecastId: forecast.id, probability: value, reason }),
    );
    if (result?.ok) setReason('');
  };
  return (
    <LedgerForm label={`Update “${forecast.statement}”`} onSubmit={() => void submit()}>
      <div className="field ledger-probability">
        <label htmlFor={probabilityId}>New probability (%)</label>
        <input
          id={probabilityId}
          type="number"
          inputMode="numeric"
          min={1}
          max={99}
          value={probability}
          onChange={(event) => setProbability(event.target.value)}
        />
      </div>
      <LedgerTextField label="Why it changed" value={reason} onChange={setReason} />
      <LedgerFormEnd label="Update" busy={busy} missing={missing} error={error} />
    </LedgerForm>
  );
}

/**
 * How a forecast's probability moved: the first call, then each update with when, from what to
 * what and the person's reason. A list, so it is read the same with or without a screen.
 */
function ProbabilityHistory({ forecast }: { forecast: LedgerForecast }) {
  return (
    <ol className="ledger-history" aria-label={`Probability history of “${forecast.statement}”`}>
      <li>
        <time dateTime={forecast.createdAt}>{forecast.createdAt.slice(0, 10)}</time>: first call{' '}
        {forecast.probability}%
      </li>
      {forecast.updates.map((update, index) => {
        const from = index === 0 ? forecast.probability : forecast.updates[index - 1]!.probability;
        return (
          <li key={update.at}>
            <time dateTime={update.at}>{update.at.slice(0, 10)}</time>: {from}% → {update.probability}%
            {update.reason ? `, because ${update.reason}` : ''}
          </li>
        );
      })}
    </ol>
  );
}

/** One forecast: what it says, how its probability moved and why, and how it resolved or an update. */
export function ForecastItem({ loopId, forecast }: { loopId: string; forecast: LedgerForecast }) {
  return (
    <li className="ledger-forecast">
      <p className="ledger-forecast-statement">
        <strong>{latestProbability(forecast)}%</strong> {forecast.statement}
      </p>
      <p className="muted ledger-forecast-meta">
        {forecast.resolveBy ? `Resolves by ${forecast.resolveBy}` : 'No resolution date'}
        {forecast.criteria ? ` · ${forecast.criteria}` : ''}
      </p>
      <ProbabilityHistory forecast={forecast} />
      {forecast.resolution ? (
        <p className="ledger-resolution">
          Resolved <strong>{forecast.resolution.outcome}</strong> on {forecast.resolution.at.slice(0, 10)}
          {forecast.resolution.note ? `: ${forecast.resolution.note}` : ''}
          {forecast.resolution.outcome === 'ambiguous'
            ? ' (left out of scores)'
            : `. Brier ${firstBrier(forecast)!.toFixed(3)} on the first call, ${timeWeightedBrier(forecast)!.toFixed(3)} time-weighted.`}
        </p>
      ) : (
        <details className="ledger-update">
          <summary>Update the probability</summary>
          <UpdateForm loopId={loopId} forecast={forecast} />
        </details>
      )}
    </li>
  );
}
