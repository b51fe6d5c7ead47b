import { useId, useRef, useState } from 'react';
import { limits } from '../../../../shared/contract';
import { fail } from '../../../../shared/errors';
import { useKeel } from '../../store/KeelStoreProvider';
import { ConfirmDialog } from '../common/ConfirmDialog';

/**
 * "Import an archive…": picking an archive file asks first, since it replaces the data folder
 * (the data there now is backed up before).
 */
export function ImportArchiveField() {
  const inputId = useId();
  const hintId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const passphraseId = useId();
  const importArchive = useKeel((state) => state.importArchive);
  // Encrypted data here is replaced only by someone who can open it.
  // (Also on the recovery screen: a damaged but unlocked folder is still the person's encrypted data.)
  const encrypted = useKeel((state) => state.engineState?.encrypted === true);
  const [file, setFile] = useState<File | null>(null);
  const [passphrase, setPassphrase] = useState('');

  const close = () => {
    setFile(null);
    setPassphrase('');
    if (inputRef.current) inputRef.current.value = '';
  };

  const confirm = async () => {
    if (!file) return fail({ code: 'invalid-input', message: 'Choose an archive file first.' });
    if (file.size > limits.archiveBytes) {
      return fail({
        code: 'invalid-input',
        message: `${file.name} is larger than Keel imports (${Math.round(limits.archiveBytes / 1024 / 1024)} MB at most).`,
      });
    }
    if (encrypted && passphrase === '') {
      return fail({
        code: 'invalid-input',
        message: 'Give your passphrase to replace your encrypted data.',
        field: 'currentPassphrase',
      });
    }
    // The file goes as bytes (read by the browser as it is sent), never as text in memory.
    return importArchive(file, encrypted ? passphrase : undefined);
  };

  return (
    <div className="field trust-import">
      <label htmlFor={inputId}>Archive file</label>
      <input
        ref={inputRef}
        id={inputId}
        type="file"
        accept=".zip,application/zip"
        aria-describedby={hintId}
        onChange={(event) => setFile(event.target.files?.[0] ?? null)}
      />
      <p id={hintId} className="field-hint">
        An archive made with Export everything, on this computer or another. It replaces the data here, which
        is backed up first.
      </p>
      {file ? (
        <ConfirmDialog
          title="Import an archive"
          confirmLabel="Import and replace"
          onConfirm={confirm}
          onClose={close}
        >
          <p>
            Import <strong>{file.name}</strong>? It replaces all of your data on this computer: spaces, loops,
            drafts and settings. What is here now is backed up first, so you can restore it from Backups. An
            encrypted archive opens locked: unlock it with the passphrase it was made with.
          </p>
          {encrypted ? (
            <div className="field">
              <label htmlFor={passphraseId}>Your passphrase</label>
              <input
                id={passphraseId}
                type="password"
                autoComplete="current-password"
                value={passphrase}
                onChange={(event) => setPassphrase(event.target.value)}
              />
            </div>
          ) : null}
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
