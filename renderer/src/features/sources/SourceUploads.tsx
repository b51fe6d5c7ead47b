import { useShallow } from 'zustand/react/shallow';
import type { SourceUpload } from '../../store/slices/sourcesSlice';
import { formatSourceSize } from '../../store/sourceFiles';
import { useKeel } from '../../store/KeelStoreProvider';
import { uploadStageText } from './sourceLabels';

/** One file going in: its name, what the engine is doing with it, and a bar. */
function UploadRow({ upload }: { upload: SourceUpload }) {
  const progress = upload.progress;
  const measured = progress !== null && progress.total > 0;
  const stage = uploadStageText(upload);
  return (
    <li className="src-upload">
      <div className="src-upload-head">
        <span className="src-upload-name">{upload.name}</span>
        <span className="src-upload-size">{formatSourceSize(upload.bytes)}</span>
      </div>
      <progress
        className="src-upload-bar"
        aria-label={`Adding ${upload.name}`}
        aria-valuetext={stage}
        {...(measured ? { max: progress.total, value: Math.min(progress.done, progress.total) } : {})}
      />
      <span className="src-upload-stage">{stage}</span>
    </li>
  );
}

/**
 * Before a dismiss button goes, focus moves to the next message's (or the previous one's), and
 * after the last to the panel's "Add files", so the keyboard never falls back to the page.
 */
function keepFocusNear(button: HTMLButtonElement): void {
  const item = button.closest('li');
  const neighbour = item?.nextElementSibling ?? item?.previousElementSibling;
  const target =
    neighbour?.querySelector<HTMLButtonElement>('button') ??
    button.closest('section')?.querySelector<HTMLButtonElement>('[data-add-files]');
  target?.focus();
}

/**
 * The files a panel is adding, each with its progress (files go in one after another), and what
 * happened to those that could not go in or were already there, until the person dismisses it.
 */
export function SourceUploads({ panel }: { panel: string }) {
  const uploads = useKeel(
    useShallow((state) => state.sourceUploads.filter((upload) => upload.panel === panel)),
  );
  const problems = useKeel(
    useShallow((state) => state.sourceProblems.filter((problem) => problem.panel === panel)),
  );
  const dismiss = useKeel((state) => state.dismissSourceProblem);

  return (
    <>
      {uploads.length > 0 ? (
        // The stages change several times a second: read them when asked, never announce each one.
        <ul className="src-uploads" aria-label="Files being added" aria-live="off">
          {uploads.map((upload) => (
            <UploadRow key={upload.uploadId} upload={upload} />
          ))}
        </ul>
      ) : null}
      {problems.length > 0 ? (
        <ul className="src-problems" aria-label="What happened to your files">
          {problems.map((problem) => (
            <li
              key={problem.id}
              className={problem.tone === 'error' ? 'src-problem src-problem-error' : 'src-problem'}
            >
              <p role={problem.tone === 'error' ? 'alert' : 'status'} className="src-problem-text">
                {problem.message}
              </p>
              <button
                type="button"
                className="button button-small button-quiet"
                // Several files can have a message at once: each button says whose it dismisses.
                aria-label={`Dismiss the message about ${problem.fileName}`}
                onClick={(event) => {
                  keepFocusNear(event.currentTarget);
                  dismiss(problem.id);
                }}
              >
                Dismiss
              </button>
            </li>
          ))}
        </ul>
      ) : null}
    </>
  );
}
