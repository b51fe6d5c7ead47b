import { useId, useState } from 'react';
import { settingsSchema } from '../../../../shared/domain';
import { useKeel } from '../../store/KeelStoreProvider';
import { FormError } from '../common/FormError';
import { TextField } from '../common/TextField';
import { useFormSubmit } from '../common/useFormSubmit';

type WholeNumberSetting = 'backupKeep' | 'lockAfterMinutes';

/** What the form says about its setting. */
export interface WholeNumberTexts {
  label: string;
  hint: string;
  /** Said when the number is missing, not whole or out of range. */
  outOfRange: string;
  submitLabel: string;
}

/** The setting's range and default as the settings schema has them, so the form checks what the engine will. */
function rangeOf(setting: WholeNumberSetting) {
  const schema = settingsSchema.shape[setting];
  const { minValue: min, maxValue: max } = schema.unwrap();
  if (min === null || max === null) throw new Error(`The setting ${setting} has no range.`);
  return { min, max, fallback: schema.parse(undefined) };
}

/** A whole-number setting saved with its own button, checked against its range before it is sent. */
export function WholeNumberSettingForm({
  setting,
  texts: { label, hint, outOfRange, submitLabel },
}: {
  setting: WholeNumberSetting;
  texts: WholeNumberTexts;
}) {
  const { min, max, fallback } = rangeOf(setting);
  const hintId = useId();
  const saved = useKeel((state) => state.settings?.[setting] ?? fallback);
  const saveSettings = useKeel((state) => state.saveSettings);
  const [text, setText] = useState(String(saved));
  const [done, setDone] = useState(false);
  const value = Number(text);
  const { error, submit } = useFormSubmit({
    check: () =>
      text.trim() === '' || !Number.isInteger(value) || value < min || value > max ? outOfRange : null,
    save: () => saveSettings({ [setting]: value }),
    onSaved: () => setDone(true),
  });

  return (
    <form className="settings-fields" noValidate onSubmit={submit}>
      <TextField
        label={label}
        type="number"
        className="trust-input trust-number"
        min={min}
        max={max}
        step={1}
        value={text}
        aria-describedby={hintId}
        onChange={(value) => {
          setText(value);
          setDone(false);
        }}
      >
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      </TextField>
      <FormError error={error} />
      <div className="settings-actions">
        <button type="submit" className="button">
          {submitLabel}
        </button>
        {done && Number(text) === saved ? <span className="saved-note">Saved.</span> : null}
      </div>
    </form>
  );
}
