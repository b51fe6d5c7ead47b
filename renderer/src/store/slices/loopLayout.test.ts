import { describe, expect, it } from 'vitest';
import { createFakeKeelApi, makeLoop, makeSummary } from '../../testing/fakeKeelApi';
import { createKeelStore } from '../index';

function setup() {
  const api = createFakeKeelApi();
  const store = createKeelStore(api);
  const loop = makeLoop({ layout: { draftWidth: 360 } });
  store.setState({ openLoop: loop, loops: [makeSummary({ id: loop.id, spaceId: loop.spaceId })] });
  return { api, store, loop };
}

describe('loop layout', () => {
  it('shows the change at once and asks the engine to keep it', async () => {
    const { api, store, loop } = setup();
    const kept = store.getState().setLoopLayout(loop.id, { draftCollapsed: true });
    expect(store.getState().openLoop?.layout).toEqual({ draftWidth: 360, draftCollapsed: true });
    await kept;
    expect(api.setLoopLayout).toHaveBeenCalledWith({ loopId: loop.id, layout: { draftCollapsed: true } });
    expect(store.getState().notices).toHaveLength(0);
  });

  it('says so when it cannot be kept, and leaves the screen as the person set it', async () => {
    const { api, store, loop } = setup();
    api.setLoopLayout.mockResolvedValueOnce({
      ok: false,
      error: { code: 'storage-failed', message: 'The loop could not be saved.' },
    });
    await store.getState().setLoopLayout(loop.id, { draftWidth: 500 });
    expect(store.getState().openLoop?.layout?.draftWidth).toBe(500);
    expect(store.getState().notices.map((notice) => notice.error.message)).toEqual([
      'The loop could not be saved.',
    ]);
  });

  it('a palette request to fold a part is a new request each time', () => {
    const { store } = setup();
    store.getState().requestLayoutToggle('intent');
    const first = store.getState().layoutRequest;
    store.getState().requestLayoutToggle('intent');
    expect(store.getState().layoutRequest?.part).toBe('intent');
    expect(store.getState().layoutRequest?.request).toBeGreaterThan(first!.request);
  });
});
