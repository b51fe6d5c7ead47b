import { useState, type FormEvent } from 'react';
import type { KeelErrorInfo, Result } from '../../../../shared/errors';

/**
 * A form's submit, once: nothing while one is on its way; `check` names what is missing (shown,
 * nothing sent); otherwise `save` runs, and its failure stays on the form until the next try.
 */
export function useFormSubmit<T>({
  check,
  save,
  onSaved,
}: {
  check: () => string | null;
  save: () => Promise<Result<T>>;
  onSaved?: (value: T) => void;
}) {
  const [error, setError] = useState<KeelErrorInfo | string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    const missing = check();
    if (missing !== null) {
      setError(missing);
      return;
    }
    setBusy(true);
    setError(null);
    const result = await save();
    setBusy(false);
    if (result.ok) onSaved?.(result.value);
    else setError(result.error);
  };

  return { busy, error, setError, submit: (event: FormEvent) => void submit(event) };
}
