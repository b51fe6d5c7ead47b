import type { PullProgress } from '../../../../shared/domain';
import { useKeel } from '../../store/KeelStoreProvider';
import { displayModelName, formatBytes, formatSpeed, formatTimeLeft, pullStatusText } from './modelFormat';

/** The figures under the bar: "1.2 GB of 2.5 GB · 35 MB/s · about 2 min left". */
function pullFigures(progress: PullProgress): string[] {
  const figures: string[] = [];
  if (progress.totalBytes > 0) {
    figures.push(`${formatBytes(progress.completedBytes)} of ${formatBytes(progress.totalBytes)}`);
  }
  if (progress.bytesPerSecond !== undefined && progress.bytesPerSecond > 0) {
    figures.push(formatSpeed(progress.bytesPerSecond));
  }
  if (progress.secondsLeft !== undefined) figures.push(formatTimeLeft(progress.secondsLeft));
  return figures;
}

/** Under a download: its figures, if any, and the one thing to do about it (cancel, retry, resume). */
function PullFoot({
  figures,
  action,
  onAction,
}: {
  figures: string | null;
  action: string;
  onAction: () => void;
}) {
  return (
    <div className="pull-foot">
      {figures === null ? null : <span className="pull-figures">{figures}</span>}
      <button type="button" className="button button-small" onClick={onAction}>
        {action}
      </button>
    </div>
  );
}

interface PullProgressBarProps {
  model: string;
  /** Names the model above the bar (where several downloads are listed). */
  showName?: boolean;
}

/**
 * One model download, wherever it was started from: the bar with Ollama's own status line, bytes,
 * speed and time left, and the way to cancel it; when it failed, why and how to try again; when it
 * is done, that it is. Shows nothing for a model that is not being downloaded.
 */
export function PullProgressBar({ model, showName = false }: PullProgressBarProps) {
  const progress = useKeel((state) => state.pulls[model]);
  const pullModel = useKeel((state) => state.pullModel);
  const cancelPull = useKeel((state) => state.cancelPull);
  const downloadModel = useKeel((state) => state.downloadModel);
  const cancelModelDownload = useKeel((state) => state.cancelModelDownload);
  const catalogName = useKeel(
    (state) => state.modelCatalog?.models.find((entry) => entry.id === model)?.name,
  );
  if (!progress) return null;
  // A built-in model's download is the engine's own, not Ollama's: retry and cancel go there.
  const builtin = progress.runtime === 'builtin';
  const retry = () => void (builtin ? downloadModel(model) : pullModel(model));
  const cancel = () => void (builtin ? cancelModelDownload(model) : cancelPull(model));
  const name = catalogName ?? displayModelName(model);
  const heading = showName ? <strong className="pull-model">{name}</strong> : null;

  const content = () => {
    switch (progress.state) {
      case 'pulling': {
        const percent = progress.percent === undefined ? undefined : Math.floor(progress.percent);
        return (
          <>
            <div className="pull-head">
              {heading}
              <span className="pull-status">{pullStatusText(progress.status) || 'Starting…'}</span>
              {percent !== undefined ? <span className="pull-percent">{percent}%</span> : null}
            </div>
            <progress
              className="pull-bar"
              aria-label={`Downloading ${name}`}
              max={100}
              {...(percent !== undefined
                ? { value: progress.percent, 'aria-valuenow': percent, 'aria-valuetext': `${percent}%` }
                : {})}
            />
            <PullFoot
              figures={pullFigures(progress).join(' · ')}
              action="Cancel download"
              onAction={cancel}
            />
          </>
        );
      }
      case 'done':
        return (
          <p className="pull-head">
            {heading}
            <span className="pull-done-text">
              <span className="check-mark" aria-hidden="true" />
              Downloaded
            </span>
            {progress.totalBytes > 0 ? (
              <span className="pull-figures">{formatBytes(progress.totalBytes)}</span>
            ) : null}
          </p>
        );
      case 'failed':
        return (
          <>
            {heading ? <p className="pull-head">{heading}</p> : null}
            <p className="pull-error" role="alert">
              {progress.error?.message ?? `The download of ${name} stopped: ${progress.status}.`}
            </p>
            <PullFoot
              figures={
                progress.completedBytes > 0
                  ? `${formatBytes(progress.completedBytes)} of ${formatBytes(progress.totalBytes)} kept`
                  : null
              }
              action="Retry download"
              onAction={retry}
            />
          </>
        );
      case 'cancelled':
        return (
          <>
            <p className="pull-head">
              {heading}
              <span className="pull-status">Download cancelled. What was downloaded is kept.</span>
            </p>
            <PullFoot
              figures={
                progress.totalBytes > 0
                  ? `${formatBytes(progress.completedBytes)} of ${formatBytes(progress.totalBytes)}`
                  : null
              }
              action="Resume download"
              onAction={retry}
            />
          </>
        );
      default: {
        // Proves every state is handled; a state this workspace does not know yet shows nothing.
        const unknownState: never = progress.state;
        void unknownState;
        return null;
      }
    }
  };
  const shown = content();
  if (shown === null) return null;
  return (
    // While it downloads the figures change several times a second: read them when asked, never
    // announce each one.
    <div
      className={`pull pull-${progress.state}`}
      aria-live={progress.state === 'pulling' ? 'off' : undefined}
    >
      {shown}
    </div>
  );
}
