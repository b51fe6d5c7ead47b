import { useId, useState, type FormEvent } from 'react';
import type { KeelErrorInfo } from '../../../../shared/errors';
import { useKeel } from '../../store/KeelStoreProvider';
import { FormError } from '../common/FormError';

interface WholeNumberSettingFormProps {
  setting: 'backupKeep' | 'lockAfterMinutes';
  fallback: number;
  min: number;
  max: number;
  label: string;
  hint: string;
  /** Said when the number is missing, not whole or out of range. */
  outOfRange: string;
  submitLabel: string;
}

/** A whole-number setting saved with its own button, checked against its range before it is sent. */
export function WholeNumberSettingForm({
  setting,
  fallback,
  min,
  max,
  label,
  hint,
  outOfRange,
  submitLabel,
}: WholeNumberSettingFormProps) {
  const inputId = useId();
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
      <div className="field">
        <label htmlFor={inputId}>{label}</label>
        <input
          id={inputId}
          type="number"
          className="trust-input trust-number"
          min={min}
          max={max}
          step={1}
          value={text}
          aria-describedby={hintId}
          onChange={(event) => {
            setText(event.target.value);
            setDone(false);
          }}
        />
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      </div>
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
