import type { KeelEvent } from '../../../../shared/contract';
import type { KeelApi, KeelSliceCreator, LifecycleSlice } from '../types';

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
        set({ engineState, engineStateError: null });
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
        get().closeLoop();
        get().clearMemory();
        get().clearSearch();
        get().clearLedger();
        get().clearSources();
        set({
          spaces: [],
          currentSpaceId: null,
          spacesLoaded: false,
          loadError: null,
          loops: [],
          composerTexts: {},
          sendingLoopId: null,
          contextUsage: null,
          drafts: {},
          templates: null,
          dialog: null,
          notices: [],
          damagedLoop: null,
        });
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
