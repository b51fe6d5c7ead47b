import type { ReactNode } from 'react';
import { missingCase } from '../../../../shared/errors';
import { useKeel } from '../../store/KeelStoreProvider';
import { errorHeading } from '../common/errorHeading';
import { ImportedSettingsDialog } from './ImportedSettingsDialog';
import { LockScreen } from './LockScreen';
import { RecoveryScreen } from './RecoveryScreen';
import { TrustScreen } from './TrustScreen';

/**
 * Shows the workspace only while the engine is open; locked, it shows the lock screen, damaged the
 * way back, and nothing of the person's data either way.
 */
export function TrustGate({ children }: { children: ReactNode }) {
  const status = useKeel((state) => state.engineState?.status);
  const error = useKeel((state) => state.engineStateError);
  const refreshEngineState = useKeel((state) => state.refreshEngineState);

  if (status === undefined) {
    if (error) {
      return (
        <TrustScreen titleId="engine-error-title" title="Keel could not open your workspace">
          <div role="alert" className="form-error">
            <strong>{errorHeading(error.code)}.</strong> {error.message}
          </div>
          <div className="trust-actions">
            <button type="button" className="button button-primary" onClick={() => void refreshEngineState()}>
              Try again
            </button>
          </div>
        </TrustScreen>
      );
    }
    return (
      <main className="trust-screen">
        <p className="muted">Opening your workspace…</p>
      </main>
    );
  }
  switch (status) {
    case 'open':
      return (
        <>
          {children}
          <ImportedSettingsDialog />
        </>
      );
    case 'locked':
      return <LockScreen />;
    case 'damaged':
      return <RecoveryScreen />;
    default:
      return missingCase(status);
  }
}
