import { useId, type InputHTMLAttributes } from 'react';
import { limits } from '../../../../shared/contract';

/** One forecast as the decision form holds it, before it is recorded. */
export interface ForecastDraft {
  statement: string;
  probability: string;
  resolveBy: string;
  criteria: string;
}

export const emptyForecast: ForecastDraft = { statement: '', probability: '', resolveBy: '', criteria: '' };

/**
 * The forecasts ready to record, or what is missing in words. A forecast left wholly empty is
 * dropped; one with some parts needs a statement and a probability from 1 to 99 %.
 */
export function parseForecasts(
  drafts: readonly ForecastDraft[],
):
  | { ok: true; forecasts: { statement: string; probability: number; resolveBy: string; criteria: string }[] }
  | { ok: false; message: string } {
  const forecasts = [];
  for (const [index, draft] of drafts.entries()) {
    const empty =
      !draft.statement.trim() && !draft.probability.trim() && !draft.resolveBy && !draft.criteria.trim();
    if (empty) continue;
    const n = index + 1;
    if (!draft.statement.trim())
      return { ok: false, message: `Forecast ${n}: say what you expect to happen.` };
    const probability = Number(draft.probability);
    if (
      draft.probability.trim() === '' ||
      !Number.isInteger(probability) ||
      probability < 1 ||
      probability > 99
    ) {
      return {
        ok: false,
        message: `Forecast ${n}: give its probability as a whole percentage from 1 to 99.`,
      };
    }
    forecasts.push({
      statement: draft.statement.trim(),
      probability,
      resolveBy: draft.resolveBy,
      criteria: draft.criteria.trim(),
    });
  }
  return { ok: true, forecasts };
}

/** A forecast's four inputs, in order: each labelled with the forecast's number. */
const forecastInputs: {
  part: keyof ForecastDraft;
  label: (n: number) => string;
  className?: string;
  input: InputHTMLAttributes<HTMLInputElement>;
}[] = [
  {
    part: 'statement',
    label: (n) => `Forecast ${n}`,
    input: { type: 'text', maxLength: limits.decisionField, placeholder: 'Churn stays under 3 % in Q3' },
  },
  {
    part: 'probability',
    label: (n) => `Probability of forecast ${n} (%)`,
    className: 'decision-forecast-probability',
    input: { type: 'number', inputMode: 'numeric', min: 1, max: 99, placeholder: '70' },
  },
  { part: 'resolveBy', label: (n) => `Forecast ${n} resolves by`, input: { type: 'date' } },
  {
    part: 'criteria',
    label: (n) => `How forecast ${n} resolves`,
    className: 'decision-forecast-criteria',
    input: {
      type: 'text',
      maxLength: limits.decisionField,
      placeholder: 'Resolves yes if churn in Q3 is under 3 % in the board pack',
    },
  },
];

/** The forecasts a decision rests on: each a statement, a probability, a date and how it resolves. */
export function ForecastFields({
  forecasts,
  onChange,
}: {
  forecasts: readonly ForecastDraft[];
  onChange: (forecasts: ForecastDraft[]) => void;
}) {
  const baseId = useId();
  const change = (index: number, part: keyof ForecastDraft, value: string) =>
    onChange(forecasts.map((draft, i) => (i === index ? { ...draft, [part]: value } : draft)));
  return (
    <fieldset className="decision-forecasts">
      <legend>Forecasts</legend>
      <p className="field-hint">
        Optional. What you expect, how likely, by when, and what settles it: you resolve each later and the
        ledger scores how well calibrated you are.
      </p>
      {forecasts.map((draft, index) => {
        const id = (part: string) => `${baseId}-${index}-${part}`;
        const n = index + 1;
        return (
          <div key={index} className="decision-forecast" role="group" aria-label={`Forecast ${n}`}>
            {forecastInputs.map(({ part, label, className, input }) => (
              <div key={part} className={className ? `field ${className}` : 'field'}>
                <label htmlFor={id(part)}>{label(n)}</label>
                <input
                  id={id(part)}
                  {...input}
                  value={draft[part]}
                  onChange={(event) => change(index, part, event.target.value)}
                />
              </div>
            ))}
            <button
              type="button"
              className="button button-quiet"
              onClick={() => onChange(forecasts.filter((_, i) => i !== index))}
            >
              Remove forecast {n}
            </button>
          </div>
        );
      })}
      {forecasts.length < 20 ? (
        <button type="button" className="button" onClick={() => onChange([...forecasts, emptyForecast])}>
          Add a forecast
        </button>
      ) : null}
    </fieldset>
  );
}
