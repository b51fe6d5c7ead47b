import { DialogActions, NameField } from './DialogParts';
import { useId, useState, type FormEvent } from 'react';
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
        <NameField id={inputId} label={label} value={name} onChange={setName} />
        <FormError error={error} />
        <DialogActions submitLabel={submitLabel} busy={busy} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
