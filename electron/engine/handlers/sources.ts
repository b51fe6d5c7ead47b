/** Sources (the person's documents) and search across everything. */
import type { sourcesCalls } from '../../../shared/contract/sources';
import type { HandlersFor, WorkspaceServices } from './services';

export const sourceHandlers = ({ sources, search }: WorkspaceServices): HandlersFor<typeof sourcesCalls> => ({
  addSource: (input) => sources.add(input),
  listSources: (input) => sources.list(input),
  readSource: ({ sourceId }) => sources.read(sourceId),
  getSourceFile: ({ sourceId }) => sources.file(sourceId),
  renameSource: (input) => sources.rename(input),
  removeSource: ({ sourceId }) => search.removeSource(sourceId),
  setSourceInLoop: (input) => sources.setInLoop(input),
  search: (input) => search.search(input),
});
