import { useId, useLayoutEffect, useRef, useState, type FormEvent } from 'react';
import { limits } from '../../../../shared/contract';
import type { KeelErrorInfo } from '../../../../shared/errors';
import { useKeel } from '../../store/KeelStoreProvider';
import { TrustScreen } from './TrustScreen';

/** In place of the workspace while the data is encrypted and locked: the passphrase, and nothing else. */
export function LockScreen() {
  const inputId = useId();
  const errorId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const unlock = useKeel((state) => state.unlock);
  const [passphrase, setPassphrase] = useState('');
  const [error, setError] = useState<KeelErrorInfo | null>(null);
  const [busy, setBusy] = useState(false);
  /** Goes up with each refusal, so the text is selected again even when the message is the same. */
  const [refusals, setRefusals] = useState(0);

  // After a wrong passphrase the text is selected, so typing again replaces it.
  useLayoutEffect(() => {
    if (refusals === 0) return;
    inputRef.current?.focus();
    inputRef.current?.select();
  }, [refusals]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (passphrase === '') {
      setError({ code: 'invalid-input', message: 'Enter your passphrase.', field: 'passphrase' });
      setRefusals((count) => count + 1);
      return;
    }
    setBusy(true);
    setError(null);
    const result = await unlock(passphrase);
    setBusy(false);
    if (!result.ok) {
      setError(result.error);
      setRefusals((count) => count + 1);
    }
  };

  return (
    <TrustScreen titleId="lock-title" title="Keel is locked">
      <p className="trust-lead">Your data is encrypted. Enter your passphrase to unlock.</p>
      <form className="trust-form" noValidate onSubmit={(event) => void submit(event)}>
        <div className="field">
          <label htmlFor={inputId}>Passphrase</label>
          <input
            ref={inputRef}
            id={inputId}
            type="password"
            className="trust-input"
            value={passphrase}
            maxLength={limits.passphrase}
            autoComplete="current-password"
            autoFocus
            aria-invalid={error !== null}
            aria-describedby={error ? errorId : undefined}
            onChange={(event) => setPassphrase(event.target.value)}
          />
        </div>
        {error ? (
          <p id={errorId} role="alert" className="form-error">
            {error.message}
          </p>
        ) : null}
        <div className="trust-actions">
          <button type="submit" className="button button-primary" aria-disabled={busy}>
            Unlock
          </button>
          {busy ? (
            <span role="status" className="muted">
              Checking the passphrase…
            </span>
          ) : null}
        </div>
      </form>
    </TrustScreen>
  );
}
