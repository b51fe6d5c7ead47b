import type { ReactNode } from 'react';
import type { Result } from '../../../../shared/errors';
import { ActionError } from '../loop/ActionError';
import { useTurnAction } from '../loop/useTurnAction';

/**
 * A button that makes one engine call: marked busy (never disabled, so focus stays) while it runs,
 * its failure said right under it, and what the call returned handed to `onDone`.
 */
export function ActionButton<T>({
  call,
  onDone,
  unavailable = false,
  className,
  title,
  children,
}: {
  call: () => Promise<Result<T>>;
  onDone: (value: T) => void;
  /** Marked unavailable and does nothing (a turn still being written, …). */
  unavailable?: boolean;
  className: string;
  title: string;
  children: ReactNode;
}) {
  const { busy, error, run } = useTurnAction();
  return (
    <>
      <button
        type="button"
        className={className}
        aria-disabled={busy || unavailable}
        title={title}
        onClick={() => {
          if (unavailable) return;
          void run(call).then((result) => {
            if (result?.ok) onDone(result.value);
          });
        }}
      >
        {children}
      </button>
      <ActionError error={error} />
    </>
  );
}
