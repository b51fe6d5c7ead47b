import { SettingsSection } from '../common/SettingsSectionHead';
import { useEffect, useId, useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { BackupInfo } from '../../../../shared/domain';
import type { KeelErrorInfo } from '../../../../shared/errors';
import { useKeel } from '../../store/KeelStoreProvider';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { FormError } from '../common/FormError';
import { BackupList } from './BackupList';
import { backupReasonLabels, formatDateTime } from './backupLabels';

function KeepForm() {
  const inputId = useId();
  const hintId = useId();
  const saved = useKeel((state) => state.settings?.backupKeep ?? 7);
  const saveSettings = useKeel((state) => state.saveSettings);
  const [keep, setKeep] = useState(String(saved));
  const [error, setError] = useState<KeelErrorInfo | string | null>(null);
  const [done, setDone] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const value = Number(keep);
    if (keep.trim() === '' || !Number.isInteger(value) || value < 1 || value > 100) {
      setError('Keep from 1 to 100 backups.');
      return;
    }
    setError(null);
    const result = await saveSettings({ backupKeep: value });
    if (result.ok) setDone(true);
    else setError(result.error);
  };

  return (
    <form className="settings-fields" noValidate onSubmit={(event) => void submit(event)}>
      <div className="field">
        <label htmlFor={inputId}>Backups to keep</label>
        <input
          id={inputId}
          type="number"
          className="trust-input trust-number"
          min={1}
          max={100}
          step={1}
          value={keep}
          aria-describedby={hintId}
          onChange={(event) => {
            setKeep(event.target.value);
            setDone(false);
          }}
        />
        <p id={hintId} className="field-hint">
          Keep the last this many backups; older ones are deleted when a new one is made.
        </p>
      </div>
      <FormError error={error} />
      <div className="settings-actions">
        <button type="submit" className="button">
          Save backups to keep
        </button>
        {done && Number(keep) === saved ? <span className="saved-note">Saved.</span> : null}
      </div>
    </form>
  );
}

/** The backups of the data folder: made each day and before every restore or import, or by hand. */
export function BackupsSection() {
  const backups = useKeel(useShallow((state) => state.backups));
  const error = useKeel((state) => state.backupsError);
  const loadBackups = useKeel((state) => state.loadBackups);
  const backupNow = useKeel((state) => state.backupNow);
  const restoreBackup = useKeel((state) => state.restoreBackup);
  const [making, setMaking] = useState(false);
  const [made, setMade] = useState<BackupInfo | null>(null);
  const [makeError, setMakeError] = useState<KeelErrorInfo | null>(null);
  const [restoring, setRestoring] = useState<BackupInfo | null>(null);

  useEffect(() => {
    void loadBackups();
  }, [loadBackups]);

  const makeBackup = async () => {
    if (making) return;
    setMaking(true);
    setMakeError(null);
    setMade(null);
    const result = await backupNow();
    setMaking(false);
    if (result.ok) setMade(result.value);
    else setMakeError(result.error);
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
      <FormError error={makeError ?? error} />
      {backups && backups.length === 0 ? <p className="settings-empty">No backups yet.</p> : null}
      {backups && backups.length > 0 ? (
        <BackupList backups={backups} busyId={null} onRestore={setRestoring} />
      ) : null}
      <KeepForm />
      {restoring ? (
        <ConfirmDialog
          title="Restore a backup"
          confirmLabel="Restore"
          onConfirm={() => restoreBackup(restoring.id)}
          onClose={() => setRestoring(null)}
        >
          <p>
            Restore the backup from <strong>{formatDateTime(restoring.createdAt)}</strong> (
            {backupReasonLabels[restoring.reason].toLowerCase()})? Every space, loop, draft and setting goes
            back to how it was then. What you have now is backed up first, so you can come back to it.
          </p>
        </ConfirmDialog>
      ) : null}
    </SettingsSection>
  );
}
