import { NameField } from '../common/DialogParts';
import { useEffect, useId, useMemo, useState } from 'react';
import { limits } from '../../../../shared/contract';
import type { LoopTemplate, Space } from '../../../../shared/domain';
import { useKeel } from '../../store/KeelStoreProvider';
import { DialogForm } from '../common/DialogForm';
import { TextAreaField } from '../common/TextAreaField';
import { aiMoveLabels } from './aiMoveLabels';
import { useFormSubmit } from '../common/useFormSubmit';

const blank = '';

/** The intent parts a template brings, as the preview lists them. */
const previewFields = [
  ['context', 'Context'],
  ['constraints', 'Constraints'],
  ['goodLooksLike', 'What good looks like'],
] as const;

/**
 * Starts a loop in a space, blank or from a template (those suited to the space's kind first, the
 * person's own marked). The goal is the first piece of its intent and can wait.
 */
export function NewLoopDialog({ space, onClose }: { space: Space; onClose: () => void }) {
  const createLoop = useKeel((state) => state.createLoop);
  const templates = useKeel((state) => state.templates);
  const loadTemplates = useKeel((state) => state.loadTemplates);
  const deleteTemplate = useKeel((state) => state.deleteTemplate);
  const titleId = useId();
  const goalHintId = useId();
  const templateId = useId();
  const [title, setTitle] = useState('');
  const [goal, setGoal] = useState('');
  const [chosenId, setChosenId] = useState(blank);

  useEffect(() => {
    void loadTemplates();
  }, [loadTemplates]);

  const [suited, others] = useMemo(() => {
    // A space's own templates are offered in that space only; built-in ones and the person's
    // templates for every space, everywhere.
    const list = (templates ?? []).filter(
      (template) => template.spaceId === undefined || template.spaceId === space.id,
    );
    return [
      list.filter((template) => template.kinds.includes(space.kind)),
      list.filter((template) => !template.kinds.includes(space.kind)),
    ];
  }, [templates, space.kind, space.id]);
  const chosen = templates?.find((template) => template.id === chosenId);

  const choose = (id: string) => {
    const previous = chosen;
    const next = templates?.find((template) => template.id === id);
    setChosenId(id);
    // Fill what is still the previous template's (or empty); never overwrite the person's own words.
    if (title.trim() === '' || title === previous?.title) setTitle(next?.title ?? '');
    if (goal.trim() === '' || goal === previous?.intent.goal) setGoal(next?.intent.goal ?? '');
  };

  const form = useFormSubmit({
    check: () =>
      title.trim() === '' ? 'Give the loop a title: the question or piece of work it is about.' : null,
    save: () =>
      createLoop({
        spaceId: space.id,
        title: title.trim(),
        goal,
        ...(chosen ? { templateId: chosen.id } : {}),
      }),
    onSaved: onClose,
  });

  const option = (template: LoopTemplate) => (
    <option key={template.id} value={template.id}>
      {template.name}
      {template.builtIn ? '' : ' (yours)'}
    </option>
  );

  return (
    <DialogForm title="New loop" submitLabel="Create loop" form={form} onClose={onClose}>
      <p className="dialog-context">In {space.name}</p>
      <div className="field">
        <label htmlFor={templateId}>Template</label>
        <select id={templateId} value={chosenId} onChange={(event) => choose(event.target.value)}>
          <option value={blank}>Blank loop</option>
          {suited.length > 0 ? (
            <optgroup label={`Suited to this space`}>{suited.map(option)}</optgroup>
          ) : null}
          {others.length > 0 ? (
            <optgroup label={suited.length > 0 ? 'Other templates' : 'Templates'}>
              {others.map(option)}
            </optgroup>
          ) : null}
        </select>
        {chosen ? (
          <div className="template-preview" aria-label="Template preview" role="group">
            <p className="field-hint">
              {chosen.description} Suggested first move: {aiMoveLabels[chosen.firstMove].label}.
            </p>
            <dl>
              {previewFields
                .filter(([key]) => chosen.intent[key].trim() !== '')
                .map(([key, label]) => (
                  <div key={key}>
                    <dt>{label}</dt>
                    <dd>{chosen.intent[key]}</dd>
                  </div>
                ))}
            </dl>
            {!chosen.builtIn ? (
              <button
                type="button"
                className="link-button"
                onClick={() =>
                  void deleteTemplate(chosen.id).then((result) => {
                    if (result.ok) choose(blank);
                    else form.setError(result.error);
                  })
                }
              >
                Delete template
              </button>
            ) : null}
          </div>
        ) : null}
      </div>
      <NameField
        id={titleId}
        label="Loop title"
        value={title}
        onChange={setTitle}
        placeholder="e.g. Should we enter the Nordic market?"
      />
      <TextAreaField
        label="Goal"
        value={goal}
        rows={3}
        maxLength={limits.intentField}
        aria-describedby={goalHintId}
        onChange={setGoal}
      >
        <p id={goalHintId} className="field-hint">
          {chosen
            ? 'Replace the parts in <angle brackets>. The rest of the intent comes from the template; edit it in the loop.'
            : 'Optional. What are you trying to achieve? You can add it later.'}
        </p>
      </TextAreaField>
    </DialogForm>
  );
}
