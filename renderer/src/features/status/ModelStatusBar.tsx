import { useEffect } from 'react';
import type { ModelConnection, ModelStatus } from '../../../../shared/domain';
import { missingCase } from '../../../../shared/errors';
import { useKeel, useKeelFields } from '../../store/KeelStoreProvider';
import type { SettingsSection } from '../../store/slices/uiSlice';
import { TextWithCode } from '../common/TextWithCode';
import { ModelPull } from '../models/ModelPull';
import { displayModelName } from '../models/modelFormat';

function problemTitle(connection: Exclude<ModelConnection, 'connected'>): string {
  switch (connection) {
    case 'not-running':
      return 'Ollama is not running';
    case 'unreachable':
      return 'Ollama cannot be reached';
    case 'no-models':
      return 'No chat model installed yet';
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

/** The Settings button a problem banner offers, when Settings is where the fix is. */
function settingsFix(status: ModelStatus): { label: string; section: SettingsSection } | undefined {
  // The built-in runtime's models come from its catalog (or a file on disk), not from an Ollama pull.
  if (
    status.runtime === 'builtin' &&
    (status.connection === 'no-models' || status.connection === 'model-missing')
  )
    return { label: 'Download a model', section: 'builtin-models' };
  if (status.connection === 'model-missing') return { label: 'Pick another model', section: 'models' };
  const hostFix = { label: 'Change the model host', section: 'host' } as const;
  if (status.connection === 'remote-not-allowed') return hostFix;
  if (status.connection === 'unreachable' && status.hostSource === 'settings') return hostFix;
  // No Ollama at all: Keel can run a model itself instead of the person installing anything.
  if (status.connection === 'not-running' || status.connection === 'unreachable')
    return { label: 'Use a model Keel runs itself', section: 'builtin-models' };
  return undefined;
}

/**
 * The models in use, saying which ones Keel picked while the person has chosen none (the reasons
 * are in Settings, beside "Automatic"), with the way to choose.
 */
function ModelsInUse({ status }: { status: ModelStatus }) {
  const openSettings = useKeel((state) => state.openSettings);
  const picked = status.chatModelPicked !== undefined || status.embeddingModelPicked !== undefined;
  const chat = `${displayModelName(status.chatModel)}${status.chatModelPicked ? ' (picked by Keel)' : ''}`;
  const search = status.embeddingModel
    ? `search: ${displayModelName(status.embeddingModel)}${status.embeddingModelPicked ? ' (picked by Keel)' : ''}`
    : null;
  return (
    <>
      {[
        chat,
        status.runtime === 'builtin'
          ? 'built into Keel'
          : status.version
            ? `Ollama ${status.version}`
            : 'Ollama',
        search,
      ]
        .filter((part): part is string => part !== null)
        .map((part) => ` · ${part}`)
        .join('')}
      {picked ? (
        <>
          {' '}
          <button type="button" className="link-button" onClick={() => openSettings('models')}>
            Choose models
          </button>
        </>
      ) : null}
    </>
  );
}

/** A model loading into memory, with a seconds counter; or, calmly, why it could not be loaded. */
function WarmupNote({ quietFailure }: { quietFailure: boolean }) {
  const warmup = useKeel((state) => state.modelWarmup);
  const seconds = useKeel((state) => state.warmupSeconds);
  if (warmup?.state === 'loading') {
    return (
      <span className="model-note model-warmup">
        <span className="spinner" aria-hidden="true" />
        Loading {displayModelName(warmup.model)}…{' '}
        {/* The counter ticks every second: shown, but not announced each time. */}
        <span className="model-warmup-seconds" aria-hidden="true">
          {seconds} s
        </span>
      </span>
    );
  }
  if (warmup?.state === 'failed' && !quietFailure) {
    return (
      <span className="model-note model-warmup-failed">
        {displayModelName(warmup.model)} could not be loaded{warmup.message ? `: ${warmup.message}` : '.'}
      </span>
    );
  }
  return null;
}

/**
 * The connection to the local model, always in view: one quiet line when all is well, a banner
 * with the exact next step when it is not.
 */
export function ModelStatusBar() {
  const {
    modelStatus: status,
    modelCheckError: checkError,
    checkingModel: checking,
  } = useKeelFields('modelStatus', 'modelCheckError', 'checkingModel');
  const { appInfo, checkModel, openSettings, loadModelCatalog } = useKeelFields(
    'appInfo',
    'checkModel',
    'openSettings',
    'loadModelCatalog',
  );
  const allowRemoteHost = useKeel((state) => state.settings?.allowRemoteHost ?? false);
  // Keel can run a model itself when its catalog has one for this computer.
  // (A person who chose Ollama in Settings gets Ollama's advice first, as before.)
  const builtinOffered = useKeel((state) => {
    const catalog = state.modelCatalog;
    return (
      state.settings?.runtime !== 'ollama' &&
      (catalog?.models.some((model) => model.id === catalog.recommended.chat) ?? false)
    );
  });
  const noOllama = status?.connection === 'not-running' || status?.connection === 'unreachable';

  useEffect(() => {
    if (noOllama) void loadModelCatalog();
  }, [noOllama, loadModelCatalog]);

  // Prompts leave the machine only for a remote host the person allowed: a refused one gets nothing.
  const promptsLeave = status
    ? !status.hostIsLocal && status.connection !== 'remote-not-allowed'
    : appInfo?.hostIsLocal === false && allowRemoteHost;
  const remoteMarker = promptsLeave ? (
    <span
      className="remote-marker"
      title={`Model host: ${status?.host ?? appInfo?.ollamaHost ?? ''}. Change it in Settings.`}
    >
      Remote model host: prompts leave this machine
    </span>
  ) : null;

  let tone: 'ok' | 'problem' | 'pending';
  let body;
  let pullTarget: string | undefined;
  let fix: ReturnType<typeof settingsFix>;
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
        Connected
        <ModelsInUse status={status} />
      </span>
    );
  } else {
    tone = 'problem';
    pullTarget = modelToPull(status);
    fix = settingsFix(status);
    const fixSection = fix?.section;
    const title = problemTitle(status.connection);
    // No Ollama, and none needed: the built-in model comes first (the first screen offers it), and
    // how to start or install Ollama waits behind "Prefer Ollama?" for those who want it.
    const builtinFirst = builtinOffered && fix?.section === 'builtin-models' ? fix : undefined;
    body = builtinFirst ? (
      <div className="model-problem">
        <strong className="model-problem-title">No model yet</strong>
        <p className="model-advice">Keel can run a model itself, with nothing else to install.</p>
        <div className="model-fixes">
          <button type="button" className="button button-small" onClick={() => openSettings(fixSection)}>
            {builtinFirst.label}
          </button>
        </div>
        <details className="model-ollama-advice">
          <summary>Prefer Ollama?</summary>
          <p>
            <TextWithCode text={status.advice} />
          </p>
        </details>
      </div>
    ) : (
      <div className="model-problem">
        {/* The engine's advice often opens with the same words: then they are not said twice. */}
        {status.advice.startsWith(title) ? null : <strong className="model-problem-title">{title}</strong>}
        <p className="model-advice">
          <TextWithCode text={status.advice} />
        </p>
        {pullTarget || fix ? (
          <div className="model-fixes">
            {pullTarget ? <ModelPull model={pullTarget} /> : null}
            {fix ? (
              <button type="button" className="button button-small" onClick={() => openSettings(fixSection)}>
                {fix.label}
              </button>
            ) : null}
          </div>
        ) : null}
      </div>
    );
  }

  return (
    <div role="status" aria-label="Model connection" className={`model-status model-status-${tone}`}>
      {body}
      <div className="model-status-side">
        {remoteMarker}
        <WarmupNote quietFailure={tone === 'problem'} />
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
