import { DialogActions, NameField } from './DialogParts';
import { useId, useState } from 'react';
import type { Result } from '../../../../shared/errors';
import { Dialog } from './Dialog';
import { FormError } from './FormError';
import { useFormSubmit } from './useFormSubmit';

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
  const { busy, error, submit } = useFormSubmit({
    check: () => (name.trim() === '' ? emptyMessage : null),
    save: () => onSubmit(name.trim()),
    onSaved: onClose,
  });

  return (
    <Dialog title={title} onClose={onClose}>
      <form className="dialog-form" onSubmit={submit} noValidate>
        <NameField id={inputId} label={label} value={name} onChange={setName} />
        <FormError error={error} />
        <DialogActions submitLabel={submitLabel} busy={busy} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
