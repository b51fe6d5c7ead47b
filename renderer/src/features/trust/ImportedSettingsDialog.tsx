import { useState } from 'react';
import type { EngineState } from '../../../../shared/domain';
import type { KeelErrorInfo } from '../../../../shared/errors';
import { useKeel } from '../../store/KeelStoreProvider';
import { Dialog } from '../common/Dialog';
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
 * taken on their own. This asks, over the workspace, whether to take them or keep the person's; Esc
 * keeps the person's.
 */
export function ImportedSettingsDialog() {
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
    <Dialog title="Settings from the imported archive" onClose={() => void decide(false)} busy={busy}>
      <div className="dialog-body">
        <p>
          The archive had other settings for where your data goes and what Keel trusts. Keel kept yours; take
          the archive’s only if you know them:
        </p>
        <ul>
          {describe(imported).map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      </div>
      <FormError error={error} />
      <div className="dialog-actions">
        <button
          type="button"
          className="button button-primary"
          aria-disabled={busy}
          onClick={() => void decide(false)}
          data-autofocus
        >
          Keep my settings
        </button>
        <button type="button" className="button" aria-disabled={busy} onClick={() => void decide(true)}>
          Use the archive’s settings
        </button>
      </div>
    </Dialog>
  );
}
