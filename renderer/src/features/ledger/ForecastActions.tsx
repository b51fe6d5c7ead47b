import { useId, useState } from 'react';
import { limits } from '../../../../shared/contract';
import type { ForecastOutcome } from '../../../../shared/domain';
import type { KeelErrorInfo } from '../../../../shared/errors';
import { latestProbability, type LedgerForecast } from '../../../../shared/ledger';
import { useKeel } from '../../store/KeelStoreProvider';
import { ActionError } from '../loop/ActionError';
import { useTurnAction } from '../loop/useTurnAction';

const outcomes: { value: ForecastOutcome; label: string }[] = [
  { value: 'yes', label: 'Yes, it happened' },
  { value: 'no', label: 'No, it did not' },
  { value: 'ambiguous', label: 'Ambiguous (left out of scores)' },
];

/** A one-line text field of a forecast form, as long as a decision's fields may be. */
function LedgerTextField(props: { label: string; value: string; onChange: (value: string) => void }) {
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
function LedgerFormEnd(props: {
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
    <form
      className="ledger-form"
      aria-label={`Update “${forecast.statement}”`}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
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
    </form>
  );
}

/** The person's resolution: yes, no or ambiguous, with a note. */
function ResolveForm({ loopId, forecast }: { loopId: string; forecast: LedgerForecast }) {
  const radiosName = useId();
  const legendId = useId();
  const resolveForecast = useKeel((state) => state.resolveForecast);
  const [outcome, setOutcome] = useState<ForecastOutcome | null>(null);
  const [note, setNote] = useState('');
  const [missing, setMissing] = useState<string | null>(null);
  const { busy, error, run } = useTurnAction();
  const submit = async () => {
    if (!outcome) return setMissing('Say how it resolved.');
    setMissing(null);
    await run(() => resolveForecast({ loopId, forecastId: forecast.id, outcome, note }));
  };
  return (
    <form
      className="ledger-form"
      aria-label={`Resolve “${forecast.statement}”`}
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        void submit();
      }}
    >
      <fieldset className="ledger-outcomes ledger-wide" aria-labelledby={legendId}>
        <legend id={legendId}>How did it resolve?</legend>
        {outcomes.map((option) => (
          <label key={option.value} className="ledger-outcome">
            <input
              type="radio"
              name={radiosName}
              value={option.value}
              checked={outcome === option.value}
              onChange={() => setOutcome(option.value)}
            />
            {option.label}
          </label>
        ))}
      </fieldset>
      <LedgerTextField label="Note (what settled it)" value={note} onChange={setNote} />
      <LedgerFormEnd label="Resolve" primary busy={busy} missing={missing} error={error} />
    </form>
  );
}

/** One forecast: what it says, how its probability moved, and the person's update or resolution. */
export function ForecastItem({ loopId, forecast }: { loopId: string; forecast: LedgerForecast }) {
  const history = [forecast.probability, ...forecast.updates.map((update) => update.probability)];
  return (
    <li className="ledger-forecast">
      <p className="ledger-forecast-statement">
        <strong>{history.join('% → ')}%</strong> {forecast.statement}
      </p>
      <p className="muted ledger-forecast-meta">
        {forecast.resolveBy ? `Resolves by ${forecast.resolveBy}` : 'No resolution date'}
        {forecast.criteria ? ` · ${forecast.criteria}` : ''}
      </p>
      {forecast.resolution ? (
        <p className="ledger-resolution">
          Resolved <strong>{forecast.resolution.outcome}</strong> on {forecast.resolution.at.slice(0, 10)}
          {forecast.resolution.note ? `: ${forecast.resolution.note}` : ''}
        </p>
      ) : (
        <>
          <ResolveForm loopId={loopId} forecast={forecast} />
          <details className="ledger-update">
            <summary>Update the probability</summary>
            <UpdateForm loopId={loopId} forecast={forecast} />
          </details>
        </>
      )}
    </li>
  );
}
