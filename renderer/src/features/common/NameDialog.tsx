import { useId, useState } from 'react';
import type { Result } from '../../../../shared/errors';
import { DialogForm } from './DialogForm';
import { NameField } from './DialogParts';
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
  const form = useFormSubmit({
    check: () => (name.trim() === '' ? emptyMessage : null),
    save: () => onSubmit(name.trim()),
    onSaved: onClose,
  });

  return (
    <DialogForm title={title} submitLabel={submitLabel} form={form} onClose={onClose}>
      <NameField id={inputId} label={label} value={name} onChange={setName} />
    </DialogForm>
  );
}
