import { describe, expect, it, vi } from 'vitest';
import { fail } from '../../../../shared/errors';
import { createFakeKeelApi, makeSpace, makeSummary, makeTemplate } from '../../testing/fakeKeelApi';
import { createKeelStore } from '../index';
import { initialDraftsState } from './draftSlice';
import { initialLedgerState } from './ledgerSlice';
import { initialLoopsState } from './loopsSlice';
import { initialMemoryState } from './memorySlice';
import { initialSearchState } from './searchSlice';
import { initialSourcesState } from './sourcesSlice';
import { initialSpacesState } from './spacesSlice';
import { initialTemplatesState } from './templatesSlice';
import { initialTrustState } from './trustSlice';
import { initialUiState } from './uiSlice';

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

describe('the engine’s state', () => {
  const locked = { status: 'locked' as const, encrypted: true };

  it('asks the engine first, and while locked loads nothing and polls nothing', async () => {
    const api = createFakeKeelApi();
    api.getEngineState.mockResolvedValue({ ok: true, value: locked });
    const store = createKeelStore(api);
    const stop = store.getState().start();
    await vi.waitFor(() => expect(store.getState().engineState).toEqual(locked));
    expect(api.getEngineState).toHaveBeenCalledTimes(1);
    expect(api.listSpaces).not.toHaveBeenCalled();
    expect(api.getModelStatus).not.toHaveBeenCalled();
    stop();
  });

  it('loads the workspace when an engine.state event says it opened', async () => {
    const api = createFakeKeelApi();
    api.getEngineState.mockResolvedValue({ ok: true, value: locked });
    const store = createKeelStore(api);
    const stop = store.getState().start();
    await vi.waitFor(() => expect(store.getState().engineState).toEqual(locked));

    api.emit({ type: 'engine.state', state: { status: 'open', encrypted: true } });
    await vi.waitFor(() => expect(store.getState().openLoop?.id).toBe('loop-1'));
    expect(store.getState().spaces).toHaveLength(1);
    expect(api.getSettings).toHaveBeenCalled();
    expect(api.getModelStatus).toHaveBeenCalled();
    stop();
  });

  it('lists the templates again when one arrives by sync, so an open New loop dialog offers it', async () => {
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    const stop = store.getState().start();
    await store.getState().loadTemplates();
    const arrived = makeTemplate({ id: 'tp-arrived', name: 'Price review', spaceId: 'space-1' });
    api.listTemplates.mockResolvedValue({ ok: true, value: [makeTemplate(), arrived] });
    api.emit({ type: 'templates.changed', spaceId: 'space-1' });
    await vi.waitFor(() =>
      expect(store.getState().templates?.map((template) => template.name)).toContain('Price review'),
    );
    stop();
  });

  it('clears the person’s data from the screen when it locks', async () => {
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    const stop = store.getState().start();
    await vi.waitFor(() => expect(store.getState().openLoop).not.toBeNull());
    store.getState().setComposerText('loop-1', 'Confidential');
    store.getState().openDialog({ kind: 'rename-loop', loopId: 'loop-1' });
    store.getState().openSettings('privacy');
    await store.getState().loadMemories();
    expect(store.getState().memories.length).toBeGreaterThan(0);

    api.emit({ type: 'engine.state', state: locked });
    const state = store.getState();
    expect(state.memories).toEqual([]);
    expect(state.memoryItems).toEqual({});
    expect(state.engineState).toEqual(locked);
    expect(state.openLoop).toBeNull();
    expect(state.loops).toEqual([]);
    expect(state.spaces).toEqual([]);
    expect(state.composerTexts).toEqual({});
    expect(state.dialog).toBeNull();
    expect(state.settingsOpen).toBe(false);
    stop();
  });

  it('every slice holding the person’s data is back to its initial state once it locks', async () => {
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    const stop = store.getState().start();
    await vi.waitFor(() => expect(store.getState().openLoop).not.toBeNull());
    await store.getState().loadTemplates();
    store.getState().setDraftText('loop-1', 'Confidential draft');
    store.getState().reportDamagedLoop('loop-2', { code: 'storage-corrupt', message: 'Damaged.' });
    store.getState().showError({ code: 'internal', message: 'About loop-1.' });

    api.emit({ type: 'engine.state', state: locked });
    const state = store.getState();
    for (const initial of [
      initialSpacesState,
      initialLoopsState,
      initialTemplatesState,
      initialDraftsState,
      initialMemoryState,
      initialSearchState,
      initialLedgerState,
      initialSourcesState,
      initialTrustState,
      initialUiState,
    ]) {
      expect(state).toMatchObject(initial);
    }
    stop();
  });

  it('a second open state (a passphrase change) loads nothing again', async () => {
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    const stop = store.getState().start();
    await vi.waitFor(() => expect(store.getState().openLoop).not.toBeNull());
    api.listSpaces.mockClear();
    api.emit({ type: 'engine.state', state: { status: 'open', encrypted: true } });
    await Promise.resolve();
    expect(store.getState().engineState?.encrypted).toBe(true);
    expect(api.listSpaces).not.toHaveBeenCalled();
    expect(store.getState().openLoop?.id).toBe('loop-1');
    stop();
  });

  it('started twice (React’s strict mode) loads the workspace once', async () => {
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    store.getState().start()();
    const stop = store.getState().start();
    await vi.waitFor(() => expect(store.getState().openLoop).not.toBeNull());
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(api.listSpaces).toHaveBeenCalledTimes(1);
    expect(api.listenerCount()).toBe(1);
    stop();
  });

  it('when the engine does not answer, keeps why, and Try again asks once more', async () => {
    const api = createFakeKeelApi();
    api.getEngineState.mockResolvedValueOnce(fail({ code: 'internal', message: 'No engine' }));
    const store = createKeelStore(api);
    const stop = store.getState().start();
    await vi.waitFor(() => expect(store.getState().engineStateError?.message).toBe('No engine'));
    await store.getState().refreshEngineState();
    expect(store.getState().engineStateError).toBeNull();
    expect(store.getState().engineState?.status).toBe('open');
    stop();
  });

  it('a workspace call refused as locked brings the lock screen', async () => {
    const api = createFakeKeelApi();
    const refused = fail({ code: 'locked', message: 'Keel is locked.' });
    api.listSpaces.mockResolvedValueOnce(refused);
    api.listLoops.mockResolvedValueOnce(refused);
    api.getSettings.mockResolvedValueOnce(refused);
    api.getEngineState.mockResolvedValue({ ok: true, value: locked });
    const store = createKeelStore(api);
    await store.getState().applyEngineState({ status: 'open', encrypted: true });
    expect(store.getState().engineState).toEqual(locked);
  });
});
