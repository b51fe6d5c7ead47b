import { useId, useState, type FormEvent } from 'react';
import { limits } from '../../../../shared/contract';
import type { KeelErrorInfo, Result } from '../../../../shared/errors';
import { Dialog } from './Dialog';
import { FormError } from './FormError';

interface NameDialogProps {
  title: string;
  label: string;
  initialValue: string;
  /** Said when the person submits an empty name. */
  emptyMessage: string;
  submitLabel: string;
  onSubmit: (name: string) => Promise<Result<unknown>>;
  onClose: () => void;
}

/** Asks for one name (renaming a space or a loop) and stays open with the reason if saving fails. */
export function NameDialog({
  title,
  label,
  initialValue,
  emptyMessage,
  submitLabel,
  onSubmit,
  onClose,
}: NameDialogProps) {
  const inputId = useId();
  const [name, setName] = useState(initialValue);
  const [error, setError] = useState<KeelErrorInfo | string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (name.trim() === '') {
      setError(emptyMessage);
      return;
    }
    setBusy(true);
    const result = await onSubmit(name.trim());
    setBusy(false);
    if (result.ok) onClose();
    else setError(result.error);
  };

  return (
    <Dialog title={title} onClose={onClose}>
      <form className="dialog-form" onSubmit={(event) => void submit(event)} noValidate>
        <div className="field">
          <label htmlFor={inputId}>{label}</label>
          <input
            id={inputId}
            type="text"
            value={name}
            maxLength={limits.name}
            autoComplete="off"
            data-autofocus
            onChange={(event) => setName(event.target.value)}
          />
        </div>
        <FormError error={error} />
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" aria-disabled={busy}>
            {submitLabel}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
