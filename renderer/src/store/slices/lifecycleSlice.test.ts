import { describe, expect, it, vi } from 'vitest';
import { fail } from '../../../../shared/errors';
import { createFakeKeelApi, makeSpace, makeSummary } from '../fakeKeelApi';
import { createKeelStore } from '../index';

describe('starting the workspace', () => {
  it('loads settings, spaces, every loop and the model, then opens the most recent loop', async () => {
    const api = createFakeKeelApi();
    api.listLoops.mockResolvedValueOnce({
      ok: true,
      value: [
        makeSummary({ id: 'loop-old', updatedAt: '2025-01-01T09:00:00.000Z' }),
        makeSummary({ id: 'loop-recent', updatedAt: '2025-01-02T09:00:00.000Z' }),
      ],
    });
    const store = createKeelStore(api);
    const stop = store.getState().start();
    await vi.waitFor(() => expect(store.getState().openLoop).not.toBeNull());

    expect(api.listLoops).toHaveBeenCalledWith({});
    expect(api.getSettings).toHaveBeenCalled();
    expect(api.getAppInfo).toHaveBeenCalled();
    expect(api.getModelStatus).toHaveBeenCalled();
    expect(api.getLoop).toHaveBeenCalledWith({ loopId: 'loop-recent' });
    expect(store.getState().openLoop?.id).toBe('loop-recent');
    stop();
  });

  it('opens nothing when there are no loops', async () => {
    const api = createFakeKeelApi();
    api.listLoops.mockResolvedValue({ ok: true, value: [] });
    api.listSpaces.mockResolvedValue({ ok: true, value: [makeSpace()] });
    const store = createKeelStore(api);
    await store.getState().loadWorkspace();
    expect(api.getLoop).not.toHaveBeenCalled();
    expect(store.getState().currentSpaceId).toBe('space-1');
  });

  it('when the engine does not answer, says so once, in place of the workspace', async () => {
    const api = createFakeKeelApi();
    const down = fail({ code: 'internal', message: 'No engine' });
    api.listSpaces.mockResolvedValue(down);
    api.listLoops.mockResolvedValue(down);
    api.getSettings.mockResolvedValue(down);
    const store = createKeelStore(api);
    await store.getState().loadWorkspace();
    expect(store.getState().loadError?.message).toBe('No engine');
    expect(store.getState().notices).toEqual([]);
  });
});
