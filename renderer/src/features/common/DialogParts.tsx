import { limits } from '../../../../shared/contract';
import { TextField } from './TextField';

interface NameFieldProps {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  placeholder?: string;
  readOnly?: boolean;
}

/** A dialog's one-line name field: the first thing focused, at most a name's length. */
export function NameField({ id, label, value, onChange, placeholder, readOnly }: NameFieldProps) {
  return (
    <TextField
      id={id}
      label={label}
      value={value}
      onChange={onChange}
      maxLength={limits.name}
      autoComplete="off"
      placeholder={placeholder}
      data-autofocus
      readOnly={readOnly}
    />
  );
}

interface DialogActionsProps {
  submitLabel: string;
  busy: boolean;
  onCancel: () => void;
}

/** A dialog form's end: Cancel, then the form's submit (marked, not disabled, while busy: focus stays). */
export function DialogActions({ submitLabel, busy, onCancel }: DialogActionsProps) {
  return (
    <div className="dialog-actions">
      <button type="button" className="button" onClick={onCancel}>
        Cancel
      </button>
      <button type="submit" className="button button-primary" aria-disabled={busy}>
        {submitLabel}
      </button>
    </div>
  );
}
