import { useState } from 'react';
import { useKeel } from '../../store/KeelStoreProvider';
import { FormError } from '../common/FormError';
import { downloadFile } from '../export/downloadFile';
import { useTurnAction } from '../loop/useTurnAction';
import { ImportArchiveField } from './ImportArchiveField';
import { SettingsSection } from '../common/SettingsSectionHead';

/** The whole data folder as one file, to carry to another computer, and back in from one. */
export function TransferSection() {
  const exportArchive = useKeel((state) => state.exportArchive);
  const encrypted = useKeel((state) => state.engineState?.encrypted === true);
  const { busy, error, run } = useTurnAction();
  const [saved, setSaved] = useState<string | null>(null);

  const exportNow = async () => {
    setSaved(null);
    const result = await run(exportArchive);
    if (!result?.ok) return;
    downloadFile(result.value);
    setSaved(result.value.fileName);
  };

  return (
    <SettingsSection id="settings-transfer-title" title="Transfer to another computer">
      <p className="settings-intro">
        Export everything into one archive file, carry it over yourself (a USB stick, your own file sharing),
        and import it in Keel there. Nothing is uploaded anywhere.
        {encrypted ? ' Your data stays encrypted in the archive: it opens with your passphrase.' : ''}
      </p>
      <div className="trust-block">
        <h3 className="trust-form-title">Export everything</h3>
        <div className="settings-actions">
          <button type="button" className="button" aria-disabled={busy} onClick={() => void exportNow()}>
            Export everything
          </button>
          {busy ? (
            <span role="status" className="muted">
              Preparing the archive…
            </span>
          ) : null}
          {saved ? (
            <span role="status" className="saved-note">
              Saved as {saved}.
            </span>
          ) : null}
        </div>
        <FormError error={error} />
      </div>
      <div className="trust-block">
        <h3 className="trust-form-title">Import an archive…</h3>
        <ImportArchiveField />
      </div>
    </SettingsSection>
  );
}
