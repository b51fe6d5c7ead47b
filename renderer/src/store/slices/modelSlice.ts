import type { ModelStatus, PullProgress } from '../../../../shared/domain';
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
  let checking: Promise<void> | null = null;
  let checkAgain = false;
  let warmupTimer: ReturnType<typeof setInterval> | null = null;
  let modelsRequest = 0;

  const stopWarmupTimer = () => {
    if (warmupTimer !== null) clearInterval(warmupTimer);
    warmupTimer = null;
  };

  return (set, get) => {
    const scheduleNextCheck = () => {
      if (timer !== null) clearTimeout(timer);
      timer = null;
      if (!polling) return;
      const status = get().modelCheckError ? null : get().modelStatus;
      timer = setTimeout(() => void get().checkModel(), modelPollDelay(status));
    };

    const runChecks = async () => {
      set({ checkingModel: true });
      // A check asked for meanwhile (a new host was saved) must see the new state, not this answer.
      do {
        checkAgain = false;
        const result = await settle(() => api.getModelStatus({}));
        if (result.ok) set({ modelStatus: result.value, modelCheckError: null });
        else set({ modelCheckError: result.error });
      } while (checkAgain);
      set({ checkingModel: false });
      scheduleNextCheck();
    };

    /** A download that could not even start, kept as a failed one so the places showing it say why. */
    const refusedPull = (model: string, error: PullProgress['error']): PullProgress => ({
      model,
      state: 'failed',
      status: '',
      completedBytes: get().pulls[model]?.completedBytes ?? 0,
      totalBytes: get().pulls[model]?.totalBytes ?? 0,
      ...(error ? { error } : {}),
    });

    /** A model file joined the models folder: the catalog, the status and the list may all change. */
    const modelFileAdded = () => {
      void get().loadModelCatalog();
      void get().checkModel();
      if (get().models !== null) void get().loadModels();
    };

    return {
      modelStatus: null,
      modelCheckError: null,
      checkingModel: false,
      modelWarmup: null,
      warmupSeconds: 0,
      pulls: {},
      models: null,
      modelsError: null,
      loadingModels: false,

      checkModel: () => {
        if (checking) {
          checkAgain = true;
          return checking;
        }
        checking = runChecks().finally(() => {
          checking = null;
        });
        return checking;
      },

      setModelStatus: (status) => {
        set({ modelStatus: status, modelCheckError: null });
        scheduleNextCheck();
      },

      setModelWarmup: (warmup) => {
        const previous = get().modelWarmup;
        const seconds = Math.floor(warmup.elapsedMs / 1000);
        if (warmup.state !== 'loading') {
          stopWarmupTimer();
          set({ modelWarmup: warmup, warmupSeconds: seconds });
          return;
        }
        // The same load announced twice keeps its counter running.
        if (previous?.state === 'loading' && previous.model === warmup.model && warmupTimer !== null) return;
        stopWarmupTimer();
        const startedAt = Date.now() - warmup.elapsedMs;
        set({ modelWarmup: warmup, warmupSeconds: seconds });
        warmupTimer = setInterval(() => {
          set({ warmupSeconds: Math.floor((Date.now() - startedAt) / 1000) });
        }, 1000);
      },

      setPullProgress: (progress) => {
        set((state) => ({ pulls: { ...state.pulls, [progress.model]: progress } }));
        if (progress.state === 'done') {
          void get().checkModel();
          if (progress.runtime === 'builtin') void get().loadModelCatalog();
          if (get().models !== null) void get().loadModels();
          void get().refreshContextUsage();
        }
      },

      pullModel: async (model) => {
        const before = get().pulls[model];
        const result = await settle(() => api.pullModel({ model }));
        if (result.ok) {
          // Events that arrived while the call was on its way are newer than its answer: keep them.
          if (get().pulls[model] === before) get().setPullProgress(result.value);
          return null;
        }
        if (result.error.code === 'invalid-input') return result.error;
        get().setPullProgress(refusedPull(model, result.error));
        return null;
      },

      cancelPull: async (model) => {
        const result = await settle(() => api.cancelPull({ model }));
        if (result.ok) get().setPullProgress(result.value);
        // Not found: the download ended on its own meanwhile, and its last event says how.
        else if (result.error.code !== 'not-found') get().showError(result.error);
      },

      dismissPull: (model) =>
        set((state) => {
          if (state.pulls[model]?.state === 'pulling') return {};
          const { [model]: _dismissed, ...pulls } = state.pulls;
          return { pulls };
        }),

      modelCatalog: null,
      modelCatalogError: null,

      loadModelCatalog: async () => {
        const result = await settle(() => api.getModelCatalog({}));
        if (result.ok) set({ modelCatalog: result.value, modelCatalogError: null });
        else set({ modelCatalogError: result.error });
      },

      downloadModel: async (id) => {
        const before = get().pulls[id];
        const result = await settle(() => api.downloadModel({ id }));
        if (result.ok) {
          if (get().pulls[id] === before) get().setPullProgress(result.value);
          return;
        }
        get().setPullProgress({ ...refusedPull(id, result.error), runtime: 'builtin' });
      },

      cancelModelDownload: async (id) => {
        const result = await settle(() => api.cancelModelDownload({ id }));
        if (result.ok) get().setPullProgress(result.value);
        else if (result.error.code !== 'not-found') get().showError(result.error);
      },

      addModelFile: async (path) => {
        const result = await settle(() => api.useModelFile({ path }));
        if (!result.ok) return { error: result.error };
        modelFileAdded();
        return { added: result.value.name };
      },

      chooseModelFile: async () => {
        const result = await settle(() => api.chooseModelFile({}));
        if (!result.ok) return { error: result.error };
        if (result.value === null) return null;
        modelFileAdded();
        return { added: result.value.name };
      },

      loadModels: async () => {
        const request = ++modelsRequest;
        set({ loadingModels: true });
        const result = await settle(() => api.listModels({}));
        if (request !== modelsRequest) return;
        if (result.ok) set({ models: result.value, modelsError: null, loadingModels: false });
        else set({ models: [], modelsError: result.error, loadingModels: false });
      },

      listModelsOf: (runtime) => settle(() => api.listModels({ runtime })),

      startModelPolling: () => {
        polling = true;
        void get().checkModel();
        return () => {
          polling = false;
          if (timer !== null) clearTimeout(timer);
          timer = null;
          stopWarmupTimer();
        };
      },
    };
  };
}
