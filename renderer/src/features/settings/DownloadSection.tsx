import { useId, useState, type FormEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { limits } from '../../../../shared/contract';
import type { KeelErrorInfo } from '../../../../shared/errors';
import { useKeel } from '../../store/KeelStoreProvider';
import { FieldBox } from '../common/FieldBox';
import { FormError } from '../common/FormError';
import { sameModel } from '../models/modelFormat';
import { PullProgressBar } from '../models/PullProgressBar';
import { SettingsSection } from '../common/SettingsSectionHead';

/** Models worth a first download, each with why. */
const suggestions = [
  { model: 'llama3.2', label: 'llama3.2 (2 GB, good default)' },
  { model: 'qwen3:4b', label: 'qwen3:4b (2.5 GB, thinks before answering)' },
  { model: 'nomic-embed-text', label: 'nomic-embed-text (270 MB, for memory search)' },
] as const;

/** Downloads a model into Ollama by name or with one click, and lists the downloads under way. */
export function DownloadSection() {
  const hintId = useId();
  const [name, setName] = useState('');
  const [error, setError] = useState<KeelErrorInfo | string | null>(null);
  const pullModel = useKeel((state) => state.pullModel);
  const dismissPull = useKeel((state) => state.dismissPull);
  const downloads = useKeel(useShallow((state) => Object.values(state.pulls)));
  const installed = useKeel(useShallow((state) => (state.models ?? []).map((model) => model.name)));

  const start = async (model: string) => {
    setError(null);
    const refused = await pullModel(model);
    if (refused) setError(refused);
    return refused === null;
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const model = name.trim();
    if (model === '') {
      setError('Type the name of a model, for example llama3.2.');
      return;
    }
    if (await start(model)) setName('');
  };

  return (
    <SettingsSection id="settings-download-title" title="Download a model">
      <p className="settings-intro">
        Ollama downloads models from ollama.com/library. You can keep working meanwhile; an interrupted
        download resumes where it stopped.
      </p>
      <form className="download-form" noValidate onSubmit={(event) => void submit(event)}>
        <FieldBox
          field={{
            label: 'Model name',
            value: name,
            onChange: setName,
            fieldClassName: 'field download-field',
            children: (
              <p id={hintId} className="field-hint">
                The name as ollama.com/library writes it; add a size after a colon, like qwen3:4b.
              </p>
            ),
          }}
          control={(bound) => (
            <div className="download-row">
              <input
                type="text"
                {...bound}
                maxLength={limits.modelName}
                autoComplete="off"
                spellCheck={false}
                placeholder="e.g. llama3.2, qwen3:4b, nomic-embed-text"
                aria-describedby={hintId}
              />
              <button type="submit" className="button button-primary">
                Download
              </button>
            </div>
          )}
        />
        <FormError error={error} />
      </form>

      <div className="suggestions" role="group" aria-label="Suggested models">
        <span className="suggestions-label" aria-hidden="true">
          Suggested
        </span>
        {suggestions.map((suggestion) => {
          const isInstalled = installed.some((model) => sameModel(model, suggestion.model));
          return (
            <span key={suggestion.model} className="suggestion">
              <button
                type="button"
                className="button button-small"
                onClick={() => void start(suggestion.model)}
              >
                {suggestion.label}
              </button>
              {isInstalled ? <span className="suggestion-installed">Installed</span> : null}
            </span>
          );
        })}
      </div>

      {downloads.length > 0 ? (
        <div className="downloads">
          <h3 className="downloads-title">Downloads</h3>
          <ul className="download-list">
            {downloads.map((download) => (
              <li key={download.model} className="download-item">
                <PullProgressBar model={download.model} showName />
                {download.state !== 'pulling' ? (
                  <button
                    type="button"
                    className="link-button download-clear"
                    aria-label={`Clear ${download.model} from the list`}
                    onClick={() => dismissPull(download.model)}
                  >
                    Clear
                  </button>
                ) : null}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </SettingsSection>
  );
}
