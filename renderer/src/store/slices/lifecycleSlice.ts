import type { KeelEvent } from '../../../../shared/contract';
import type { KeelApi, KeelSliceCreator, LifecycleSlice } from '../types';

/** Compile-time proof that every event type is handled; an unknown one at run time is ignored. */
function ignoreUnknownEvent(_event: never): void {}

export function createLifecycleSlice(api: KeelApi): KeelSliceCreator<LifecycleSlice> {
  return (_set, get) => {
    const handleEvent = (event: KeelEvent) => {
      const state = get();
      switch (event.type) {
        case 'turn.started':
        case 'turn.finished':
          return state.applyTurn(event.turn, 'replace');
        case 'turn.delta':
          return state.applyDelta(event);
        case 'model.status':
          return state.setModelStatus(event.status);
        case 'model.warmup':
          return state.setModelWarmup(event.warmup);
        case 'pull.progress':
          return state.setPullProgress(event.progress);
        case 'engine.state':
          // The lock screen and recovery arrive with the trust work; until then nothing to do.
          return;
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
        // Without spaces there is no workspace to show: the load error says why, once.
        if (spacesError) return;
        if (loopsError) get().showError(loopsError);
        if (settingsError) get().showError(settingsError);

        const { openLoop, openingLoopId, spaces, loops } = get();
        if (openLoop || openingLoopId) return;
        const mostRecent = loops.find((loop) => spaces.some((space) => space.id === loop.spaceId));
        if (mostRecent) await get().openLoopById(mostRecent.id);
      },

      start: () => {
        const unsubscribe = api.onEvent(handleEvent);
        const stopPolling = get().startModelPolling();
        void get().loadWorkspace();
        return () => {
          unsubscribe();
          stopPolling();
        };
      },
    };
  };
}
