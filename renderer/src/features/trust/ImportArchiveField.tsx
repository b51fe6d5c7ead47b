import { useId, useRef, useState } from 'react';
import { fail, toErrorInfo } from '../../../../shared/errors';
import { useKeel } from '../../store/KeelStoreProvider';
import { ConfirmDialog } from '../common/ConfirmDialog';
import { readFileAsBase64 } from '../common/readFileAsBase64';

/**
 * "Import an archive…": picking an archive file asks first, since it replaces the data folder
 * (the data there now is backed up before).
 */
export function ImportArchiveField() {
  const inputId = useId();
  const hintId = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const importArchive = useKeel((state) => state.importArchive);
  const [file, setFile] = useState<File | null>(null);

  const close = () => {
    setFile(null);
    if (inputRef.current) inputRef.current.value = '';
  };

  const confirm = async () => {
    if (!file) return fail({ code: 'invalid-input', message: 'Choose an archive file first.' });
    let base64: string;
    try {
      base64 = await readFileAsBase64(file);
    } catch (error) {
      return fail(toErrorInfo(error));
    }
    return importArchive(base64);
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
        </ConfirmDialog>
      ) : null}
    </div>
  );
}
