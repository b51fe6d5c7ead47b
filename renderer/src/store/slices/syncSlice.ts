import type { CallInput, KeelApi } from '../../../../shared/contract';
import type { SyncStatus } from '../../../../shared/domain';
import type { KeelErrorInfo, Result } from '../../../../shared/errors';
import { settle } from '../settle';
import type { KeelSliceCreator } from '../keelState';

export interface SyncSlice {
  /** Each space's sync as last heard (live from the engine's `sync.status` events). */
  syncStatuses: Record<string, SyncStatus>;
  loadSyncStatus(spaceId: string): Promise<KeelErrorInfo | null>;
  /** Every space that syncs, with its server. */
  listSync(): Promise<Result<SyncStatus[]>>;
  setUpSync(input: CallInput<'setUpSync'>): Promise<Result<SyncStatus>>;
  joinSync(input: CallInput<'joinSync'>): Promise<Result<SyncStatus>>;
  pauseSync(spaceId: string, paused: boolean): Promise<Result<SyncStatus>>;
  leaveSync(spaceId: string): Promise<Result<SyncStatus>>;
  dismissSyncConflict(input: CallInput<'dismissSyncConflict'>): Promise<Result<SyncStatus>>;
  /** A space's sync moved on: its status, and loops another computer changed are shown again. */
  applySyncStatus(status: SyncStatus, loopIds: readonly string[]): Promise<void>;
}

declare module '../keelState' {
  interface KeelSlices {
    sync: SyncSlice;
  }
}

/**
 * No space's sync known yet. There is no reset: the statuses stay when the workspace locks, and
 * each next status the engine sends replaces its space's.
 */
export const initialSyncState: Pick<SyncSlice, 'syncStatuses'> = { syncStatuses: {} };

/** Sync of a space with the person's other computers, through their own server. */
export function createSyncSlice(api: KeelApi): KeelSliceCreator<SyncSlice> {
  return (set, get) => {
    const keep = (status: SyncStatus) =>
      set((state) => ({ syncStatuses: { ...state.syncStatuses, [status.spaceId]: status } }));
    const kept = async (call: () => Promise<Result<SyncStatus>>) => {
      const result = await settle(call);
      if (result.ok) keep(result.value);
      return result;
    };
    return {
      ...initialSyncState,
      loadSyncStatus: async (spaceId) => {
        const result = await settle(() => api.getSyncStatus({ spaceId }));
        if (!result.ok) return result.error;
        keep(result.value);
        return null;
      },
      listSync: () => settle(() => api.listSync({})),
      setUpSync: (input) => kept(() => api.setUpSync(input)),
      joinSync: async (input) => {
        const result = await kept(() => api.joinSync(input));
        if (result.ok) await Promise.all([get().loadSpaces(), get().loadLoops()]);
        return result;
      },
      pauseSync: (spaceId, paused) => kept(() => api.pauseSync({ spaceId, paused })),
      leaveSync: (spaceId) => kept(() => api.leaveSync({ spaceId })),
      dismissSyncConflict: (input) => kept(() => api.dismissSyncConflict(input)),
      applySyncStatus: async (status, loopIds) => {
        keep(status);
        if (loopIds.length === 0) return;
        await Promise.all([get().loadSpaces(), get().loadLoops()]);
        const open = get().openLoop;
        if (open && loopIds.includes(open.id)) {
          const result = await settle(() => api.getLoop({ loopId: open.id }));
          if (result.ok && get().openLoop?.id === open.id) get().applyLoop(result.value);
        }
      },
    };
  };
}
