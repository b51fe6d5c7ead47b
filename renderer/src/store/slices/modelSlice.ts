import { LatestOnly } from '../../../../shared/async';
import type {
  ModelCatalog,
  ModelInfo,
  ModelStatus,
  ModelWarmup,
  PullProgress,
} from '../../../../shared/domain';
import type { KeelErrorInfo, Result } from '../../../../shared/errors';
import type { KeelApi, KeelSliceCreator } from '../keelState';
import { settle } from '../settle';

export interface ModelSlice {
  modelStatus: ModelStatus | null;
  /** Set when the engine itself did not answer the status check. */
  modelCheckError: KeelErrorInfo | null;
  checkingModel: boolean;
  /** The latest news of a model being loaded into memory. */
  modelWarmup: ModelWarmup | null;
  /** Whole seconds the current warm-up has taken so far; counts up once a second while loading. */
  warmupSeconds: number;
  /** Model downloads by model name (as the person asked for it), the latest progress of each. */
  pulls: Record<string, PullProgress>;
  /** The installed models with what each can do; null until first asked for. */
  models: ModelInfo[] | null;
  /** Why the models could not be listed (Ollama not running, host not allowed…). */
  modelsError: KeelErrorInfo | null;
  loadingModels: boolean;
  /** Checks the connection; asked while a check runs, it checks once more after it. */
  checkModel(): Promise<void>;
  setModelStatus(status: ModelStatus): void;
  /** Records a warm-up and runs the seconds counter while the model loads. */
  setModelWarmup(warmup: ModelWarmup): void;
  /** Records a download's progress; once it is done, checks the model and the model list again. */
  setPullProgress(progress: PullProgress): void;
  /**
   * Starts (or resumes) a download. A refused start is recorded as a failed download, so every
   * place showing it says why; a name that is not a model name is only returned to the caller.
   */
  pullModel(model: string): Promise<KeelErrorInfo | null>;
  cancelPull(model: string): Promise<void>;
  /** Forgets a finished, failed or cancelled download. */
  dismissPull(model: string): void;
  loadModels(): Promise<void>;
  /** The installed models of one runtime (a space's own), apart from `models`, which follow the global one. */
  listModelsOf(runtime: 'automatic' | 'ollama' | 'builtin'): Promise<Result<ModelInfo[]>>;
  /** Checks now and then keeps checking (every 5 s until connected, then every minute). */
  startModelPolling(): () => void;
  /** The built-in runtime's catalog with the model that fits this machine; null until first asked for. */
  modelCatalog: ModelCatalog | null;
  modelCatalogError: KeelErrorInfo | null;
  loadModelCatalog(): Promise<void>;
  /** Starts (or resumes) a built-in model download; its progress lands in `pulls` under the model's id. */
  downloadModel(id: string): Promise<void>;
  cancelModelDownload(id: string): Promise<void>;
  /** Points Keel at a GGUF file already on this computer; answers the name it is listed under, or why not. */
  addModelFile(path: string): Promise<{ added: string } | { error: KeelErrorInfo }>;
  /** Desktop only: the system's open dialog, then the same check; null when the dialog was closed. */
  chooseModelFile(): Promise<{ added: string } | { error: KeelErrorInfo } | null>;
}

declare module '../keelState' {
  interface KeelSlices {
    model: ModelSlice;
  }
}

/** While the model is not usable the person is likely fixing it, so look often to notice at once. */
export const modelPollWhileDownMs = 5_000;
/** Once connected, a slow check is enough to notice Ollama going away between moves. */
export const modelPollWhileConnectedMs = 60_000;

/** How long to wait before the next model check, given what the last one found (null: no answer). */
export function modelPollDelay(status: ModelStatus | null): number {
  return status?.connection === 'connected' ? modelPollWhileConnectedMs : modelPollWhileDownMs;
}

/**
 * Nothing checked or listed yet. There is no reset: the connection, models and downloads stay
 * when the workspace locks (they are about this machine, not what the person wrote).
 */
export const initialModelState: Pick<
  ModelSlice,
  | 'modelStatus'
  | 'modelCheckError'
  | 'checkingModel'
  | 'modelWarmup'
  | 'warmupSeconds'
  | 'pulls'
  | 'models'
  | 'modelsError'
  | 'loadingModels'
  | 'modelCatalog'
  | 'modelCatalogError'
> = {
  modelStatus: null,
  modelCheckError: null,
  checkingModel: false,
  modelWarmup: null,
  warmupSeconds: 0,
  pulls: {},
  models: null,
  modelsError: null,
  loadingModels: false,
  modelCatalog: null,
  modelCatalogError: null,
};

export function createModelSlice(api: KeelApi): KeelSliceCreator<ModelSlice> {
  let polling = false;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let checking: Promise<void> | null = null;
  let checkAgain = false;
  let warmupTimer: ReturnType<typeof setInterval> | null = null;
  /** Only the latest model list asked for counts. */
  const modelsRequest = new LatestOnly();

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
      ...initialModelState,

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
        const isLatest = modelsRequest.begin();
        set({ loadingModels: true });
        const result = await settle(() => api.listModels({}));
        if (!isLatest()) return;
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
