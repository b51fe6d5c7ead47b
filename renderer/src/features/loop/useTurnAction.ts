import { useState } from 'react';
import type { KeelErrorInfo, Result } from '../../../../shared/errors';

/**
 * One engine call made from a control: whether it is on its way, and why it failed, so the failure
 * is said next to the control rather than somewhere else on screen.
 */
export function useTurnAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<KeelErrorInfo | null>(null);

  const run = async <T>(call: () => Promise<Result<T>>): Promise<Result<T> | null> => {
    if (busy) return null;
    setBusy(true);
    setError(null);
    const result = await call();
    setBusy(false);
    if (!result.ok) setError(result.error);
    return result;
  };

  return { busy, error, run, clearError: () => setError(null) };
}
