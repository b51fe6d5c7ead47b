/** Sync of a space between the person's computers. */
import type { syncCalls } from '../../../shared/contract/sync';
import type { HandlersFor, WorkspaceServices } from './services';

export const syncHandlers = ({ sync }: WorkspaceServices): HandlersFor<typeof syncCalls> => ({
  setUpSync: (input) => sync.setUp(input),
  joinSync: (input) => sync.join(input),
  getSyncStatus: async ({ spaceId }) => sync.status(spaceId),
  listSync: async () => sync.list(),
  pauseSync: ({ spaceId, paused }) => sync.pause(spaceId, paused),
  leaveSync: ({ spaceId }) => sync.leave(spaceId),
  dismissSyncConflict: ({ spaceId, at, what }) => sync.dismissConflict(spaceId, at, what),
});
