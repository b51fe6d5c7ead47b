import type { KeelEvent } from '../../../../shared/contract';
import type { EngineState } from '../../../../shared/domain';
import type { KeelApi, KeelSliceCreator } from '../keelState';

export interface LifecycleSlice {
  /** Loads settings, spaces, loops and opens the most recent loop. */
  loadWorkspace(): Promise<void>;
  /**
   * Takes the engine's state: loads the workspace when it opens, clears the person's data from the
   * screen when it locks or is damaged. With `reload`, an open workspace is loaded again from disk.
   */
  applyEngineState(state: EngineState, options?: { reload?: boolean }): Promise<void>;
  /** Forgets every piece of the person's data the workspace holds (spaces, loops, texts typed). */
  clearWorkspace(): void;
  /** Loads everything, listens to the engine and polls the model; returns the function that stops it. */
  start(): () => void;
}

declare module '../keelState' {
  interface KeelSlices {
    lifecycle: LifecycleSlice;
  }
}

/** Compile-time proof that every event type is handled; an unknown one at run time is ignored. */
function ignoreUnknownEvent(_event: never): void {}

export function createLifecycleSlice(api: KeelApi): KeelSliceCreator<LifecycleSlice> {
  return (set, get) => {
    /** Set while `start` runs: the model is polled only then, and only while the workspace is open. */
    let started = false;
    let stopPolling: (() => void) | null = null;

    const startPolling = () => {
      if (started && stopPolling === null) stopPolling = get().startModelPolling();
    };
    const endPolling = () => {
      stopPolling?.();
      stopPolling = null;
    };

    const handleEvent = (event: KeelEvent) => {
      const state = get();
      switch (event.type) {
        case 'turn.started':
          return state.applyTurn(event.turn, 'replace');
        case 'turn.finished':
          state.applyTurn(event.turn, 'replace');
          return state.noteTurnSources(event.turn);
        case 'turn.delta':
          return state.applyDelta(event);
        case 'model.status':
          return state.setModelStatus(event.status);
        case 'model.warmup':
          return state.setModelWarmup(event.warmup);
        case 'pull.progress':
          return state.setPullProgress(event.progress);
        case 'engine.state':
          return void state.applyEngineState(event.state);
        case 'source.progress':
          return state.applySourceProgress(event.progress);
        case 'forecasts.due':
          // The Decisions page lists them; an open one shows them at once.
          return void (state.ledgerOpen ? state.loadLedger() : undefined);
        case 'sync.status':
          return void state.applySyncStatus(event.status, event.loopIds);
        case 'templates.changed':
          // A dialog that offers templates (New loop) lists the arrived one at once.
          return void state.loadTemplates();
        default:
          return ignoreUnknownEvent(event);
      }
    };

    return {
      loadWorkspace: async () => {
        const state = get();
        const [spacesError, loopsError, settingsError] = await Promise.all([
          state.loadSpaces(),
          state.loadLoops(),
          state.loadSettings(),
        ]);
        // Locked or damaged meanwhile (another window, the idle lock): the engine says which.
        const refused = [spacesError, loopsError, settingsError].find(
          (error) => error?.code === 'locked' || error?.code === 'storage-corrupt',
        );
        if (refused) {
          await get().refreshEngineState();
          return;
        }
        // Without spaces there is no workspace to show: the load error says why, once.
        if (spacesError) return;
        if (loopsError) get().showError(loopsError);
        if (settingsError) get().showError(settingsError);

        const { openLoop, openingLoopId, spaces, loops } = get();
        if (openLoop || openingLoopId) return;
        const mostRecent = loops.find((loop) => spaces.some((space) => space.id === loop.spaceId));
        if (mostRecent) await get().openLoopById(mostRecent.id);
      },

      applyEngineState: async (engineState, options = {}) => {
        const previous = get().engineState;
        const wasOpen = previous?.status === 'open';
        get().setEngineState(engineState);
        if (engineState.status !== 'open') {
          // Locked or damaged: nothing of the person's data stays on screen or in memory here.
          endPolling();
          if (wasOpen || previous === null) {
            get().clearWorkspace();
            get().closeSettings();
          }
          return;
        }
        if (wasOpen && !options.reload) return;
        // Just opened (unlocked, restored, imported) or replaced on disk: read it all again.
        if (wasOpen) get().clearWorkspace();
        startPolling();
        await get().loadWorkspace();
      },

      clearWorkspace: () => {
        // Each slice forgets its own part. Models, settings, sync status and the engine's state
        // stay: they are about this machine and its data folder, and are checked again on open.
        const state = get();
        state.resetLoops();
        state.resetSpaces();
        state.resetTemplates();
        state.resetDrafts();
        state.resetMemory();
        state.resetSearch();
        state.resetLedger();
        state.resetSources();
        state.resetTrust();
        state.resetUi();
      },

      start: () => {
        started = true;
        const unsubscribe = api.onEvent(handleEvent);
        void get().refreshEngineState();
        return () => {
          started = false;
          unsubscribe();
          endPolling();
        };
      },
    };
  };
}
