import { useId, useState } from 'react';
import type { ModelInfo } from '../../../../shared/domain';
import type { KeelErrorInfo, Result } from '../../../../shared/errors';
import { FormError } from '../common/FormError';
import { sameModel } from '../models/modelFormat';
import { modelOptions, type ModelUse } from './modelOptions';

interface ModelSelectProps {
  label: string;
  use: ModelUse;
  models: ModelInfo[] | null;
  /** The saved choice; '' when `emptyOption` is chosen. */
  value: string;
  /** A first option meaning "no choice of its own", such as "Same as global". */
  emptyOption?: string;
  hint?: string;
  onSave: (value: string) => Promise<Result<unknown>>;
}

/** A model picker that saves on change, shows the new choice at once and says why if it was refused. */
export function ModelSelect({ label, use, models, value, emptyOption, hint, onSave }: ModelSelectProps) {
  const selectId = useId();
  const hintId = useId();
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<KeelErrorInfo | null>(null);
  const options = modelOptions(models, use, value);
  const savedValue =
    value === '' ? '' : (options.find((option) => sameModel(option.value, value))?.value ?? value);
  const shown = pending ?? savedValue;

  const change = async (next: string) => {
    if (next === savedValue) return;
    setPending(next);
    setError(null);
    const result = await onSave(next);
    setPending(null);
    if (!result.ok) setError(result.error);
  };

  return (
    <div className="field">
      <label htmlFor={selectId}>{label}</label>
      <select
        id={selectId}
        value={shown}
        aria-describedby={hint ? hintId : undefined}
        aria-invalid={error ? true : undefined}
        onChange={(event) => void change(event.target.value)}
      >
        {emptyOption !== undefined ? <option value="">{emptyOption}</option> : null}
        {options.map((option) => (
          <option key={option.value} value={option.value}>
            {option.label}
          </option>
        ))}
      </select>
      {hint ? (
        <p id={hintId} className="field-hint">
          {hint}
        </p>
      ) : null}
      <FormError error={error} />
    </div>
  );
}
