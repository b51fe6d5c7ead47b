import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fail } from '../../../../shared/errors';
import { createFakeKeelApi, makeModelStatus } from '../fakeKeelApi';
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

  it('a refused download is shown as a notice', async () => {
    const api = createFakeKeelApi();
    api.pullModel.mockResolvedValueOnce(fail({ code: 'ollama-unreachable', message: 'No Ollama.' }));
    const store = createKeelStore(api);
    await store.getState().pullModel('llama3.2');
    expect(store.getState().notices[0]?.error.code).toBe('ollama-unreachable');
  });
});
