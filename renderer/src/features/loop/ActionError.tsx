import type { KeelErrorInfo } from '../../../../shared/errors';

/** Why an action next to it failed, in the engine's words. */
export function ActionError({ error, id }: { error: KeelErrorInfo | string | null; id?: string }) {
  if (error === null) return null;
  return (
    <p id={id} role="alert" className="action-error">
      {typeof error === 'string' ? error : error.message}
    </p>
  );
}
