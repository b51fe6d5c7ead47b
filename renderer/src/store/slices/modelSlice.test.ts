import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fail } from '../../../../shared/errors';
import { createFakeKeelApi, makeModelStatus } from '../../testing/fakeKeelApi';
import { createKeelStore } from '../index';
import { modelPollDelay, modelPollWhileConnectedMs, modelPollWhileDownMs } from './modelSlice';

describe('modelPollDelay', () => {
  it('checks every 5 s until connected, then every minute', () => {
    expect(modelPollDelay(null)).toBe(5_000);
    expect(modelPollDelay(makeModelStatus({ connection: 'not-running' }))).toBe(5_000);
    expect(modelPollDelay(makeModelStatus({ connection: 'unreachable' }))).toBe(5_000);
    expect(modelPollDelay(makeModelStatus({ connection: 'no-models' }))).toBe(5_000);
    expect(modelPollDelay(makeModelStatus({ connection: 'model-missing' }))).toBe(5_000);
    expect(modelPollDelay(makeModelStatus({ connection: 'connected' }))).toBe(60_000);
  });
});

describe('model polling', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('polls quickly while Ollama is down and slowly once it is connected', async () => {
    const api = createFakeKeelApi();
    api.getModelStatus.mockResolvedValue({ ok: true, value: makeModelStatus({ connection: 'not-running' }) });
    const store = createKeelStore(api);
    const stop = store.getState().startModelPolling();
    await vi.advanceTimersByTimeAsync(0);
    expect(api.getModelStatus).toHaveBeenCalledTimes(1);
    expect(store.getState().modelStatus?.connection).toBe('not-running');

    await vi.advanceTimersByTimeAsync(modelPollWhileDownMs);
    expect(api.getModelStatus).toHaveBeenCalledTimes(2);

    api.getModelStatus.mockResolvedValue({ ok: true, value: makeModelStatus() });
    await vi.advanceTimersByTimeAsync(modelPollWhileDownMs);
    expect(api.getModelStatus).toHaveBeenCalledTimes(3);
    expect(store.getState().modelStatus?.connection).toBe('connected');

    await vi.advanceTimersByTimeAsync(modelPollWhileConnectedMs - 1);
    expect(api.getModelStatus).toHaveBeenCalledTimes(3);
    await vi.advanceTimersByTimeAsync(1);
    expect(api.getModelStatus).toHaveBeenCalledTimes(4);

    stop();
    await vi.advanceTimersByTimeAsync(modelPollWhileConnectedMs * 2);
    expect(api.getModelStatus).toHaveBeenCalledTimes(4);
  });

  it('keeps checking every 5 s while the engine does not answer, and says so', async () => {
    const api = createFakeKeelApi();
    api.getModelStatus.mockResolvedValue(fail({ code: 'internal', message: 'No engine' }));
    const store = createKeelStore(api);
    store.getState().startModelPolling();
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getState().modelCheckError?.message).toBe('No engine');
    await vi.advanceTimersByTimeAsync(modelPollWhileDownMs);
    expect(api.getModelStatus).toHaveBeenCalledTimes(2);
  });

  it('a model.status event updates the status and resets the schedule', async () => {
    const api = createFakeKeelApi();
    api.getModelStatus.mockResolvedValue({ ok: true, value: makeModelStatus({ connection: 'not-running' }) });
    const store = createKeelStore(api);
    store.getState().startModelPolling();
    await vi.advanceTimersByTimeAsync(0);

    store.getState().setModelStatus(makeModelStatus());
    expect(store.getState().modelStatus?.connection).toBe('connected');
    await vi.advanceTimersByTimeAsync(modelPollWhileDownMs * 2);
    expect(api.getModelStatus).toHaveBeenCalledTimes(1);
  });

  it('Retry checks at once', async () => {
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    await store.getState().checkModel();
    await store.getState().checkModel();
    expect(api.getModelStatus).toHaveBeenCalledTimes(2);
  });
});

describe('model downloads and warm-up', () => {
  it('follows a download through its events and checks the model again once it is done', async () => {
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    const stop = store.getState().start();
    await vi.waitFor(() => expect(api.getModelStatus).toHaveBeenCalledTimes(1));

    await store.getState().pullModel('llama3.2');
    expect(api.pullModel).toHaveBeenCalledWith({ model: 'llama3.2' });
    expect(store.getState().pulls['llama3.2']?.state).toBe('pulling');

    const progress = { model: 'llama3.2', status: 'downloading', completedBytes: 50, totalBytes: 100 };
    api.emit({ type: 'pull.progress', progress: { ...progress, state: 'pulling', percent: 50 } });
    expect(store.getState().pulls['llama3.2']?.percent).toBe(50);
    api.emit({
      type: 'pull.progress',
      progress: { ...progress, state: 'done', completedBytes: 100, percent: 100 },
    });
    await vi.waitFor(() => expect(api.getModelStatus).toHaveBeenCalledTimes(2));
    stop();
  });

  it('shows a model loading into memory', () => {
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    const stop = store.getState().start();
    api.emit({ type: 'model.warmup', warmup: { model: 'llama3.2', state: 'loading', elapsedMs: 0 } });
    expect(store.getState().modelWarmup?.state).toBe('loading');
    stop();
  });

  it('a refused download is kept as a failed one, so each place showing it says why', async () => {
    const api = createFakeKeelApi();
    api.pullModel.mockResolvedValueOnce(fail({ code: 'ollama-unreachable', message: 'No Ollama.' }));
    const store = createKeelStore(api);
    expect(await store.getState().pullModel('llama3.2')).toBeNull();
    expect(store.getState().pulls['llama3.2']).toMatchObject({
      state: 'failed',
      error: { code: 'ollama-unreachable', message: 'No Ollama.' },
    });
    expect(store.getState().notices).toEqual([]);
  });

  it('a name that is not a model name goes back to the caller and starts nothing', async () => {
    const api = createFakeKeelApi();
    const refusal = {
      code: 'invalid-input' as const,
      message: 'The model is not a model name.',
      field: 'model',
    };
    api.pullModel.mockResolvedValueOnce(fail(refusal));
    const store = createKeelStore(api);
    expect(await store.getState().pullModel('rm -rf /')).toEqual(refusal);
    expect(store.getState().pulls).toEqual({});
  });

  it('keeps the newer progress when the start answer arrives after the first events', async () => {
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    let answer: (value: Awaited<ReturnType<typeof api.pullModel>>) => void = () => undefined;
    api.pullModel.mockReturnValueOnce(new Promise((resolve) => (answer = resolve)));
    const pulling = store.getState().pullModel('qwen3:4b');
    store.getState().setPullProgress({
      model: 'qwen3:4b',
      state: 'pulling',
      status: 'pulling 6a0746a1ec1a',
      completedBytes: 500,
      totalBytes: 1000,
      percent: 50,
    });
    answer({
      ok: true,
      value: { model: 'qwen3:4b', state: 'pulling', status: 'starting', completedBytes: 0, totalBytes: 0 },
    });
    await pulling;
    expect(store.getState().pulls['qwen3:4b']?.percent).toBe(50);
  });

  it('keeps a failure that arrived before the start answer', async () => {
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    let answer: (value: Awaited<ReturnType<typeof api.pullModel>>) => void = () => undefined;
    api.pullModel.mockReturnValueOnce(new Promise((resolve) => (answer = resolve)));
    const pulling = store.getState().pullModel('mistral');
    const failure = {
      code: 'invalid-input' as const,
      message: 'Ollama could not find a model named "mistral".',
    };
    store.getState().setPullProgress({
      model: 'mistral',
      state: 'failed',
      status: 'pulling manifest',
      completedBytes: 0,
      totalBytes: 0,
      error: failure,
    });
    answer({
      ok: true,
      value: { model: 'mistral', state: 'pulling', status: 'starting', completedBytes: 0, totalBytes: 0 },
    });
    await pulling;
    expect(store.getState().pulls['mistral']).toMatchObject({ state: 'failed', error: failure });
  });

  it('once a download is done, lists the models again when they are on screen', async () => {
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    await store.getState().loadModels();
    expect(api.listModels).toHaveBeenCalledTimes(1);
    store.getState().setPullProgress({
      model: 'qwen3:4b',
      state: 'done',
      status: 'success',
      completedBytes: 10,
      totalBytes: 10,
      percent: 100,
    });
    await vi.waitFor(() => expect(api.listModels).toHaveBeenCalledTimes(2));
    expect(api.getModelStatus).toHaveBeenCalled();
  });

  it('cancelling asks the engine and records the cancelled download; a finished one can be cleared', async () => {
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    await store.getState().pullModel('qwen3:4b');
    store.getState().dismissPull('qwen3:4b');
    expect(store.getState().pulls['qwen3:4b']?.state).toBe('pulling');
    await store.getState().cancelPull('qwen3:4b');
    expect(api.cancelPull).toHaveBeenCalledWith({ model: 'qwen3:4b' });
    expect(store.getState().pulls['qwen3:4b']?.state).toBe('cancelled');
    store.getState().dismissPull('qwen3:4b');
    expect(store.getState().pulls).toEqual({});
  });

  it('a download that ended before the cancel arrived is not an error', async () => {
    const api = createFakeKeelApi();
    api.cancelPull.mockResolvedValueOnce(fail({ code: 'not-found', message: 'Not being downloaded.' }));
    const store = createKeelStore(api);
    await store.getState().cancelPull('qwen3:4b');
    expect(store.getState().notices).toEqual([]);
  });
});

describe('the model list', () => {
  it('keeps why the models could not be listed', async () => {
    const api = createFakeKeelApi();
    api.listModels.mockResolvedValueOnce(fail({ code: 'host-not-allowed', message: 'Not allowed.' }));
    const store = createKeelStore(api);
    await store.getState().loadModels();
    expect(store.getState().modelsError?.code).toBe('host-not-allowed');
    expect(store.getState().models).toEqual([]);
    await store.getState().loadModels();
    expect(store.getState().modelsError).toBeNull();
  });
});

describe('the warm-up counter', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('counts the seconds while a model loads and stops once it is ready', () => {
    const store = createKeelStore(createFakeKeelApi());
    store.getState().setModelWarmup({ model: 'llama3.2', state: 'loading', elapsedMs: 0 });
    expect(store.getState().warmupSeconds).toBe(0);
    vi.advanceTimersByTime(3_000);
    expect(store.getState().warmupSeconds).toBe(3);
    // The same load announced again keeps counting from where it was.
    store.getState().setModelWarmup({ model: 'llama3.2', state: 'loading', elapsedMs: 0 });
    vi.advanceTimersByTime(1_000);
    expect(store.getState().warmupSeconds).toBe(4);

    store.getState().setModelWarmup({ model: 'llama3.2', state: 'ready', elapsedMs: 4_200 });
    expect(store.getState().modelWarmup?.state).toBe('ready');
    expect(store.getState().warmupSeconds).toBe(4);
    vi.advanceTimersByTime(5_000);
    expect(store.getState().warmupSeconds).toBe(4);
  });

  it('starts again for another model and keeps the reason of a failed load', () => {
    const store = createKeelStore(createFakeKeelApi());
    store.getState().setModelWarmup({ model: 'llama3.2', state: 'loading', elapsedMs: 0 });
    vi.advanceTimersByTime(2_000);
    store.getState().setModelWarmup({ model: 'qwen3:4b', state: 'loading', elapsedMs: 1_000 });
    expect(store.getState().warmupSeconds).toBe(1);
    vi.advanceTimersByTime(2_000);
    expect(store.getState().warmupSeconds).toBe(3);
    store.getState().setModelWarmup({
      model: 'qwen3:4b',
      state: 'failed',
      elapsedMs: 3_000,
      message: 'Not enough memory.',
    });
    expect(store.getState().modelWarmup?.message).toBe('Not enough memory.');
    vi.advanceTimersByTime(5_000);
    expect(store.getState().warmupSeconds).toBe(3);
  });

  it('a check asked for while one runs checks once more afterwards', async () => {
    vi.useRealTimers();
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    const first = store.getState().checkModel();
    const second = store.getState().checkModel();
    await Promise.all([first, second]);
    expect(api.getModelStatus).toHaveBeenCalledTimes(2);
  });
});

describe('built-in model downloads', () => {
  it('starts a catalog download, follows its events, and reads the catalog again once it is done', async () => {
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    const stop = store.getState().start();
    await store.getState().downloadModel('tiny-chat');
    expect(api.downloadModel).toHaveBeenCalledWith({ id: 'tiny-chat' });
    expect(api.pullModel).not.toHaveBeenCalled();
    expect(store.getState().pulls['tiny-chat']).toMatchObject({ runtime: 'builtin', state: 'pulling' });

    const catalogReads = api.getModelCatalog.mock.calls.length;
    api.emit({
      type: 'pull.progress',
      progress: {
        model: 'tiny-chat',
        runtime: 'builtin',
        state: 'done',
        status: 'success',
        completedBytes: 9,
        totalBytes: 9,
      },
    });
    await vi.waitFor(() => expect(api.getModelCatalog.mock.calls.length).toBeGreaterThan(catalogReads));
    stop();
  });

  it('keeps a refused start as a failed built-in download, so Retry asks the engine again and not Ollama', async () => {
    const api = createFakeKeelApi();
    api.downloadModel.mockResolvedValueOnce(
      fail({ code: 'storage-failed', message: 'Not enough free disk space.' }),
    );
    const store = createKeelStore(api);
    await store.getState().downloadModel('tiny-chat');
    expect(store.getState().pulls['tiny-chat']).toMatchObject({
      runtime: 'builtin',
      state: 'failed',
      error: { code: 'storage-failed', message: 'Not enough free disk space.' },
    });
  });

  it('hands back why a model file was refused, and nothing when the dialog was closed', async () => {
    const api = createFakeKeelApi();
    const refusal = {
      code: 'invalid-input' as const,
      message: '/x is not a model Keel can use.',
      field: 'path',
    };
    api.useModelFile.mockResolvedValueOnce(fail(refusal));
    const store = createKeelStore(api);
    expect(await store.getState().addModelFile('/x')).toEqual({ error: refusal });
    expect(await store.getState().chooseModelFile()).toBeNull();
  });
});
