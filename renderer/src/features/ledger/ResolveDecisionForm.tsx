import { useId, useState } from 'react';
import { limits } from '../../../../shared/contract';
import type { Decision, Forecast, ForecastOutcome } from '../../../../shared/domain';
import { forecastStatus, latestProbability } from '../../../../shared/ledger';
import { useKeel } from '../../store/KeelStoreProvider';
import { useTurnAction } from '../loop/useTurnAction';
import { LedgerForm, LedgerFormEnd, LedgerTextField } from './ForecastActions';

/** A decision as the one resolving form needs it: from the ledger's catalog entry or from the loop. */
export interface ResolvableDecision {
  loopId: string;
  decidedAt: string;
  choice: string;
  forecasts: readonly Forecast[];
  reviewed: boolean;
}

/** A loop's decision as the resolving form needs it (the loop view and a due review show one). */
export function resolvableFromLoop(loopId: string, decision: Decision): ResolvableDecision {
  return {
    loopId,
    decidedAt: decision.decidedAt,
    choice: decision.choice,
    forecasts: decision.forecasts,
    reviewed: decision.review !== undefined,
  };
}

/** Today in the person's own time zone, `YYYY-MM-DD`, as resolution dates are written. */
export function localDay(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

type Choice = ForecastOutcome | 'open';

const outcomes: { value: Choice; label: string }[] = [
  { value: 'yes', label: 'Yes, it happened' },
  { value: 'no', label: 'No, it did not' },
  { value: 'ambiguous', label: 'Ambiguous (left out of scores)' },
];

/** Whether the form still has something for the person to do: an open forecast, or the review. */
export function hasSomethingToResolve(decision: ResolvableDecision): boolean {
  return !decision.reviewed || decision.forecasts.some((forecast) => !forecast.resolution);
}

/**
 * Resolving a decision, in one form: each open forecast yes, no or ambiguous with what settled it
 * (one not due yet may be left open), and the outcome review (what happened, what was learned,
 * the lesson kept as a memory if the person wants). The review is asked for when the last
 * forecast resolves; it can be written earlier. Everything is sent in one call.
 */
export function ResolveDecisionForm({ decision }: { decision: ResolvableDecision }) {
  const baseId = useId();
  const resolveDecision = useKeel((state) => state.resolveDecision);
  const today = localDay();
  const open = decision.forecasts.filter((forecast) => !forecast.resolution);
  const [picked, setPicked] = useState<Record<string, Choice>>({});
  // A forecast not due yet stays open unless the person settles it early; a due one must be answered.
  const choiceOf = (forecast: Forecast): Choice | undefined =>
    picked[forecast.id] ?? (forecastStatus(forecast, today) === 'due' ? undefined : 'open');
  const [notes, setNotes] = useState<Record<string, string>>({});
  const [happened, setHappened] = useState('');
  const [lesson, setLesson] = useState('');
  const [keepLesson, setKeepLesson] = useState(true);
  const [missing, setMissing] = useState<string | null>(null);
  const { busy, error, run } = useTurnAction();

  const submit = async () => {
    const unanswered = open.find((forecast) => choiceOf(forecast) === undefined);
    if (unanswered) return setMissing(`Say how “${unanswered.statement}” resolved.`);
    const resolutions = open.flatMap((forecast) => {
      const choice = choiceOf(forecast);
      return choice === undefined || choice === 'open'
        ? []
        : [{ forecastId: forecast.id, outcome: choice, note: notes[forecast.id] ?? '' }];
    });
    const lastResolves = resolutions.length === open.length;
    if (!decision.reviewed && lastResolves && happened.trim() === '')
      return setMissing('Say what happened: the outcome review is written when the last forecast resolves.');
    if (resolutions.length === 0 && happened.trim() === '')
      return setMissing('Resolve a forecast or say what happened.');
    setMissing(null);
    await run(() =>
      resolveDecision({
        loopId: decision.loopId,
        decidedAt: decision.decidedAt,
        resolutions,
        ...(!decision.reviewed && happened.trim() !== ''
          ? { review: { outcome: happened, lesson, keepLesson } }
          : {}),
      }),
    );
  };

  return (
    <LedgerForm
      className="ledger-resolve"
      label={`Resolve “${decision.choice}”`}
      onSubmit={() => void submit()}
    >
      {open.map((forecast, index) => {
        const legendId = `${baseId}-${index}-legend`;
        const due = forecastStatus(forecast, today) === 'due';
        const options = due
          ? outcomes
          : [...outcomes, { value: 'open' as const, label: 'Not yet: leave it open' }];
        return (
          <fieldset
            key={forecast.id}
            className="ledger-resolve-forecast ledger-wide"
            aria-labelledby={legendId}
          >
            <legend id={legendId}>
              {forecast.statement} ({latestProbability(forecast)}%)
            </legend>
            <p className="muted ledger-forecast-meta">
              {forecast.resolveBy
                ? `${due ? 'Due' : 'Resolves by'} ${forecast.resolveBy}`
                : 'No resolution date'}
            </p>
            <div className="ledger-outcomes">
              {options.map((option) => (
                <label key={option.value} className="ledger-outcome">
                  <input
                    type="radio"
                    name={`${baseId}-${index}`}
                    value={option.value}
                    checked={choiceOf(forecast) === option.value}
                    onChange={() => setPicked((current) => ({ ...current, [forecast.id]: option.value }))}
                  />
                  {option.label}
                </label>
              ))}
            </div>
            <LedgerTextField
              label="What settled it"
              value={notes[forecast.id] ?? ''}
              onChange={(note) => setNotes((current) => ({ ...current, [forecast.id]: note }))}
            />
          </fieldset>
        );
      })}
      {decision.reviewed ? null : (
        <fieldset className="ledger-review ledger-wide" aria-labelledby={`${baseId}-review`}>
          <legend id={`${baseId}-review`}>Outcome review</legend>
          <div className="field ledger-wide">
            <label htmlFor={`${baseId}-happened`}>What happened</label>
            <textarea
              id={`${baseId}-happened`}
              rows={2}
              value={happened}
              maxLength={limits.decisionField}
              aria-describedby={`${baseId}-happened-hint`}
              onChange={(event) => setHappened(event.target.value)}
            />
            <p id={`${baseId}-happened-hint`} className="field-hint">
              {open.length > 0
                ? 'Needed when the last forecast resolves; you can write it now.'
                : 'How it turned out, in your words.'}
            </p>
          </div>
          <div className="field ledger-wide">
            <label htmlFor={`${baseId}-lesson`}>What you learned</label>
            <textarea
              id={`${baseId}-lesson`}
              rows={2}
              value={lesson}
              maxLength={limits.memoryText}
              onChange={(event) => setLesson(event.target.value)}
            />
          </div>
          <div className="field field-check ledger-wide">
            <div className="check-row">
              <input
                id={`${baseId}-keep`}
                type="checkbox"
                checked={keepLesson}
                onChange={(event) => setKeepLesson(event.target.checked)}
              />
              <label htmlFor={`${baseId}-keep`}>Keep the lesson as a memory</label>
            </div>
          </div>
        </fieldset>
      )}
      <LedgerFormEnd label="Resolve" primary busy={busy} missing={missing} error={error} />
    </LedgerForm>
  );
}
