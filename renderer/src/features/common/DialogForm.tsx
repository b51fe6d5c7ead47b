import type { FormEvent, ReactNode } from 'react';
import type { KeelErrorInfo } from '../../../../shared/errors';
import { Dialog } from './Dialog';
import { DialogActions } from './DialogParts';
import { FormError } from './FormError';

/**
 * A dialog that is one form: its fields, then any refusal, then Cancel and the submit. `form` is
 * what `useFormSubmit` gives.
 */
export function DialogForm({
  title,
  submitLabel,
  form,
  onClose,
  children,
}: {
  title: string;
  submitLabel: string;
  form: { busy: boolean; error: KeelErrorInfo | string | null; submit: (event: FormEvent) => void };
  onClose: () => void;
  children: ReactNode;
}) {
  return (
    <Dialog title={title} onClose={onClose}>
      <form className="dialog-form" noValidate onSubmit={form.submit}>
        {children}
        <FormError error={form.error} />
        <DialogActions submitLabel={submitLabel} busy={form.busy} onCancel={onClose} />
      </form>
    </Dialog>
  );
}
