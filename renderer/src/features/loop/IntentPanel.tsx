import { NameField } from '../common/DialogParts';
import { useId, useLayoutEffect, useRef, useState } from 'react';
import { limits } from '../../../../shared/contract';
import type { Intent, Loop } from '../../../../shared/domain';
import type { KeelErrorInfo } from '../../../../shared/errors';
import { useKeel } from '../../store/KeelStoreProvider';
import { DialogForm } from '../common/DialogForm';
import { FormError } from '../common/FormError';
import { editFormKeys, submitInPlace } from '../common/formHandlers';
import { useInitialFocus } from '../common/useInitialFocus';
import { isMac } from '../palette/moveShortcuts';
import { ActionError } from './ActionError';
import { useFormSubmit } from '../common/useFormSubmit';
import { RadioChoices } from '../common/RadioChoices';
import { TextAreaField } from '../common/TextAreaField';

/** The parts of an intent, each with the question that prompts it while it is empty. */
/** Where a saved template is offered: `true` in every space, `false` only in its loop's space. */
const everyOrThis = [
  [false, 'Only in this space'],
  [true, 'In every space'],
] as const;

const intentFields: { key: keyof Intent; label: string; prompt: string }[] = [
  { key: 'goal', label: 'Goal', prompt: 'What are you trying to achieve?' },
  { key: 'context', label: 'Context', prompt: 'What is the situation, and what led to it?' },
  {
    key: 'constraints',
    label: 'Constraints',
    prompt: 'What limits the options: budget, time, people, rules?',
  },
  { key: 'goodLooksLike', label: 'What good looks like', prompt: 'How will you know the outcome is good?' },
];

/**
 * What the person is trying to achieve, at the top of the loop, edited in place. Once it has content
 * it folds to one line (the goal) so the timeline keeps the room; it opens on a click or Alt+I.
 */
export function IntentPanel({
  loop,
  expanded,
  onToggle,
}: {
  loop: Loop;
  /** Shown in full rather than as its summary line (a part of the loop's layout). */
  expanded: boolean;
  onToggle: () => void;
}) {
  const [editing, setEditing] = useState(false);
  const [savingTemplate, setSavingTemplate] = useState(false);
  const [savedTemplate, setSavedTemplate] = useState<string | null>(null);
  const headingId = useId();
  const gridId = useId();
  const summaryId = useId();
  const editButton = useRef<HTMLButtonElement>(null);
  const shortcut = isMac(useKeel((state) => state.appInfo?.platform)) ? '⌥I' : 'Alt+I';

  const refocusEdit = useRef(false);
  const stopEditing = () => {
    setEditing(false);
    refocusEdit.current = true;
  };
  // Back to the button that opened the form, once it is on screen again (a frame later may be too
  // early when saving re-renders the whole loop).
  useLayoutEffect(() => {
    if (editing || !refocusEdit.current) return;
    refocusEdit.current = false;
    editButton.current?.focus();
  }, [editing]);

  const hasContent = intentFields.some(({ key }) => loop.intent[key].trim() !== '');
  // An empty intent shows its questions: there is nothing to fold into one line yet.
  const folded = hasContent && !expanded && !editing;
  const summary = loop.intent.goal.trim() || firstFilled(loop.intent);

  return (
    <section
      className={folded ? 'intent-panel intent-panel-folded' : 'intent-panel'}
      aria-labelledby={headingId}
    >
      <div className="intent-head">
        {hasContent && !editing ? (
          <h2 className="intent-toggle-heading">
            <button
              type="button"
              className="intent-toggle"
              // Named "Intent" only: the goal beside it is its description, not part of its name.
              aria-labelledby={headingId}
              aria-describedby={folded ? summaryId : undefined}
              aria-expanded={!folded}
              aria-controls={gridId}
              aria-keyshortcuts="Alt+I"
              title={
                folded ? `Show the whole intent (${shortcut})` : `Fold the intent to one line (${shortcut})`
              }
              onClick={onToggle}
            >
              <span className="disclosure-mark" aria-hidden="true" />
              <span id={headingId} className="intent-title-text">
                Intent
              </span>
            </button>
          </h2>
        ) : (
          <h2 id={headingId} className="intent-title">
            Intent
          </h2>
        )}
        {folded ? (
          // Beside the button, not inside it: a name must hold the button's visible words, and the
          // goal is its description. A click on it folds out too; the keyboard has the button.
          <span id={summaryId} className="intent-summary" onClick={onToggle}>
            {summary}
          </span>
        ) : null}
        {!editing ? (
          <div className="intent-actions">
            <button
              ref={editButton}
              type="button"
              className="button button-small button-quiet"
              onClick={() => {
                setSavedTemplate(null);
                setEditing(true);
              }}
            >
              Edit intent
            </button>
            <button
              type="button"
              className="button button-small button-quiet"
              onClick={() => setSavingTemplate(true)}
            >
              Save as template
            </button>
          </div>
        ) : null}
      </div>
      {editing ? (
        <IntentForm loop={loop} onDone={stopEditing} />
      ) : (
        <dl id={gridId} className="intent-grid" hidden={folded}>
          {intentFields.map(({ key, label, prompt }) => {
            const value = loop.intent[key].trim();
            return (
              <div key={key} className="intent-item">
                <dt>{label}</dt>
                <dd
                  className={value ? 'intent-value' : 'intent-value intent-empty'}
                  title={value || undefined}
                >
                  {value || prompt}
                </dd>
              </div>
            );
          })}
        </dl>
      )}
      {savedTemplate ? (
        <p role="status" className="intent-saved">
          Saved as the template “{savedTemplate}”: pick it when you start a new loop.
        </p>
      ) : null}
      {savingTemplate ? (
        <SaveTemplateDialog
          loop={loop}
          onClose={() => setSavingTemplate(false)}
          onSaved={(name) => {
            setSavingTemplate(false);
            setSavedTemplate(name);
          }}
        />
      ) : null}
    </section>
  );
}

/** The first part of the intent that has text, labelled, for a summary line when the goal is empty. */
function firstFilled(intent: Intent): string {
  const field = intentFields.find(({ key }) => intent[key].trim() !== '');
  return field ? `${field.label}: ${intent[field.key].trim()}` : '';
}

function IntentForm({ loop, onDone }: { loop: Loop; onDone: () => void }) {
  const updateIntent = useKeel((state) => state.updateIntent);
  const baseId = useId();
  const firstRef = useRef<HTMLTextAreaElement>(null);
  const [values, setValues] = useState<Intent>({ ...loop.intent });
  const [error, setError] = useState<KeelErrorInfo | null>(null);
  const [busy, setBusy] = useState(false);
  useInitialFocus(firstRef);

  const save = async () => {
    if (busy) return;
    setBusy(true);
    const result = await updateIntent(loop.id, values);
    setBusy(false);
    if (result.ok) onDone();
    else setError(result.error);
  };

  return (
    <form
      className="intent-form"
      noValidate
      onSubmit={(event) => submitInPlace(event, save)}
      onKeyDown={(event) => editFormKeys(event, { onLeave: onDone, onSave: save })}
    >
      <div className="intent-form-grid">
        {intentFields.map(({ key, label, prompt }, index) => {
          const id = `${baseId}-${key}`;
          const fieldError = error?.field?.endsWith(key) ? error : null;
          return (
            <div key={key} className="field">
              <label htmlFor={id}>{label}</label>
              <textarea
                id={id}
                ref={index === 0 ? firstRef : undefined}
                value={values[key]}
                rows={3}
                maxLength={limits.intentField}
                placeholder={prompt}
                aria-invalid={fieldError ? true : undefined}
                onChange={(event) => setValues((current) => ({ ...current, [key]: event.target.value }))}
              />
              <ActionError error={fieldError} />
            </div>
          );
        })}
      </div>
      {error && !intentFields.some(({ key }) => error.field?.endsWith(key)) ? (
        <FormError error={error} />
      ) : null}
      <div className="intent-form-actions">
        <button type="submit" className="button button-small button-primary" aria-disabled={busy}>
          Save intent
        </button>
        <button type="button" className="button button-small" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}

function SaveTemplateDialog({
  loop,
  onClose,
  onSaved,
}: {
  loop: Loop;
  onClose: () => void;
  onSaved: (name: string) => void;
}) {
  const saveTemplate = useKeel((state) => state.saveTemplate);
  const nameId = useId();
  const [name, setName] = useState(loop.title);
  const [description, setDescription] = useState('');
  const [everySpace, setEverySpace] = useState(false);
  const reachId = useId();
  const form = useFormSubmit({
    check: () => (name.trim() === '' ? 'Give the template a name.' : null),
    save: () =>
      saveTemplate({
        loopId: loop.id,
        name: name.trim(),
        ...(description.trim() ? { description: description.trim() } : {}),
        ...(everySpace ? { everySpace: true } : {}),
      }),
    onSaved: (template) => onSaved(template.name),
  });

  return (
    <DialogForm title="Save as template" submitLabel="Save template" form={form} onClose={onClose}>
      <p className="dialog-context">
        The intent of this loop becomes a starting point for new ones. Nothing from its timeline goes in.
      </p>
      <NameField id={nameId} label="Template name" value={name} onChange={setName} />
      <TextAreaField
        label="Description"
        value={description}
        rows={2}
        maxLength={limits.intentField}
        placeholder="Optional. When is it a good start?"
        onChange={setDescription}
      />
      <fieldset className="field-choices" aria-describedby={`${reachId}-hint`}>
        <legend>Offer it</legend>
        <RadioChoices
          name={reachId}
          choices={everyOrThis}
          value={everySpace}
          onChange={setEverySpace}
          className="field-choice"
        />
        <p id={`${reachId}-hint`} className="field-hint">
          A space’s own templates sync with it; templates for every space stay on this computer.
        </p>
      </fieldset>
    </DialogForm>
  );
}
