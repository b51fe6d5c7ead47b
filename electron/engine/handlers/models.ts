/** Settings and models: which runtime and models, downloads, warming. */
import type { modelsCalls } from '../../../shared/contract/models';
import type { HandlersFor, WorkspaceServices } from './services';

export const modelHandlers = ({
  settings,
  models,
  pulls,
  modelDownloads,
}: WorkspaceServices): HandlersFor<typeof modelsCalls> => ({
  getSettings: async () => settings.current(),
  updateSettings: (changes) => settings.update(changes),
  getModelStatus: () => settings.modelStatus(),
  listModels: ({ runtime }) => models.listInstalled(runtime),
  useModelFile: ({ path }) => settings.useModelFile(path),
  setSpaceModels: (input) => settings.setSpaceModels(input),
  warmModel: ({ model, spaceId }) => settings.warm(model, spaceId),
  pullModel: async ({ model }) => pulls.start(model),
  cancelPull: ({ model }) => pulls.cancel(model),
  getModelCatalog: () => modelDownloads.catalog(),
  downloadModel: async ({ id }) => modelDownloads.start(id),
  cancelModelDownload: ({ id }) => modelDownloads.cancel(id),
});
