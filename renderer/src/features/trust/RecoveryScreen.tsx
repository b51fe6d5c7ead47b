import { useEffect, useState } from 'react';
import type { BackupInfo } from '../../../../shared/domain';
import type { KeelErrorInfo } from '../../../../shared/errors';
import { useKeel } from '../../store/KeelStoreProvider';
import { FormError } from '../common/FormError';
import { BackupList, RestoreButton } from './BackupList';
import { formatDateTime } from './backupLabels';
import { ImportArchiveField } from './ImportArchiveField';
import { TrustScreen } from './TrustScreen';

/**
 * In place of the workspace when a file Keel needs could not be read: what happened, and the way
 * back (the latest backup, any other, or an archive).
 */
export function RecoveryScreen() {
  const engineState = useKeel((state) => state.engineState);
  const backups = useKeel((state) => state.backups);
  const dataDir = useKeel((state) => state.appInfo?.dataDir);
  const loadBackups = useKeel((state) => state.loadBackups);
  const loadSettings = useKeel((state) => state.loadSettings);
  const restoreBackup = useKeel((state) => state.restoreBackup);
  const [busyId, setBusyId] = useState<string | null>(null);
  const [error, setError] = useState<KeelErrorInfo | null>(null);
  const latest = engineState?.latestBackup;

  useEffect(() => {
    void loadBackups();
    // The settings cannot be read now, but the app's facts (where the data folder is) can.
    void loadSettings();
  }, [loadBackups, loadSettings]);

  const restore = async (backup: BackupInfo) => {
    if (busyId !== null) return;
    setBusyId(backup.id);
    setError(null);
    const result = await restoreBackup(backup.id);
    setBusyId(null);
    if (!result.ok) setError(result.error);
  };

  return (
    <TrustScreen titleId="recovery-title" title="Keel could not open your data">
      <p className="trust-problem">{engineState?.problem ?? 'A file Keel needs could not be read.'}</p>
      {latest ? (
        <>
          <p className="trust-lead">
            Restore the backup from {formatDateTime(latest.createdAt)}: your data as it was then. What is in
            the data folder now is kept as a backup first.
          </p>
          <FormError error={error} />
          <div className="trust-actions">
            <RestoreButton
              backup={latest}
              busyId={busyId}
              onRestore={(backup) => void restore(backup)}
              className="button button-primary"
            >
              Restore latest backup
            </RestoreButton>
          </div>
          {backups && backups.length > 0 ? (
            <section className="trust-subsection" aria-labelledby="recovery-backups-title">
              <h2 id="recovery-backups-title">All backups</h2>
              <BackupList backups={backups} busyId={busyId} onRestore={(backup) => void restore(backup)} />
            </section>
          ) : null}
        </>
      ) : (
        <p className="trust-lead">
          There is no backup to restore. If you have an archive made with Export everything, import it below;
          otherwise the damaged file was moved aside in your data folder
          {dataDir ? (
            <>
              {' '}
              (<code className="trust-path">{dataDir}</code>)
            </>
          ) : null}
          , where it can still be looked at.
        </p>
      )}
      {latest && dataDir ? (
        <p className="muted trust-small">
          Your data folder: <code className="trust-path">{dataDir}</code>
        </p>
      ) : null}
      <section className="trust-subsection" aria-labelledby="recovery-import-title">
        <h2 id="recovery-import-title">Import an archive…</h2>
        <ImportArchiveField />
      </section>
    </TrustScreen>
  );
}
