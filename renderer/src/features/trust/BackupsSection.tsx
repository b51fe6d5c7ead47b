import { SettingsSection } from '../common/SettingsSectionHead';
import { useEffect, useState } from 'react';
import type { BackupInfo } from '../../../../shared/domain';
import { useKeel, useKeelFields } from '../../store/KeelStoreProvider';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { FormError } from '../common/FormError';
import { useTurnAction } from '../loop/useTurnAction';
import { BackupList } from './BackupList';
import { backupReasonLabels, formatDateTime } from './backupLabels';
import { WholeNumberSettingForm, type WholeNumberTexts } from './WholeNumberSettingForm';

const keepTexts: WholeNumberTexts = {
  label: 'Backups to keep',
  hint: 'Keep the last this many backups; older ones are deleted when a new one is made.',
  outOfRange: 'Keep from 1 to 100 backups.',
  submitLabel: 'Save backups to keep',
};

/** Asked before a backup is restored: what comes back, and that what is there now is kept first. */
function RestoreDialog({ backup, onClose }: { backup: BackupInfo; onClose: () => void }) {
  const restoreBackup = useKeel((state) => state.restoreBackup);
  return (
    <ConfirmDialog
      title="Restore a backup"
      confirmLabel="Restore"
      onConfirm={() => restoreBackup(backup.id)}
      onClose={onClose}
    >
      <p>
        Restore the backup from <strong>{formatDateTime(backup.createdAt)}</strong> (
        {backupReasonLabels[backup.reason].toLowerCase()})? Every space, loop, draft and setting goes back to
        how it was then. What you have now is backed up first, so you can come back to it.
      </p>
    </ConfirmDialog>
  );
}

/** The backups of the data folder: made each day and before every restore or import, or by hand. */
export function BackupsSection() {
  const { backups, backupsError, loadBackups, backupNow } = useKeelFields(
    'backups',
    'backupsError',
    'loadBackups',
    'backupNow',
  );
  const { busy: making, error: makeError, run } = useTurnAction();
  const [made, setMade] = useState<BackupInfo | null>(null);
  const [restoring, setRestoring] = useState<BackupInfo | null>(null);

  useEffect(() => {
    void loadBackups();
  }, [loadBackups]);

  const makeBackup = async () => {
    setMade(null);
    const result = await run(backupNow);
    if (result?.ok) setMade(result.value);
  };

  return (
    <SettingsSection
      id="settings-backups-title"
      title="Backups"
      action={{ label: 'Back up now', busy: making, onAction: () => void makeBackup() }}
    >
      <p className="settings-intro">
        Keel backs up your data folder once a day, and before every restore or import, so each can be undone.
        Backups stay on this computer, encrypted when your data is.
      </p>
      {making ? (
        <p role="status" className="muted">
          Backing up…
        </p>
      ) : null}
      {made ? (
        <p role="status" className="saved-note">
          Backed up at {formatDateTime(made.createdAt)}.
        </p>
      ) : null}
      <FormError error={makeError ?? backupsError} />
      {backups && backups.length === 0 ? <p className="settings-empty">No backups yet.</p> : null}
      {backups && backups.length > 0 ? (
        <BackupList backups={backups} busyId={null} onRestore={setRestoring} />
      ) : null}
      <WholeNumberSettingForm setting="backupKeep" texts={keepTexts} />
      {restoring ? <RestoreDialog backup={restoring} onClose={() => setRestoring(null)} /> : null}
    </SettingsSection>
  );
}
