import { useShallow } from 'zustand/react/shallow';
import type { ModelConnection, ModelStatus, PullProgress } from '../../../../shared/domain';
import { missingCase } from '../../../../shared/errors';
import { useKeel } from '../../store/KeelStoreProvider';
import { TextWithCode } from '../common/TextWithCode';

function problemTitle(connection: Exclude<ModelConnection, 'connected'>): string {
  switch (connection) {
    case 'not-running':
      return 'Ollama is not running';
    case 'unreachable':
      return 'Ollama cannot be reached';
    case 'no-models':
      return 'No model installed yet';
    case 'model-missing':
      return 'The chosen model is not installed';
    case 'remote-not-allowed':
      return 'The model host is another machine';
    default:
      return missingCase(connection);
  }
}

/** The model a one-click download would fetch, when one would fix the problem. */
function modelToPull(status: ModelStatus): string | undefined {
  if (status.connection !== 'no-models' && status.connection !== 'model-missing') return undefined;
  return status.recommendedModel;
}

function describePull(progress: PullProgress): string {
  const parts = [`Downloading ${progress.model}`];
  if (progress.percent !== undefined) parts.push(`${Math.floor(progress.percent)}%`);
  if (progress.secondsLeft !== undefined) {
    parts.push(
      progress.secondsLeft < 60
        ? 'under a minute left'
        : `about ${Math.round(progress.secondsLeft / 60)} min left`,
    );
  }
  return parts.join(' · ');
}

/** A download's progress and the way to stop it, or the button that starts it. */
function ModelPull({ model }: { model: string }) {
  const progress = useKeel((state) => state.pulls[model]);
  const pullModel = useKeel((state) => state.pullModel);
  const cancelPull = useKeel((state) => state.cancelPull);

  if (progress?.state === 'pulling') {
    return (
      <div className="model-pull">
        <progress
          className="model-pull-bar"
          aria-label={`Downloading ${model}`}
          max={100}
          {...(progress.percent !== undefined ? { value: progress.percent } : {})}
        />
        <span className="model-pull-text">{describePull(progress)}</span>
        <button type="button" className="button button-small" onClick={() => void cancelPull(model)}>
          Cancel download
        </button>
      </div>
    );
  }
  return (
    <div className="model-pull">
      <button
        type="button"
        className="button button-small button-primary"
        onClick={() => void pullModel(model)}
      >
        Pull {model}
      </button>
      {progress?.state === 'failed' ? (
        <span className="model-pull-text">
          The download stopped: {progress.error?.message ?? progress.status}. Pulling again resumes it.
        </span>
      ) : null}
      {progress?.state === 'cancelled' ? (
        <span className="model-pull-text">Download cancelled. Pulling again resumes it.</span>
      ) : null}
    </div>
  );
}

/**
 * The connection to the local model, always in view: one quiet line when all is well, a banner
 * with the exact next step when it is not.
 */
export function ModelStatusBar() {
  const { status, checkError, checking, warmup } = useKeel(
    useShallow((state) => ({
      status: state.modelStatus,
      checkError: state.modelCheckError,
      checking: state.checkingModel,
      warmup: state.modelWarmup,
    })),
  );
  const appHostIsLocal = useKeel((state) => state.appInfo?.hostIsLocal);
  const checkModel = useKeel((state) => state.checkModel);
  const hostIsLocal = status?.hostIsLocal ?? appHostIsLocal ?? true;

  const remoteMarker = hostIsLocal ? null : (
    <span className="remote-marker" title={status ? `Model host: ${status.host}` : undefined}>
      Remote model host: prompts leave this machine
    </span>
  );
  const warmupNote =
    warmup?.state === 'loading' ? (
      <span className="model-note">Loading {warmup.model} into memory…</span>
    ) : warmup?.state === 'failed' ? (
      <span className="model-note">
        {warmup.model} could not be loaded{warmup.message ? `: ${warmup.message}` : '.'}
      </span>
    ) : null;

  let tone: 'ok' | 'problem' | 'pending';
  let body;
  let pullTarget: string | undefined;
  if (checkError) {
    tone = 'problem';
    body = (
      <div className="model-problem">
        <strong className="model-problem-title">No answer from Keel’s engine</strong>
        <p className="model-advice">{checkError.message}</p>
      </div>
    );
  } else if (!status) {
    tone = 'pending';
    body = <span className="model-line">Checking the model connection…</span>;
  } else if (status.connection === 'connected') {
    tone = 'ok';
    body = (
      <span className="model-line">
        <span className="status-dot" aria-hidden="true" />
        {['Connected', status.chatModel, status.version ? `Ollama ${status.version}` : 'Ollama'].join(' · ')}
      </span>
    );
  } else {
    tone = 'problem';
    pullTarget = modelToPull(status);
    const title = problemTitle(status.connection);
    body = (
      <div className="model-problem">
        {/* The engine's advice often opens with the same words: then they are not said twice. */}
        {status.advice.startsWith(title) ? null : <strong className="model-problem-title">{title}</strong>}
        <p className="model-advice">
          <TextWithCode text={status.advice} />
        </p>
        {pullTarget ? <ModelPull model={pullTarget} /> : null}
      </div>
    );
  }

  return (
    <div role="status" aria-label="Model connection" className={`model-status model-status-${tone}`}>
      {body}
      <div className="model-status-side">
        {remoteMarker}
        {warmupNote}
        {checking ? <span className="model-note">Checking…</span> : null}
        {tone === 'problem' ? (
          <button type="button" className="button button-small" onClick={() => void checkModel()}>
            Retry
          </button>
        ) : null}
      </div>
    </div>
  );
}
