import { useState } from 'react';
import type { EngineState } from '../../../../shared/domain';
import type { KeelErrorInfo } from '../../../../shared/errors';
import { useKeel } from '../../store/KeelStoreProvider';
import { FormError } from '../common/FormError';

type Imported = NonNullable<EngineState['importedSettings']>;

/** Each guarded setting in words, as the archive had it. */
function describe(settings: Imported): string[] {
  const lines: string[] = [];
  if (settings.ollamaHost !== undefined)
    lines.push(
      `Model host: ${settings.ollamaHost === '' ? 'the default (this computer)' : settings.ollamaHost}`,
    );
  if (settings.allowRemoteHost !== undefined)
    lines.push(`A model host on another computer: ${settings.allowRemoteHost ? 'allowed' : 'not allowed'}`);
  if (settings.backupKeep !== undefined) lines.push(`Daily and manual backups kept: ${settings.backupKeep}`);
  if (settings.lockAfterMinutes !== undefined)
    lines.push(
      `Lock when idle: ${settings.lockAfterMinutes === 0 ? 'only when asked' : `after ${settings.lockAfterMinutes} minutes`}`,
    );
  return lines;
}

/**
 * After an import: the archive's settings that decide where data goes or what is trusted were not
 * taken on their own. This shows what the archive had and lets the person take them or keep theirs.
 */
export function ImportedSettingsNotice() {
  const imported = useKeel((state) => state.engineState?.importedSettings);
  const settleImportedSettings = useKeel((state) => state.settleImportedSettings);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<KeelErrorInfo | null>(null);
  if (!imported) return null;

  const decide = async (adopt: boolean) => {
    if (busy) return;
    setBusy(true);
    const result = await settleImportedSettings(adopt);
    setBusy(false);
    setError(result.ok ? null : result.error);
  };

  return (
    <div className="trust-block" role="region" aria-labelledby="imported-settings-title">
      <h3 id="imported-settings-title" className="trust-form-title">
        Settings from the imported archive
      </h3>
      <p>
        The archive had other settings for where your data goes and what Keel trusts. Keel kept yours until
        you choose:
      </p>
      <ul>
        {describe(imported).map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <div className="settings-actions">
        <button type="button" className="button" aria-disabled={busy} onClick={() => void decide(false)}>
          Keep my settings
        </button>
        <button type="button" className="button" aria-disabled={busy} onClick={() => void decide(true)}>
          Use the archive’s settings
        </button>
      </div>
      <FormError error={error} />
    </div>
  );
}
