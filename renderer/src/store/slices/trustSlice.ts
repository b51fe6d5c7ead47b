/**
 * Trust: whether the engine is open, locked or damaged, the passphrase, the backups, the archive to
 * move to another computer, and the record of every request Keel sent over the network. Every
 * change of the engine's state goes through `applyEngineState` (the lifecycle slice), which loads
 * the workspace when it opens and clears the person's data from the screen when it locks.
 */
import type { BackgroundProblem, BackupInfo, EngineState, OutboundRecord } from '../../../../shared/domain';
import { fail, type KeelErrorInfo, type Result } from '../../../../shared/errors';
import { settle } from '../settle';
import type { KeelApi, KeelSliceCreator } from '../keelState';

/** An exported archive, its bytes in hand. */
export interface ExportedArchive {
  fileName: string;
  blob: Blob;
}

/** A loop whose file could not be read: the loop view offers to restore it from a backup. */
export interface DamagedLoop {
  loopId: string;
  error: KeelErrorInfo;
}

export interface TrustSlice {
  /** The engine's state; null until it first answered. */
  engineState: EngineState | null;
  /** Why the engine's state could not be asked for (the engine is not answering). */
  engineStateError: KeelErrorInfo | null;
  /** The backups, newest first; null until first loaded. */
  backups: BackupInfo[] | null;
  backupsError: KeelErrorInfo | null;
  /** Every request Keel sent over the network this session, newest first; null until loaded. */
  outboundLog: OutboundRecord[] | null;
  outboundLogError: KeelErrorInfo | null;
  /** Recent failures of background work (backups, indexing), newest first; null until loaded. */
  backgroundProblems: BackgroundProblem[] | null;
  backgroundProblemsError: KeelErrorInfo | null;
  /** The loop that could not be opened because its file is damaged. */
  damagedLoop: DamagedLoop | null;
  /** Asks the engine for its state and applies it. */
  refreshEngineState(): Promise<void>;
  unlock(passphrase: string): Promise<Result<EngineState>>;
  /** Saves what the person typed in drafts, then locks: the keys are forgotten. */
  lockNow(): Promise<void>;
  /** Turns encryption on, or (with the current passphrase) changes the passphrase. */
  setPassphrase(passphrase: string, currentPassphrase?: string): Promise<Result<EngineState>>;
  removePassphrase(currentPassphrase: string): Promise<Result<EngineState>>;
  loadBackups(): Promise<void>;
  backupNow(): Promise<Result<BackupInfo>>;
  /** Restores the whole data folder from a backup and loads the workspace again. */
  restoreBackup(backupId: string): Promise<Result<EngineState>>;
  /** Restores one loop's file from the latest backup and opens the loop again. */
  restoreLoop(loopId: string): Promise<Result<EngineState>>;
  loadOutboundLog(): Promise<void>;
  loadBackgroundProblems(): Promise<void>;
  exportArchive(): Promise<Result<ExportedArchive>>;
  /**
   * Sends an archive file to the engine as bytes, then replaces the data folder with it (the current
   * data is backed up first). Encrypted data here needs its passphrase.
   */
  importArchive(file: Blob, currentPassphrase?: string): Promise<Result<EngineState>>;
  /** Takes the imported archive's trust settings, or keeps the current ones. */
  settleImportedSettings(adopt: boolean): Promise<Result<EngineState>>;
  /** Opening a loop found its file damaged. */
  reportDamagedLoop(loopId: string, error: KeelErrorInfo): void;
  /** The damaged loop is no longer on screen (another loop opened, or none). */
  dismissDamagedLoop(): void;
  /** Keeps the engine's state as it said it (`applyEngineState` acts on it). */
  setEngineState(state: EngineState): void;
  /**
   * Forgets the damaged loop it named. The engine's state, the backups and the outbound log stay:
   * they are about the data folder and this machine, not what the person wrote.
   */
  resetTrust(): void;
}

/** No damaged loop reported; `resetTrust` puts it back. */
export const initialTrustState: Pick<TrustSlice, 'damagedLoop'> = { damagedLoop: null };

declare module '../keelState' {
  interface KeelSlices {
    trust: TrustSlice;
  }
}

export function createTrustSlice(api: KeelApi): KeelSliceCreator<TrustSlice> {
  return (set, get) => {
    /** Applies the state a call returned; `reload` reads the workspace from disk again. */
    const adopt = async (result: Result<EngineState>, reload: boolean): Promise<Result<EngineState>> => {
      if (!result.ok) return result;
      await get().applyEngineState(result.value, { reload });
      return result;
    };

    const loadBackups = async () => {
      const result = await settle(() => api.listBackups({}));
      if (result.ok) set({ backups: result.value, backupsError: null });
      else set({ backupsError: result.error });
    };

    return {
      engineState: null,
      engineStateError: null,
      backups: null,
      backupsError: null,
      outboundLog: null,
      outboundLogError: null,
      backgroundProblems: null,
      backgroundProblemsError: null,
      ...initialTrustState,

      refreshEngineState: async () => {
        const result = await settle(() => api.getEngineState({}));
        if (!result.ok) {
          set({ engineStateError: result.error });
          return;
        }
        set({ engineStateError: null });
        await get().applyEngineState(result.value);
      },

      unlock: async (passphrase) => adopt(await settle(() => api.unlock({ passphrase })), false),

      lockNow: async () => {
        // Typed drafts are saved while the keys are still there; after the lock they could not be.
        await Promise.all(Object.keys(get().drafts).map((loopId) => get().flushDraft(loopId)));
        const result = await settle(() => api.lock({}));
        if (result.ok) await get().applyEngineState(result.value);
        else get().showError(result.error);
      },

      setPassphrase: async (passphrase, currentPassphrase) =>
        adopt(
          await settle(() =>
            api.setPassphrase({
              passphrase,
              ...(currentPassphrase !== undefined ? { currentPassphrase } : {}),
            }),
          ),
          false,
        ),

      removePassphrase: async (currentPassphrase) =>
        adopt(await settle(() => api.removePassphrase({ currentPassphrase })), false),

      loadBackups,

      backupNow: async () => {
        const result = await settle(() => api.backupNow({}));
        if (result.ok) {
          const backup = result.value;
          set((state) => ({
            backups: [backup, ...(state.backups ?? []).filter((other) => other.id !== backup.id)],
            backupsError: null,
            engineState: state.engineState ? { ...state.engineState, latestBackup: backup } : null,
          }));
          // The engine may have let the oldest go (it keeps as many as the settings say).
          void loadBackups();
        }
        return result;
      },

      restoreBackup: async (backupId) => {
        const result = await adopt(await settle(() => api.restoreBackup({ backupId })), true);
        // The restore kept what it replaced as a backup of its own.
        if (result.ok) void loadBackups();
        return result;
      },

      restoreLoop: async (loopId) => {
        // The newest backup now (one may have been made since the engine last said).
        const listed = await settle(() => api.listBackups({}));
        if (listed.ok) set({ backups: listed.value, backupsError: null });
        const latest = (listed.ok ? listed.value[0] : undefined) ?? get().engineState?.latestBackup;
        if (!latest) {
          return fail({ code: 'not-found', message: 'There is no backup to restore this loop from.' });
        }
        const result = await settle(() => api.restoreBackup({ backupId: latest.id, loopId }));
        if (!result.ok) return result;
        set({ damagedLoop: null });
        await get().applyEngineState(result.value);
        if (result.value.status === 'open') {
          await Promise.all([get().loadSpaces(), get().loadLoops()]);
          await get().openLoopById(loopId);
        }
        return result;
      },

      loadOutboundLog: async () => {
        const result = await settle(() => api.getOutboundLog({}));
        if (result.ok) set({ outboundLog: result.value.slice().reverse(), outboundLogError: null });
        else set({ outboundLogError: result.error });
      },

      loadBackgroundProblems: async () => {
        const result = await settle(() => api.getBackgroundProblems({}));
        if (result.ok) set({ backgroundProblems: result.value, backgroundProblemsError: null });
        else set({ backgroundProblemsError: result.error });
      },

      exportArchive: async () => {
        // The archive is made in the data folder, then its bytes come as a download (never as text).
        const made = await settle(() => api.exportArchive({}));
        if (!made.ok) return made;
        const bytes = await settle(() => api.download(made.value.file));
        if (!bytes.ok) return bytes;
        return { ok: true, value: { fileName: made.value.fileName, blob: bytes.value } };
      },

      importArchive: async (file, currentPassphrase) => {
        const sent = await settle(() => api.upload(file, 'archive'));
        if (!sent.ok) return sent;
        const result = await adopt(
          await settle(() =>
            api.importArchive({
              file: sent.value.file,
              ...(currentPassphrase !== undefined ? { currentPassphrase } : {}),
            }),
          ),
          true,
        );
        if (result.ok) void loadBackups();
        return result;
      },

      settleImportedSettings: async (adoptSettings) => {
        const result = await adopt(
          await settle(() => api.settleImportedSettings({ adopt: adoptSettings })),
          false,
        );
        if (result.ok) await get().loadSettings();
        return result;
      },

      reportDamagedLoop: (loopId, error) => set({ damagedLoop: { loopId, error } }),
      dismissDamagedLoop: () => set({ damagedLoop: null }),
      setEngineState: (engineState) => set({ engineState, engineStateError: null }),

      resetTrust: () => set(initialTrustState),
    };
  };
}
