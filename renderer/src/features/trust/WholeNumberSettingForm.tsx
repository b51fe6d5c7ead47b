import { useId, useState, type FormEvent } from 'react';
import { settingsSchema } from '../../../../shared/domain';
import type { KeelErrorInfo } from '../../../../shared/errors';
import { useKeel } from '../../store/KeelStoreProvider';
import { FormError } from '../common/FormError';
import { TextField } from '../common/TextField';

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
  const [error, setError] = useState<KeelErrorInfo | string | null>(null);
  const [done, setDone] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = Number(text);
    if (text.trim() === '' || !Number.isInteger(value) || value < min || value > max) {
      setError(outOfRange);
      return;
    }
    setError(null);
    const result = await saveSettings({ [setting]: value });
    if (result.ok) setDone(true);
    else setError(result.error);
  };

  return (
    <form className="settings-fields" noValidate onSubmit={(event) => void submit(event)}>
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
