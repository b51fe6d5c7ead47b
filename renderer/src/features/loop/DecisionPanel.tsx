import { useId, useLayoutEffect, useRef, useState, type ReactNode } from 'react';
import { limits } from '../../../../shared/contract';
import type { Decision, Loop } from '../../../../shared/domain';
import type { KeelErrorInfo } from '../../../../shared/errors';
import { useKeel } from '../../store/KeelStoreProvider';
import type { DecisionDraft } from '../../store/slices/loopsSlice';
import { FormError } from '../common/FormError';
import { editFormKeys, submitInPlace } from '../common/formHandlers';
import { useInitialFocus } from '../common/useInitialFocus';
import { useSearchFocus } from '../search/useSearchFocus';
import { ActionError } from './ActionError';
import { useTurnAction } from './useTurnAction';
import { DecisionDetails } from './DecisionDetails';
import { DecisionDossier } from './DecisionDossier';
import { forecastStatus } from '../../../../shared/ledger';
import { localDay, ResolveDecisionForm, resolvableFromLoop } from '../ledger/ResolveDecisionForm';
import { ForecastFields, parseForecasts, type ForecastDraft } from './ForecastFields';

interface DecisionValues {
  choice: string;
  rationale: string;
  optionsSetAside: string;
  confidence: string;
  prediction: string;
  reviewDate: string;
}

type DecisionField = keyof DecisionValues;

const emptyValues: DecisionValues = {
  choice: '',
  rationale: '',
  optionsSetAside: '',
  confidence: '',
  prediction: '',
  reviewDate: '',
};

/** The confidence as a whole percentage, or undefined while it is not one. */
function parseConfidence(text: string): number | undefined {
  if (text.trim() === '') return undefined;
  const value = Number(text);
  return Number.isFinite(value) ? value : undefined;
}

/** What the form holds, as far as it goes, for a challenge before the decision is recorded. */
function toDraft(values: DecisionValues): DecisionDraft {
  const draft: DecisionDraft = {};
  if (values.choice.trim()) draft.choice = values.choice.trim();
  if (values.rationale.trim()) draft.rationale = values.rationale.trim();
  if (values.optionsSetAside.trim()) draft.optionsSetAside = values.optionsSetAside.trim();
  if (values.prediction.trim()) draft.prediction = values.prediction.trim();
  if (values.reviewDate) draft.reviewDate = values.reviewDate;
  const confidence = parseConfidence(values.confidence);
  if (confidence !== undefined && Number.isInteger(confidence) && confidence >= 0 && confidence <= 100) {
    draft.confidence = confidence;
  }
  return draft;
}

/**
 * The loop whose decision is being recorded from the form: its summary takes the focus when it
 * replaces the form, since the button that had it goes away with the form.
 */
let recordingLoopId: string | null = null;

/**
 * The person's decision, written by them: what they chose and why, how sure they are, what they
 * expect, and when to look back. The AI can be asked to challenge it first; it never writes it.
 */
export function DecisionForm({ loop, onClose }: { loop: Loop; onClose: () => void }) {
  const recordDecision = useKeel((state) => state.recordDecision);
  const challengeDecision = useKeel((state) => state.challengeDecision);
  const baseId = useId();
  const headingId = useId();
  const choiceRef = useRef<HTMLTextAreaElement>(null);
  const [values, setValues] = useState<DecisionValues>(emptyValues);
  const [forecasts, setForecasts] = useState<ForecastDraft[]>([]);
  const [error, setError] = useState<KeelErrorInfo | null>(null);
  const [busy, setBusy] = useState(false);
  const challenge = useTurnAction();
  const [challenged, setChallenged] = useState(false);
  useInitialFocus(choiceRef);

  const id = (field: DecisionField) => `${baseId}-${field}`;
  const fieldError = (field: DecisionField) => (error?.field === field ? error : null);
  const set = (field: DecisionField) => (value: string) =>
    setValues((current) => ({ ...current, [field]: value }));

  const submit = async () => {
    if (busy) return;
    if (values.choice.trim() === '') {
      setError({ code: 'invalid-input', message: 'Say what you chose.', field: 'choice' });
      choiceRef.current?.focus();
      return;
    }
    const confidence = parseConfidence(values.confidence);
    if (confidence === undefined) {
      setError({
        code: 'invalid-input',
        message: 'Say how sure you are, from 0 to 100 %.',
        field: 'confidence',
      });
      return;
    }
    const parsed = parseForecasts(forecasts);
    if (!parsed.ok) {
      setError({ code: 'invalid-input', message: parsed.message, field: 'forecasts' });
      return;
    }
    setBusy(true);
    setError(null);
    recordingLoopId = loop.id;
    const result = await recordDecision({
      forecasts: parsed.forecasts,
      loopId: loop.id,
      choice: values.choice,
      rationale: values.rationale,
      optionsSetAside: values.optionsSetAside,
      confidence,
      prediction: values.prediction,
      reviewDate: values.reviewDate,
    });
    setBusy(false);
    recordingLoopId = null;
    if (result.ok) onClose();
    else setError(result.error);
  };

  const field = (name: DecisionField, label: string, control: ReactNode, hint?: string) => (
    <div className="field">
      <label htmlFor={id(name)}>{label}</label>
      {control}
      {hint ? (
        <p id={`${id(name)}-hint`} className="field-hint">
          {hint}
        </p>
      ) : null}
      <ActionError id={`${id(name)}-error`} error={fieldError(name)} />
    </div>
  );

  const textArea = (name: DecisionField, rows: number, placeholder: string) => (
    <textarea
      id={id(name)}
      ref={name === 'choice' ? choiceRef : undefined}
      value={values[name]}
      rows={rows}
      maxLength={limits.decisionField}
      placeholder={placeholder}
      aria-invalid={fieldError(name) ? true : undefined}
      aria-describedby={fieldError(name) ? `${id(name)}-error` : undefined}
      onChange={(event) => set(name)(event.target.value)}
    />
  );

  const knownFields: DecisionField[] = [
    'choice',
    'rationale',
    'optionsSetAside',
    'confidence',
    'prediction',
    'reviewDate',
  ];
  const generalError = error && !knownFields.includes(error.field as DecisionField) ? error : null;

  return (
    <section className="decision-form-panel" aria-labelledby={headingId}>
      <h2 id={headingId} className="decision-title">
        Decision
      </h2>
      <form
        className="decision-form"
        noValidate
        onSubmit={(event) => submitInPlace(event, submit)}
        onKeyDown={(event) => editFormKeys(event, { onLeave: onClose, onSave: submit })}
      >
        <p className="field-hint">You decide. The AI can challenge it before you record it, never make it.</p>
        {field('choice', 'Your choice', textArea('choice', 2, 'What did you decide?'))}
        {field('rationale', 'Rationale', textArea('rationale', 3, 'Why this, in two or three reasons?'))}
        {field(
          'optionsSetAside',
          'Options set aside',
          textArea('optionsSetAside', 2, 'What did you decide against?'),
        )}
        {field(
          'confidence',
          'Confidence',
          <div className="decision-confidence">
            <input
              id={id('confidence')}
              type="number"
              inputMode="numeric"
              min={0}
              max={100}
              step={1}
              value={values.confidence}
              placeholder="70"
              aria-invalid={fieldError('confidence') ? true : undefined}
              aria-describedby={`${id('confidence')}-hint${fieldError('confidence') ? ` ${id('confidence')}-error` : ''}`}
              onChange={(event) => set('confidence')(event.target.value)}
            />
            <span aria-hidden="true">%</span>
          </div>,
          'How sure are you, from 0 to 100 %?',
        )}
        {field('prediction', 'Prediction', textArea('prediction', 2, 'What do you expect to happen?'))}
        {field(
          'reviewDate',
          'Review date',
          <input
            id={id('reviewDate')}
            type="date"
            value={values.reviewDate}
            aria-invalid={fieldError('reviewDate') ? true : undefined}
            onChange={(event) => set('reviewDate')(event.target.value)}
          />,
          'Optional. When to look back and compare with what happened.',
        )}
        <ForecastFields forecasts={forecasts} onChange={setForecasts} />
        {generalError ? <FormError error={generalError} /> : null}
        <div className="decision-actions">
          <button type="submit" className="button button-primary" aria-disabled={busy}>
            Record decision
          </button>
          <button
            type="button"
            className="button"
            aria-disabled={challenge.busy}
            title="Ask the AI to push back on this decision before you record it; what you wrote stays here"
            onClick={() =>
              void challenge
                .run(() => challengeDecision(loop.id, toDraft(values)))
                .then((result) => {
                  if (result?.ok) setChallenged(true);
                })
            }
          >
            Challenge this decision first
          </button>
          <button type="button" className="button button-quiet" onClick={onClose}>
            Cancel
          </button>
        </div>
        <ActionError error={challenge.error} />
        {challenged && !challenge.error ? (
          <p role="status" className="field-hint">
            The challenge is in the timeline. Your decision stays here until you record it.
          </p>
        ) : null}
      </form>
    </section>
  );
}

/** Whether a decision asks to be resolved today: a forecast is due, or its review date came unreviewed. */
function resolutionDue(decision: Decision): boolean {
  const today = localDay();
  return (
    decision.forecasts.some((forecast) => forecastStatus(forecast, today) === 'due') ||
    (!decision.review && decision.reviewDate !== '' && decision.reviewDate <= today)
  );
}

/** A decided loop's decision, at the top, with the way to reopen the loop (and, when due, to resolve it). */
export function DecisionSummary({ loop, decision }: { loop: Loop; decision: Decision }) {
  const reopenLoop = useKeel((state) => state.reopenLoop);
  const headingId = useId();
  const sectionRef = useRef<HTMLElement>(null);
  const { busy, error, run } = useTurnAction();
  // Opened from a search result that found the decision.
  useSearchFocus('decision', loop.id, sectionRef);
  useLayoutEffect(() => {
    if (recordingLoopId !== loop.id) return;
    const active = document.activeElement;
    if (active !== null && active !== document.body) return;
    sectionRef.current?.setAttribute('tabindex', '-1');
    sectionRef.current?.focus();
  }, [loop.id]);
  return (
    <section ref={sectionRef} className="decision-summary" aria-labelledby={headingId}>
      <div className="decision-summary-head">
        <h2 id={headingId} className="decision-title">
          Decision
        </h2>
        <span className="decision-date">
          Decided <time dateTime={decision.decidedAt}>{decision.decidedAt.slice(0, 10)}</time>
        </span>
        <button
          type="button"
          className="button button-small button-quiet"
          aria-disabled={busy}
          title="Take the decision back: it stays in the loop's history"
          onClick={() => void run(() => reopenLoop(loop.id))}
        >
          Reopen loop
        </button>
      </div>
      <DecisionDetails decision={decision} />
      {resolutionDue(decision) ? (
        <ResolveDecisionForm decision={resolvableFromLoop(loop.id, decision)} />
      ) : null}
      <DecisionDossier loop={loop} decision={decision} />
      <ActionError error={error} />
    </section>
  );
}

/** Decisions recorded before the loop was reopened, folded away, each with what informed it. */
export function EarlierDecisions({ loop }: { loop: Loop }) {
  const decisions = loop.pastDecisions;
  if (decisions.length === 0) return null;
  return (
    <details className="earlier-decisions">
      <summary>Earlier decisions ({decisions.length})</summary>
      <ol>
        {decisions
          .slice()
          .reverse()
          .map((decision) => (
            <li key={decision.decidedAt}>
              <p className="decision-date">
                Decided <time dateTime={decision.decidedAt}>{decision.decidedAt.slice(0, 10)}</time>
                {decision.reopenedAt ? (
                  <>
                    , reopened <time dateTime={decision.reopenedAt}>{decision.reopenedAt.slice(0, 10)}</time>
                  </>
                ) : null}
              </p>
              <DecisionDetails decision={decision} />
              <DecisionDossier loop={loop} decision={decision} />
            </li>
          ))}
      </ol>
    </details>
  );
}
