import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { DraftVersion } from '../../../../shared/domain';
import { fail, ok } from '../../../../shared/errors';
import { createFakeKeelApi, makeLoop, makeSummary, makeTurn } from '../../testing/fakeKeelApi';
import { createKeelStore } from '../index';
import { defaultAutosaveMs } from './draftSlice';

const at = '2025-01-01T11:00:00.000Z';

function version(overrides: Partial<DraftVersion> = {}): DraftVersion {
  return { id: 'dv-1', text: 'Earlier draft', source: 'saved', createdAt: at, ...overrides };
}

/** A store with loop-1 open and its draft synced, as the draft panel does. */
function setup(draft = 'First draft') {
  const api = createFakeKeelApi();
  const store = createKeelStore(api, { requestFrame: () => {} });
  const loop = makeLoop({ draft });
  store.setState({ openLoop: loop, loops: [makeSummary()] });
  store.getState().syncDraft(loop.id, loop.draft, loop.draftVersions);
  const edit = () => store.getState().drafts['loop-1'];
  return { api, store, edit };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('autosave', () => {
  it('saves once the person pauses, not on every keystroke', async () => {
    const { api, store, edit } = setup();
    store.getState().setDraftText('loop-1', 'First draft, a');
    await vi.advanceTimersByTimeAsync(defaultAutosaveMs / 2);
    store.getState().setDraftText('loop-1', 'First draft, ab');
    await vi.advanceTimersByTimeAsync(defaultAutosaveMs - 1);
    expect(api.saveDraft).not.toHaveBeenCalled();
    expect(edit()?.text).not.toBe(edit()?.savedText);

    await vi.advanceTimersByTimeAsync(1);
    expect(api.saveDraft).toHaveBeenCalledOnce();
    expect(api.saveDraft).toHaveBeenCalledWith({ loopId: 'loop-1', text: 'First draft, ab' });
    expect(edit()).toMatchObject({ text: 'First draft, ab', savedText: 'First draft, ab', saving: false });
    expect(store.getState().openLoop?.draft).toBe('First draft, ab');
  });

  it('flushing saves at once (blur, leaving the loop) and does nothing when nothing changed', async () => {
    const { api, store, edit } = setup();
    expect(await store.getState().flushDraft('loop-1')).toBe(true);
    expect(api.saveDraft).not.toHaveBeenCalled();

    store.getState().setDraftText('loop-1', 'Changed');
    expect(await store.getState().flushDraft('loop-1')).toBe(true);
    expect(api.saveDraft).toHaveBeenCalledOnce();
    expect(edit()?.savedText).toBe('Changed');
    // The pending autosave was cancelled: nothing more is sent later.
    await vi.advanceTimersByTimeAsync(defaultAutosaveMs * 2);
    expect(api.saveDraft).toHaveBeenCalledOnce();
  });

  it('text typed while a save is on its way stays and is saved next', async () => {
    const { api, store, edit } = setup();
    let answer: (
      value: ReturnType<typeof ok<{ draft: string; versions: DraftVersion[] }>>,
    ) => void = () => {};
    api.saveDraft.mockImplementationOnce(
      () =>
        new Promise((resolve) => {
          answer = resolve;
        }),
    );
    store.getState().setDraftText('loop-1', 'One');
    const saving = store.getState().flushDraft('loop-1');
    await vi.advanceTimersByTimeAsync(0);
    expect(edit()?.saving).toBe(true);
    store.getState().setDraftText('loop-1', 'One two');
    answer(ok({ draft: 'One', versions: [] }));
    await saving;
    expect(edit()).toMatchObject({ text: 'One two', savedText: 'One' });

    await vi.advanceTimersByTimeAsync(defaultAutosaveMs);
    expect(api.saveDraft).toHaveBeenLastCalledWith({ loopId: 'loop-1', text: 'One two' });
    expect(edit()).toMatchObject({ text: 'One two', savedText: 'One two' });
  });

  it('a failed save keeps the text and says why; trying again saves it', async () => {
    const { api, store, edit } = setup();
    api.saveDraft.mockResolvedValueOnce(fail({ code: 'storage-failed', message: 'The disk is full.' }));
    store.getState().setDraftText('loop-1', 'Precious paragraph');
    await vi.advanceTimersByTimeAsync(defaultAutosaveMs);
    expect(edit()).toMatchObject({
      text: 'Precious paragraph',
      savedText: 'First draft',
      saving: false,
      error: { code: 'storage-failed', message: 'The disk is full.' },
    });

    // Reopening the loop (the engine still has the old draft) does not overwrite what was typed.
    store.getState().syncDraft('loop-1', 'First draft', []);
    expect(edit()?.text).toBe('Precious paragraph');

    expect(await store.getState().saveDraft('loop-1')).toBe(true);
    expect(edit()).toMatchObject({
      text: 'Precious paragraph',
      savedText: 'Precious paragraph',
      error: null,
    });
  });

  it('a draft the engine changed elsewhere is taken when nothing is waiting to be saved', () => {
    const { store, edit } = setup();
    const versions = [version()];
    store.getState().syncDraft('loop-1', 'Written in another window', versions);
    expect(edit()).toMatchObject({ text: 'Written in another window', versions });
  });
});

describe('versions', () => {
  it('"Save version" keeps the draft as a version even when it is saved already', async () => {
    const { api, store, edit } = setup();
    const kept = [version({ id: 'dv-2', text: 'First draft' })];
    api.saveDraft.mockResolvedValueOnce(ok({ draft: 'First draft', versions: kept }));
    expect(await store.getState().saveDraft('loop-1', { keepVersion: true })).toBe(true);
    expect(api.saveDraft).toHaveBeenCalledWith({ loopId: 'loop-1', text: 'First draft', keepVersion: true });
    expect(edit()?.versions).toEqual(kept);
    expect(store.getState().openLoop?.draftVersions).toEqual(kept);
  });

  it('restoring saves what was typed first, then takes the restored text', async () => {
    const { api, store, edit } = setup();
    const versions = [version(), version({ id: 'dv-2', text: 'Typed', source: 'before-restore' })];
    api.restoreDraftVersion.mockResolvedValueOnce(ok({ draft: 'Earlier draft', versions }));
    store.getState().setDraftText('loop-1', 'Typed');

    const result = await store.getState().restoreDraftVersion('loop-1', 'dv-1');
    expect(result.ok).toBe(true);
    expect(api.saveDraft).toHaveBeenCalledWith({ loopId: 'loop-1', text: 'Typed' });
    expect(api.saveDraft.mock.invocationCallOrder[0]).toBeLessThan(
      api.restoreDraftVersion.mock.invocationCallOrder[0] ?? 0,
    );
    expect(api.restoreDraftVersion).toHaveBeenCalledWith({ loopId: 'loop-1', versionId: 'dv-1' });
    expect(edit()).toMatchObject({ text: 'Earlier draft', savedText: 'Earlier draft', versions });
    expect(store.getState().openLoop).toMatchObject({ draft: 'Earlier draft', draftVersions: versions });
    await vi.advanceTimersByTimeAsync(defaultAutosaveMs * 2);
    expect(api.saveDraft).toHaveBeenCalledOnce();
  });

  it('a failed restore leaves the draft as it was and says why', async () => {
    const { api, store, edit } = setup();
    api.restoreDraftVersion.mockResolvedValueOnce(
      fail({ code: 'not-found', message: 'That draft version no longer exists.' }),
    );
    const result = await store.getState().restoreDraftVersion('loop-1', 'dv-9');
    expect(result).toEqual({
      ok: false,
      error: { code: 'not-found', message: 'That draft version no longer exists.' },
    });
    expect(edit()?.text).toBe('First draft');
  });
});

describe('refine', () => {
  const base = 'Alpha\n\nBeta\n\nGamma\n';
  const refineTurn = makeTurn({
    id: 'turn-refine',
    author: 'ai',
    move: 'refine',
    status: 'complete',
    refineBase: base,
    text: 'Alpha\n\nBeta, sharper\n\nGamma, sharper\n',
  });

  it('taking changes updates the draft, its versions and the refine turn', async () => {
    const { api, store, edit } = setup(base);
    store.setState((state) => ({
      openLoop: state.openLoop && { ...state.openLoop, turns: [refineTurn], turnCount: 1 },
    }));
    const versions = [
      version({ id: 'dv-2', text: base, source: 'before-refine' }),
      version({
        id: 'dv-3',
        text: 'Alpha\n\nBeta, sharper\n\nGamma\n',
        source: 'refine',
        note: '1 of 2 changes taken',
      }),
    ];
    const applied = { ...refineTurn, applied: { hunks: [0], at } };
    api.applyRefine.mockResolvedValueOnce(
      ok({ draft: 'Alpha\n\nBeta, sharper\n\nGamma\n', versions, turn: applied }),
    );

    const result = await store.getState().applyRefine('loop-1', 'turn-refine', [0]);
    expect(result.ok).toBe(true);
    expect(api.applyRefine).toHaveBeenCalledWith({ loopId: 'loop-1', turnId: 'turn-refine', hunks: [0] });
    expect(edit()).toMatchObject({ text: 'Alpha\n\nBeta, sharper\n\nGamma\n', versions });
    expect(store.getState().openLoop?.draft).toBe('Alpha\n\nBeta, sharper\n\nGamma\n');
    expect(store.getState().openLoop?.turns[0]?.applied).toEqual({ hunks: [0], at });
  });

  it('a draft that no longer fits the changes is said in words and left alone', async () => {
    const { api, store, edit } = setup(base);
    const message =
      'The draft changed since this revision was proposed, and the chosen changes no longer fit it.';
    api.applyRefine.mockResolvedValueOnce(fail({ code: 'invalid-input', message }));
    store.getState().setDraftText('loop-1', 'Something else entirely');
    const result = await store.getState().applyRefine('loop-1', 'turn-refine', [0, 1]);
    expect(result).toMatchObject({ ok: false, error: { message } });
    // What the person typed was saved first and is still there.
    expect(api.saveDraft).toHaveBeenCalledWith({ loopId: 'loop-1', text: 'Something else entirely' });
    expect(edit()?.text).toBe('Something else entirely');
  });

  it('asking for a refine saves the draft first, so the AI revises what the person sees', async () => {
    const { api, store } = setup();
    store.getState().setDraftText('loop-1', 'Newest words');
    expect(await store.getState().requestMove('refine')).toBe(true);
    expect(api.saveDraft).toHaveBeenCalledWith({ loopId: 'loop-1', text: 'Newest words' });
    expect(api.saveDraft.mock.invocationCallOrder[0]).toBeLessThan(
      api.requestMove.mock.invocationCallOrder[0] ?? 0,
    );
    expect(api.requestMove).toHaveBeenCalledWith({ loopId: 'loop-1', move: 'refine' });
  });

  it('a refine is not asked for when the draft could not be saved', async () => {
    const { api, store } = setup();
    api.saveDraft.mockResolvedValueOnce(fail({ code: 'storage-failed', message: 'The disk is full.' }));
    store.getState().setDraftText('loop-1', 'Newest words');
    expect(await store.getState().requestMove('refine')).toBe(false);
    expect(api.requestMove).not.toHaveBeenCalled();
    expect(store.getState().notices.map((notice) => notice.error.message)).toEqual(['The disk is full.']);
  });
});

describe('focus', () => {
  it('"Focus the draft" is a request the editor can follow', () => {
    const { store } = setup();
    const before = store.getState().draftFocusRequest;
    store.getState().requestDraftFocus();
    expect(store.getState().draftFocusRequest).toBe(before + 1);
  });
});
