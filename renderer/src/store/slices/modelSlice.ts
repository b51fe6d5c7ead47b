import type { ModelStatus } from '../../../../shared/domain';
import { settle } from '../settle';
import type { KeelApi, KeelSliceCreator, ModelSlice } from '../types';

/** While the model is not usable the person is likely fixing it, so look often to notice at once. */
export const modelPollWhileDownMs = 5_000;
/** Once connected, a slow check is enough to notice Ollama going away between moves. */
export const modelPollWhileConnectedMs = 60_000;

/** How long to wait before the next model check, given what the last one found (null: no answer). */
export function modelPollDelay(status: ModelStatus | null): number {
  return status?.connection === 'connected' ? modelPollWhileConnectedMs : modelPollWhileDownMs;
}

export function createModelSlice(api: KeelApi): KeelSliceCreator<ModelSlice> {
  let polling = false;
  let timer: ReturnType<typeof setTimeout> | null = null;

  return (set, get) => {
    const scheduleNextCheck = () => {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      if (!polling) return;
      const status = get().modelCheckError ? null : get().modelStatus;
      timer = setTimeout(() => void get().checkModel(), modelPollDelay(status));
    };

    return {
      modelStatus: null,
      modelCheckError: null,
      checkingModel: false,
      modelWarmup: null,
      pulls: {},

      checkModel: async () => {
        if (get().checkingModel) return;
        set({ checkingModel: true });
        const result = await settle(() => api.getModelStatus({}));
        if (result.ok) set({ modelStatus: result.value, modelCheckError: null, checkingModel: false });
        else set({ modelCheckError: result.error, checkingModel: false });
        scheduleNextCheck();
      },

      setModelStatus: (status) => {
        set({ modelStatus: status, modelCheckError: null });
        scheduleNextCheck();
      },

      setModelWarmup: (warmup) => set({ modelWarmup: warmup }),

      setPullProgress: (progress) => {
        set((state) => ({ pulls: { ...state.pulls, [progress.model]: progress } }));
        if (progress.state === 'done') void get().checkModel();
      },

      pullModel: async (model) => {
        const result = await settle(() => api.pullModel({ model }));
        if (result.ok) get().setPullProgress(result.value);
        else get().showError(result.error);
      },

      cancelPull: async (model) => {
        const result = await settle(() => api.cancelPull({ model }));
        if (result.ok) get().setPullProgress(result.value);
        else get().showError(result.error);
      },

      startModelPolling: () => {
        polling = true;
        void get().checkModel();
        return () => {
          polling = false;
          if (timer !== null) clearTimeout(timer);
          timer = null;
        };
      },
    };
  };
}
