import type { KeelErrorInfo } from '../../../../shared/errors';
import { errorHeading } from './errorHeading';

/** A failed call inside a dialog, said where the person is looking (the page behind is inert). */
export function FormError({ error }: { error: KeelErrorInfo | string | null }) {
  if (error === null) return null;
  return (
    <div role="alert" className="form-error">
      {typeof error === 'string' ? (
        error
      ) : (
        <>
          <strong>{errorHeading(error.code)}.</strong> {error.message}
        </>
      )}
    </div>
  );
}
