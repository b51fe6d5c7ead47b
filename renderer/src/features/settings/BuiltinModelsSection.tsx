import { useEffect, useId, useState, type FormEvent } from 'react';
import type { CatalogModel, CatalogModelKind } from '../../../../shared/domain';
import type { KeelErrorInfo } from '../../../../shared/errors';
import { useKeel } from '../../store/KeelStoreProvider';
import { errorHeading } from '../common/errorHeading';
import { FormError } from '../common/FormError';
import { PullProgressBar } from '../models/PullProgressBar';
import { formatBytes, formatMemory, formatTokens, typicalDownloadTime } from '../models/modelFormat';
import { SettingsSection } from '../common/SettingsSectionHead';

const kindLabels: Record<CatalogModelKind, string> = {
  chat: 'Chat',
  thinking: 'Thinking',
  embedding: 'Embeddings',
};

function CatalogItem({ model, recommended }: { model: CatalogModel; recommended: boolean }) {
  const progress = useKeel((state) => state.pulls[model.id]);
  const downloadModel = useKeel((state) => state.downloadModel);
  const titleId = useId();
  return (
    <li className="catalog-item" aria-labelledby={titleId}>
      <div className="catalog-item-head">
        <strong id={titleId} className="catalog-name">
          {model.name}
        </strong>
        <ul className="badges" aria-label="About this model">
          <li className={`badge badge-${kindLabels[model.kind].toLowerCase()}`}>{kindLabels[model.kind]}</li>
          {recommended ? <li className="badge badge-recommended">Recommended</li> : null}
        </ul>
      </div>
      <p className="catalog-facts">
        {formatBytes(model.bytes)} ({typicalDownloadTime(model.bytes)}) · needs about{' '}
        {formatMemory(model.memoryBytes)} of memory · {formatTokens(model.contextLength)} context ·{' '}
        {model.license}
      </p>
      {model.installed && progress?.state !== 'pulling' ? (
        <p className="catalog-installed">
          <span className="check-mark" aria-hidden="true" />
          Installed
        </p>
      ) : progress ? (
        <PullProgressBar model={model.id} />
      ) : (
        <button
          type="button"
          className="button button-small"
          aria-label={`Download ${model.name}`}
          onClick={() => void downloadModel(model.id)}
        >
          Download
        </button>
      )}
    </li>
  );
}

/** A path typed in (both shells), or the system's open dialog (the desktop window). */
function UseFileForm() {
  const inputId = useId();
  const hintId = useId();
  const [path, setPath] = useState('');
  const [error, setError] = useState<KeelErrorInfo | string | null>(null);
  const [added, setAdded] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const addModelFile = useKeel((state) => state.addModelFile);
  const chooseModelFile = useKeel((state) => state.chooseModelFile);
  const desktop = useKeel((state) => state.appInfo?.shell === 'desktop');

  const settleAdded = (result: Awaited<ReturnType<typeof addModelFile>> | null) => {
    if (result === null) return;
    if ('error' in result) {
      setError(result.error);
      return;
    }
    setPath('');
    setAdded(`Keel now lists ${result.added} with its models. The file stays where it is.`);
  };

  const choose = async () => {
    setAdded(null);
    setError(null);
    setBusy(true);
    settleAdded(await chooseModelFile());
    setBusy(false);
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    setAdded(null);
    const trimmed = path.trim();
    if (trimmed === '') {
      setError('Type the full path of a .gguf file on this computer.');
      return;
    }
    setError(null);
    setBusy(true);
    const result = await addModelFile(trimmed);
    setBusy(false);
    settleAdded(result);
  };

  return (
    <form className="download-form" noValidate onSubmit={(event) => void submit(event)}>
      <div className="field download-field">
        <label htmlFor={inputId}>Use a model file you already have</label>
        <div className="download-row">
          <input
            id={inputId}
            type="text"
            value={path}
            maxLength={4096}
            autoComplete="off"
            spellCheck={false}
            placeholder="/path/to/model.gguf"
            aria-describedby={hintId}
            onChange={(event) => setPath(event.target.value)}
          />
          <button type="submit" className="button" aria-disabled={busy}>
            Use file
          </button>
          {desktop ? (
            <button type="button" className="button" aria-disabled={busy} onClick={() => void choose()}>
              Choose a file…
            </button>
          ) : null}
        </div>
        <p id={hintId} className="field-hint">
          The full path of a GGUF file on this computer. Keel checks that it is a model before taking it.
        </p>
      </div>
      <FormError error={error} />
      {added ? (
        <p className="catalog-added" role="status">
          {added}
        </p>
      ) : null}
    </form>
  );
}

/** The models Keel's built-in runtime can download, the one that fits this computer, and a file of one's own. */
export function BuiltinModelsSection() {
  const catalog = useKeel((state) => state.modelCatalog);
  const catalogError = useKeel((state) => state.modelCatalogError);
  const loadModelCatalog = useKeel((state) => state.loadModelCatalog);

  useEffect(() => {
    void loadModelCatalog();
  }, [loadModelCatalog]);

  const recommended = catalog?.models.find((model) => model.id === catalog.recommended.chat);

  return (
    <SettingsSection id="settings-builtin-title" title="Models Keel runs itself">
      <p className="settings-intro">
        Without Ollama, Keel runs models with its own built-in runtime. Each download is checked against its
        published checksum before Keel uses it, and an interrupted one resumes where it stopped.
      </p>
      {catalogError ? (
        <div className="settings-problem" role="alert">
          <strong>{errorHeading(catalogError.code)}.</strong> {catalogError.message}
        </div>
      ) : catalog === null ? (
        <p className="muted">Looking at what this computer can run…</p>
      ) : (
        <>
          {recommended ? (
            <p className="catalog-recommendation">
              For this computer ({formatMemory(catalog.memoryBytes)} of memory,{' '}
              {catalog.gpu ? `graphics: ${catalog.gpu}` : 'no graphics processor found'}):{' '}
              <strong>{recommended.name}</strong>. {catalog.recommended.reason}
            </p>
          ) : null}
          <ul className="catalog-list" aria-label="Models to download">
            {catalog.models.map((model) => (
              <CatalogItem key={model.id} model={model} recommended={model.id === catalog.recommended.chat} />
            ))}
          </ul>
        </>
      )}
      <UseFileForm />
    </SettingsSection>
  );
}
