import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { fail } from '../../../../shared/errors';
import { createFakeKeelApi, makeLoop, makeSummary } from '../../testing/fakeKeelApi';
import { createKeelStore } from '../index';

/** A store with loop-1 open and its draft synced, as the draft panel does. */
function setup() {
  const api = createFakeKeelApi();
  const store = createKeelStore(api, { requestFrame: () => {} });
  const loop = makeLoop({ draft: 'First draft' });
  store.setState({ openLoop: loop, loops: [makeSummary()] });
  store.getState().syncDraft(loop.id, loop.draft, loop.draftVersions);
  return { api, store };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('export', () => {
  it('saves the draft first, then asks the engine for the document', async () => {
    const { api, store } = setup();
    store.getState().setDraftText('loop-1', 'Final words');
    const result = await store.getState().exportLoop('loop-1', 'docx', true);
    expect(result.ok).toBe(true);
    expect(api.saveDraft).toHaveBeenCalledWith({ loopId: 'loop-1', text: 'Final words' });
    expect(api.exportLoop).toHaveBeenCalledWith({ loopId: 'loop-1', format: 'docx', includeTimeline: true });
  });

  it('does not export a draft it could not save', async () => {
    const { api, store } = setup();
    api.saveDraft.mockResolvedValueOnce(fail({ code: 'storage-failed', message: 'The disk is full.' }));
    store.getState().setDraftText('loop-1', 'Final words');
    const result = await store.getState().exportLoop('loop-1', 'markdown', false);
    expect(result.ok).toBe(false);
    expect(api.exportLoop).not.toHaveBeenCalled();
  });
});
