import { useEffect } from 'react';
import { useKeel } from '../../store/KeelStoreProvider';
import type { DamagedLoop } from '../../store/slices/trustSlice';
import { FormError } from '../common/FormError';
import { useTurnAction } from '../loop/useTurnAction';
import { formatDateTime } from './backupLabels';

/** Where a loop whose file is damaged would be: what happened, and its restore from the latest backup. */
export function DamagedLoopPanel({ damaged }: { damaged: DamagedLoop }) {
  const title = useKeel((state) => state.loops.find((loop) => loop.id === damaged.loopId)?.title);
  const latest = useKeel((state) => state.backups?.[0] ?? state.engineState?.latestBackup);
  const loadBackups = useKeel((state) => state.loadBackups);
  const restoreLoop = useKeel((state) => state.restoreLoop);
  const { busy, error, run } = useTurnAction();

  useEffect(() => {
    void loadBackups();
  }, [loadBackups]);

  return (
    <section className="panel" aria-labelledby="damaged-loop-title">
      <h1 id="damaged-loop-title">
        {title ? `“${title}” could not be opened` : 'This loop could not be opened'}
      </h1>
      <div role="alert" className="form-error">
        <strong>A data file is damaged.</strong> {damaged.error.message}
      </div>
      {latest ? (
        <>
          <p>
            The latest backup is from {formatDateTime(latest.createdAt)}. Restoring brings back this loop as
            it was then; nothing else changes, and the damaged file is kept as a backup first.
          </p>
          <FormError error={error} />
          <button
            type="button"
            className="button button-primary"
            aria-disabled={busy}
            onClick={() => void run(() => restoreLoop(damaged.loopId))}
          >
            {busy ? 'Restoring…' : 'Restore this loop from the latest backup'}
          </button>
        </>
      ) : (
        <p>There is no backup to restore it from. The damaged file was moved aside in your data folder.</p>
      )}
    </section>
  );
}
