import type { ModelInfo } from '../../../../shared/domain';
import { useKeelFields } from '../../store/KeelStoreProvider';
import { errorHeading } from '../common/errorHeading';
import { DataTable } from '../common/DataTable';
import { displayModelName, formatBytes, formatTokens, sameModel } from '../models/modelFormat';
import { ModelSelect } from './ModelSelect';
import type { ModelUse } from './modelOptions';
import { modelRoles } from './modelRoles';

const modelHints: Record<ModelUse, string> = {
  chat: 'Writes the AI’s moves in every space that has no model of its own.',
  embed: 'Turns text into numbers so Keel can find related memories.',
};

function Badges({ model }: { model: ModelInfo }) {
  const badges: string[] = [];
  if (model.canChat) badges.push('Chat');
  if (model.canEmbed) badges.push('Embeddings');
  if (model.capabilities.includes('thinking')) badges.push('Thinking');
  if (badges.length === 0) return <span className="muted">Not reported</span>;
  return (
    <ul className="badges">
      {badges.map((badge) => (
        <li key={badge} className={`badge badge-${badge.toLowerCase()}`}>
          {badge}
        </li>
      ))}
    </ul>
  );
}

/** The installed models, and which of them Keel writes with and searches memory with. */
const modelColumns = ['Name', 'Size', 'Family', 'Parameters', 'Quantization', 'Can do', 'Context'].map(
  (label) => ({ label }),
);

export function ModelsSection() {
  const { models, modelsError, loadingModels, loadModels } = useKeelFields(
    'models',
    'modelsError',
    'loadingModels',
    'loadModels',
  );
  const {
    settings,
    saveSettings,
    modelStatus: status,
    checkModel,
  } = useKeelFields('settings', 'saveSettings', 'modelStatus', 'checkModel');
  // The models in use: the person's choices, or the ones Keel picked from what is installed.
  const chatInUse = settings?.chatModel || status?.chatModel || '';
  const embeddingInUse = settings?.embeddingModel || status?.embeddingModel || '';
  const automatic = (picked: string | undefined, name: string | undefined) =>
    picked && name ? `Automatic: ${displayModelName(name)} (${picked})` : 'Automatic: an installed model';

  const refresh = () => {
    void loadModels();
    void checkModel();
  };

  return (
    <section className="settings-section" aria-labelledby="settings-models-title">
      <div className="settings-section-head">
        <h2 id="settings-models-title" tabIndex={-1}>
          Models
        </h2>
        <button
          type="button"
          className="button button-small"
          aria-disabled={loadingModels}
          onClick={() => {
            if (!loadingModels) refresh();
          }}
        >
          Refresh
        </button>
      </div>
      <p className="settings-intro">
        The models Ollama has on this computer. A chat model writes the AI’s moves; an embedding model lets
        Keel search your memory.
      </p>

      {settings ? (
        <div className="settings-fields">
          {modelRoles.map(({ use, setting, label }) => (
            <ModelSelect
              key={use}
              label={label}
              use={use}
              models={models}
              value={settings[setting]}
              emptyOption={automatic(status?.[`${setting}Picked`], status?.[setting])}
              hint={modelHints[use]}
              onSave={(model) => saveSettings({ [setting]: model })}
            />
          ))}
        </div>
      ) : null}

      {modelsError ? (
        <div className="settings-problem" role="alert">
          <strong>{errorHeading(modelsError.code)}.</strong> {modelsError.message}
        </div>
      ) : models === null ? (
        <p className="muted">Looking for your models…</p>
      ) : models.length === 0 ? (
        <p className="settings-empty">
          No models installed yet. Download one below: llama3.2 is a good start.
        </p>
      ) : (
        <DataTable
          label="Installed models"
          scrollLabel="Installed models table"
          className="data-table models-table"
          columns={modelColumns}
        >
          {models.map((model) => {
            const inUse = [
              chatInUse && sameModel(model.name, chatInUse) ? 'chat model' : null,
              embeddingInUse && sameModel(model.name, embeddingInUse) ? 'embedding model' : null,
            ].filter((use): use is string => use !== null);
            return (
              <tr key={model.name}>
                <th scope="row" className="model-name-cell">
                  <span className="model-name">{displayModelName(model.name)}</span>
                  {inUse.length > 0 ? (
                    <span className="model-in-use">In use as {inUse.join(' and ')}</span>
                  ) : null}
                </th>
                <td className="numeric">{formatBytes(model.size)}</td>
                <td>{model.family || '–'}</td>
                <td>{model.parameterSize || '–'}</td>
                <td>{model.quantization || '–'}</td>
                <td>
                  <Badges model={model} />
                </td>
                <td className="numeric">
                  {model.contextLength ? `${formatTokens(model.contextLength)} tokens` : '–'}
                </td>
              </tr>
            );
          })}
        </DataTable>
      )}
    </section>
  );
}
