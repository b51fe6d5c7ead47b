import { useEffect, useRef } from 'react';
import { useKeel } from '../../store/KeelStoreProvider';
import { PullProgressBar } from './PullProgressBar';
import { formatBytes, typicalDownloadTime } from './modelFormat';

/**
 * For a person without Ollama: the model that fits this computer, to run inside Keel, with one
 * Download button, its progress, then "ready". With Ollama answering it shows nothing (unless a
 * download was started here), so nothing changes for a person who has it.
 */
export function BuiltinModelOffer() {
  const catalog = useKeel((state) => state.modelCatalog);
  const loadModelCatalog = useKeel((state) => state.loadModelCatalog);
  const downloadModel = useKeel((state) => state.downloadModel);
  const connection = useKeel((state) => state.modelStatus?.connection);
  const builtinRuntime = useKeel((state) => state.modelStatus?.runtime === 'builtin');
  const recommended = catalog?.models.find((model) => model.id === catalog.recommended.chat);
  const progress = useKeel((state) => (recommended ? state.pulls[recommended.id] : undefined));
  const progressRef = useRef<HTMLDivElement>(null);
  const startedHere = useRef(false);

  useEffect(() => {
    void loadModelCatalog();
  }, [loadModelCatalog]);

  // The Download button gives way to the progress bar: focus follows, so it is not lost.
  useEffect(() => {
    if (progress && startedHere.current) {
      startedHere.current = false;
      progressRef.current?.focus();
    }
  }, [progress]);

  const noOllama = !builtinRuntime && (connection === 'not-running' || connection === 'unreachable');
  // The built-in runtime chosen in Settings, with nothing installed for it yet.
  const builtinEmpty = builtinRuntime && connection === 'no-models';
  if (!catalog || !recommended || (!noOllama && !builtinEmpty && !progress)) return null;
  const ready = recommended.installed || progress?.state === 'done';

  const start = () => {
    startedHere.current = true;
    void downloadModel(recommended.id);
  };

  return (
    <section className="builtin-offer" aria-labelledby="builtin-offer-title">
      <h2 id="builtin-offer-title">A model that runs inside Keel</h2>
      <p>
        {builtinRuntime
          ? 'Keel runs models itself here, and has none yet.'
          : 'Ollama is not running on this computer, and you do not need it: Keel can run a model itself.'}{' '}
        This is the one that fits your computer.
      </p>
      <dl className="builtin-offer-facts">
        <dt>Model</dt>
        <dd>{recommended.name}</dd>
        <dt>Download</dt>
        <dd>
          {formatBytes(recommended.bytes)}, {typicalDownloadTime(recommended.bytes)}
        </dd>
        <dt>Why this one</dt>
        <dd>{catalog.recommended.reason}</dd>
      </dl>
      {progress ? (
        <div
          ref={progressRef}
          className="builtin-offer-progress"
          tabIndex={-1}
          role="group"
          aria-label={`Download of ${recommended.name}`}
        >
          <PullProgressBar model={recommended.id} />
        </div>
      ) : ready ? null : (
        <button type="button" className="button button-primary" onClick={start}>
          Download {recommended.name}
        </button>
      )}
      {ready ? (
        <p className="builtin-offer-ready" role="status">
          <span className="check-mark" aria-hidden="true" />
          Ready: {recommended.name} is on this computer. Create a space and ask away.
        </p>
      ) : null}
      <p className="field-hint">
        The file comes from {recommended.host} and is checked against its published checksum before Keel uses
        it; nothing you write is sent there. {recommended.license}. Prefer Ollama? Start it and Keel uses it
        instead.
      </p>
    </section>
  );
}
