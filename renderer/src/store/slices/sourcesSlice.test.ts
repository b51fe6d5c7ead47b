import { describe, expect, it, vi } from 'vitest';
import { limits, type CallResult } from '../../../../shared/contract';
import { fail, ok, type Result } from '../../../../shared/errors';
import { createFakeKeelApi, makeLoop, makeSource, makeTurn } from '../../testing/fakeKeelApi';
import { createKeelStore } from '../index';
import { loopSources, sourcePanelKey, sourceStateIn, type SourceFileInput } from './sourcesSlice';

const space = { spaceId: 'space-1' };
const panel = sourcePanelKey(space);

function file(name: string, overrides: Partial<SourceFileInput> = {}): SourceFileInput {
  return {
    name,
    bytes: 2_000,
    mimeType: '',
    readBytes: async () => new TextEncoder().encode('%PDF-').buffer,
    ...overrides,
  };
}

describe('the sources of a space', () => {
  it('lists them, and drops an answer overtaken by a later one', async () => {
    const api = createFakeKeelApi();
    let answerSlow: (value: Result<CallResult<'listSources'>>) => void = () => {};
    api.listSources.mockReturnValueOnce(new Promise((resolve) => (answerSlow = resolve)));
    api.listSources.mockResolvedValueOnce(ok([makeSource({ id: 'source-new' })]));
    const store = createKeelStore(api);
    const slow = store.getState().loadSources('space-1');
    await store.getState().loadSources('space-1');
    answerSlow(ok([makeSource({ id: 'source-old' })]));
    await slow;
    expect(store.getState().sources['space-1']?.map((source) => source.id)).toEqual(['source-new']);
    expect(api.listSources).toHaveBeenLastCalledWith({ spaceId: 'space-1' });
  });

  it('keeps why they could not be listed', async () => {
    const api = createFakeKeelApi();
    api.listSources.mockResolvedValueOnce(fail({ code: 'storage-failed', message: 'Disk full.' }));
    const store = createKeelStore(api);
    await store.getState().loadSources('space-1');
    expect(store.getState().sourcesErrors['space-1']?.message).toBe('Disk full.');
    await store.getState().loadSources('space-1');
    expect(store.getState().sourcesErrors['space-1']).toBeUndefined();
  });

  it('a loop draws from the space’s own sources and its own, and knows which it pinned or left out', () => {
    const list = [
      makeSource({ id: 'space-wide', pinnedIn: ['loop-1'] }),
      makeSource({ id: 'mine', loopId: 'loop-1', leftOutOf: [] }),
      makeSource({ id: 'other-loop', loopId: 'loop-2', leftOutOf: ['loop-1'] }),
    ];
    expect(loopSources(list, 'loop-1').map((source) => source.id)).toEqual(['space-wide', 'mine']);
    expect(sourceStateIn(list[0]!, 'loop-1')).toBe('pinned');
    expect(sourceStateIn(list[1]!, 'loop-1')).toBe('auto');
    expect(sourceStateIn(list[2]!, 'loop-1')).toBe('left-out');
  });
});

describe('adding files', () => {
  it('sends them one after another with an upload id, and lists each once it is in', async () => {
    const api = createFakeKeelApi();
    api.listSources.mockResolvedValueOnce(ok([]));
    const store = createKeelStore(api);
    await store.getState().loadSources('space-1');
    let finishFirst: (value: Result<CallResult<'addSource'>>) => void = () => {};
    api.addSource.mockReturnValueOnce(new Promise((resolve) => (finishFirst = resolve)));

    const adding = store
      .getState()
      .addSourceFiles({ spaceId: 'space-1', loopId: 'loop-1' }, 'loop:loop-1', [
        file('report.pdf', { mimeType: 'application/pdf' }),
        file('notes.md'),
      ]);
    await vi.waitFor(() => expect(api.addSource).toHaveBeenCalledTimes(1));
    expect(store.getState().sourceUploads.map((upload) => [upload.name, upload.started])).toEqual([
      ['report.pdf', true],
      ['notes.md', false],
    ]);
    const first = api.addSource.mock.calls[0]![0];
    expect(first).toMatchObject({
      spaceId: 'space-1',
      loopId: 'loop-1',
      fileName: 'report.pdf',
      format: 'pdf',
      mimeType: 'application/pdf',
      file: expect.stringMatching(/^up-/),
    });
    // The bytes went as bytes, not as text inside the call.
    expect(api.upload).toHaveBeenCalledWith(expect.any(ArrayBuffer), 'source');
    expect(first.uploadId).toMatch(/^upload-/);

    // The engine's progress reaches the upload it names, and nothing else.
    store.getState().start();
    api.emit({
      type: 'source.progress',
      progress: { uploadId: first.uploadId!, name: 'report.pdf', stage: 'reading', done: 1, total: 2 },
    });
    api.emit({
      type: 'source.progress',
      progress: { uploadId: 'another-window', name: 'x.pdf', stage: 'reading', done: 1, total: 2 },
    });
    expect(store.getState().sourceUploads[0]?.progress).toMatchObject({ stage: 'reading', done: 1 });
    expect(store.getState().sourceUploads).toHaveLength(2);

    finishFirst(ok({ source: makeSource({ id: 'source-report', name: 'report.pdf' }), alreadyAdded: false }));
    await adding;
    expect(api.addSource).toHaveBeenCalledTimes(2);
    expect(api.addSource.mock.calls[1]![0]).toMatchObject({ fileName: 'notes.md', format: 'markdown' });
    expect(store.getState().sourceUploads).toEqual([]);
    expect(store.getState().sources['space-1']?.map((source) => source.name)).toEqual([
      'report.pdf',
      'notes.md',
    ]);
    expect(store.getState().sourceProblems).toEqual([]);
  });

  it('refuses a file over the limit or of another kind without reading it, and the others still go in', async () => {
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    const readHuge = vi.fn(async () => new ArrayBuffer(0));
    await store
      .getState()
      .addSourceFiles(space, panel, [
        file('huge.pdf', { bytes: limits.sourceBytes + 1, readBytes: readHuge }),
        file('photo.png', { mimeType: 'image/png' }),
        file('fine.txt'),
      ]);
    expect(readHuge).not.toHaveBeenCalled();
    expect(api.addSource).toHaveBeenCalledTimes(1);
    const messages = store.getState().sourceProblems.map((problem) => [problem.panel, problem.message]);
    expect(messages[0]).toEqual([panel, expect.stringMatching(/^huge\.pdf is over the 50 MB limit/)]);
    expect(messages[1]).toEqual([
      panel,
      expect.stringMatching(/^photo\.png was not added: Keel does not read \.png files/),
    ]);
  });

  it('says why one file could not be read, naming it, and goes on with the next', async () => {
    const api = createFakeKeelApi();
    api.addSource.mockResolvedValueOnce(
      fail({ code: 'source-unreadable', message: 'broken.pdf is damaged: it could not be read.' }),
    );
    api.addSource.mockResolvedValueOnce(fail({ code: 'storage-failed', message: 'The disk is full.' }));
    const store = createKeelStore(api);
    await store
      .getState()
      .addSourceFiles(space, panel, [
        file('broken.pdf'),
        file('full.csv'),
        file('gone.txt', { readBytes: () => Promise.reject(new Error('NotFoundError')) }),
        file('good.docx'),
      ]);
    expect(store.getState().sourceProblems.map((problem) => [problem.tone, problem.message])).toEqual([
      ['error', 'broken.pdf is damaged: it could not be read.'],
      ['error', 'full.csv: The disk is full.'],
      ['error', 'gone.txt could not be read from your computer: it may have been moved or deleted.'],
    ]);
    expect(api.addSource).toHaveBeenCalledTimes(3);
    expect(api.addSource.mock.calls[2]![0]).toMatchObject({ fileName: 'good.docx', format: 'docx' });
    expect(store.getState().sourceUploads).toEqual([]);

    expect(store.getState().sourceProblems.map((problem) => problem.fileName)).toEqual([
      'broken.pdf',
      'full.csv',
      'gone.txt',
    ]);
    const first = store.getState().sourceProblems[0]!;
    store.getState().dismissSourceProblem(first.id);
    expect(store.getState().sourceProblems).toHaveLength(2);
  });

  it('ends the sentence once, whether or not the engine’s message has its own full stop', async () => {
    const api = createFakeKeelApi();
    api.addSource.mockResolvedValueOnce(
      fail({ code: 'storage-failed', message: 'Keel is locked. Unlock it with your passphrase first.' }),
    );
    api.addSource.mockResolvedValueOnce(fail({ code: 'busy', message: 'Keel is busy with another file' }));
    const store = createKeelStore(api);
    await store.getState().addSourceFiles(space, panel, [file('a.pdf'), file('b.pdf')]);
    expect(store.getState().sourceProblems.map((problem) => problem.message)).toEqual([
      'a.pdf: Keel is locked. Unlock it with your passphrase first.',
      'b.pdf: Keel is busy with another file.',
    ]);
  });

  it('says so when the same file is already in the space or the loop', async () => {
    const api = createFakeKeelApi();
    api.addSource.mockResolvedValueOnce(
      ok({ source: makeSource({ name: 'Q3 report.pdf' }), alreadyAdded: true }),
    );
    api.addSource.mockResolvedValueOnce(ok({ source: makeSource({ name: 'Renamed' }), alreadyAdded: true }));
    api.addSource.mockResolvedValueOnce(
      ok({ source: makeSource({ name: 'mine.pdf', loopId: 'loop-1' }), alreadyAdded: true }),
    );
    const store = createKeelStore(api);
    await store
      .getState()
      .addSourceFiles(space, panel, [file('Q3 report.pdf'), file('copy.pdf'), file('mine.pdf')]);
    expect(store.getState().sourceProblems.map((problem) => [problem.tone, problem.message])).toEqual([
      ['notice', 'Q3 report.pdf is already in this space: it was not added again.'],
      ['notice', 'copy.pdf is already in this space, as “Renamed”: it was not added again.'],
      ['notice', 'mine.pdf is already in this loop: it was not added again.'],
    ]);
  });

  it('says so when a loop’s own source, added to the whole space, becomes the space’s', async () => {
    const api = createFakeKeelApi();
    api.listSources.mockResolvedValueOnce(ok([makeSource({ loopId: 'loop-1' })]));
    api.addSource.mockResolvedValueOnce(ok({ source: makeSource(), alreadyAdded: true }));
    const store = createKeelStore(api);
    await store.getState().loadSources('space-1');
    await store.getState().addSourceFiles(space, panel, [file('Q3 report.pdf')]);
    expect(store.getState().sourceProblems.map((problem) => problem.message)).toEqual([
      'Q3 report.pdf was already a source of one loop: it is now a source of every loop in this space.',
    ]);
    expect(store.getState().sources['space-1']?.[0]?.loopId).toBeUndefined();
  });

  it('adds pasted text under its title and hands back why it failed to the dialog', async () => {
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    const added = await store
      .getState()
      .addPastedSource(space, panel, { title: 'Call notes', text: '# Call\nDana', format: 'markdown' });
    expect(added.ok).toBe(true);
    expect(api.addSource).toHaveBeenLastCalledWith(
      expect.objectContaining({ fileName: 'Call notes', text: '# Call\nDana', format: 'markdown' }),
    );
    expect(api.addSource.mock.calls[0]![0]).not.toHaveProperty('file');
    expect(api.upload).not.toHaveBeenCalled();

    api.addSource.mockResolvedValueOnce(fail({ code: 'source-unreadable', message: 'No text in it.' }));
    const refused = await store
      .getState()
      .addPastedSource(space, panel, { title: 'Empty', text: ' ', format: 'text' });
    expect(refused).toEqual(fail({ code: 'source-unreadable', message: 'No text in it.' }));
    expect(store.getState().sourceProblems).toEqual([]);
  });

  it('drops what was on its way when the workspace locks', async () => {
    const api = createFakeKeelApi();
    let finish: (value: Result<CallResult<'addSource'>>) => void = () => {};
    api.addSource.mockReturnValueOnce(new Promise((resolve) => (finish = resolve)));
    const store = createKeelStore(api);
    await store.getState().loadSources('space-1');
    const adding = store.getState().addSourceFiles(space, panel, [file('a.pdf'), file('b.pdf')]);
    await vi.waitFor(() => expect(api.addSource).toHaveBeenCalledTimes(1));
    store.getState().clearWorkspace();
    finish(fail({ code: 'locked', message: 'Keel is locked.' }));
    await adding;
    expect(api.addSource).toHaveBeenCalledTimes(1);
    expect(store.getState().sourceUploads).toEqual([]);
    expect(store.getState().sourceProblems).toEqual([]);
    expect(store.getState().sources).toEqual({});
  });
});

describe('changing a source', () => {
  it('renames it in the list and in the viewer', async () => {
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    await store.getState().loadSources('space-1');
    store.getState().openSourceViewer('source-1');
    await vi.waitFor(() => expect(store.getState().sourceReading?.status).toBe('ready'));
    await store.getState().renameSource('source-1', 'Quarterly');
    expect(store.getState().sources['space-1']?.[0]?.name).toBe('Quarterly');
    const reading = store.getState().sourceReading;
    expect(reading?.status === 'ready' && reading.source.name).toBe('Quarterly');
  });

  it('removes it from the list, closes its viewer, and marks the open loop’s citations of it removed', async () => {
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    const cited = makeTurn({
      id: 'turn-cited',
      author: 'ai',
      move: 'explore',
      passages: [
        { label: 'P1', sourceId: 'source-1', index: 1, page: 2 },
        { label: 'P2', sourceId: 'source-2', index: 0, section: 'Pricing' },
      ],
    });
    const plain = makeTurn({ id: 'turn-plain' });
    store.setState({ openLoop: makeLoop({ turns: [plain, cited] }) });
    await store.getState().loadSources('space-1');
    store.getState().openSourceViewer('source-1', { passageIndex: 1, label: 'P1' });

    await store.getState().removeSource('source-1');
    expect(store.getState().sources['space-1']).toEqual([]);
    expect(store.getState().sourceViewer).toBeNull();
    const turns = store.getState().openLoop?.turns ?? [];
    expect(turns[0]).toBe(plain);
    expect(turns[1]?.passages).toEqual([
      { label: 'P1', sourceId: 'source-1', index: 1, removed: true },
      { label: 'P2', sourceId: 'source-2', index: 0, section: 'Pricing' },
    ]);
  });

  it('pins it to a loop or leaves it out', async () => {
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    await store.getState().loadSources('space-1');
    await store.getState().setSourceInLoop({ sourceId: 'source-1', loopId: 'loop-1', state: 'left-out' });
    expect(api.setSourceInLoop).toHaveBeenCalledWith({
      sourceId: 'source-1',
      loopId: 'loop-1',
      state: 'left-out',
    });
    expect(store.getState().sources['space-1']?.[0]?.leftOutOf).toEqual(['loop-1']);
  });
});

describe('the source viewer', () => {
  it('reads the source once, and opens again at another passage without reading it again', async () => {
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    store.getState().openSourceViewer('source-1', { passageIndex: 1, label: 'P1' });
    expect(store.getState().sourceReading).toEqual({ status: 'loading', sourceId: 'source-1' });
    await vi.waitFor(() => expect(store.getState().sourceReading?.status).toBe('ready'));
    const first = store.getState().sourceViewer!;
    expect(first).toMatchObject({ sourceId: 'source-1', passageIndex: 1, label: 'P1' });

    store.getState().openSourceViewer('source-1', { passageIndex: 0 });
    expect(store.getState().sourceViewer?.request).toBeGreaterThan(first.request);
    expect(store.getState().sourceViewer).not.toHaveProperty('label');
    expect(api.readSource).toHaveBeenCalledTimes(1);
  });

  it('forgets the text when it closes, so opening the source again reads it afresh', async () => {
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    store.getState().openSourceViewer('source-1');
    await vi.waitFor(() => expect(store.getState().sourceReading?.status).toBe('ready'));
    store.getState().closeSourceViewer();
    expect(store.getState().sourceReading).toBeNull();

    store.getState().openSourceViewer('source-1', { passageIndex: 1 });
    expect(store.getState().sourceReading).toEqual({ status: 'loading', sourceId: 'source-1' });
    await vi.waitFor(() => expect(store.getState().sourceReading?.status).toBe('ready'));
    expect(api.readSource).toHaveBeenCalledTimes(2);
  });

  it('drops an answer that comes after the viewer closed, or after it was opened again', async () => {
    const api = createFakeKeelApi();
    const answers: ((value: Result<CallResult<'readSource'>>) => void)[] = [];
    api.readSource.mockImplementation(() => new Promise((resolve) => answers.push(resolve)));
    const store = createKeelStore(api);
    store.getState().openSourceViewer('source-1');
    store.getState().closeSourceViewer();
    store.getState().openSourceViewer('source-1');
    answers[0]!(ok({ source: makeSource({ name: 'Old text' }), passages: [] }));
    await Promise.resolve();
    expect(store.getState().sourceReading).toEqual({ status: 'loading', sourceId: 'source-1' });
    answers[1]!(ok({ source: makeSource({ name: 'Fresh text' }), passages: [] }));
    await vi.waitFor(() => expect(store.getState().sourceReading?.status).toBe('ready'));
    const reading = store.getState().sourceReading;
    expect(reading?.status === 'ready' && reading.source.name).toBe('Fresh text');
  });

  it('a source removed after its viewer closed is not shown again from an old search result', async () => {
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    const result = {
      kind: 'source' as const,
      spaceId: 'space-1',
      sourceId: 'source-1',
      passageIndex: 1,
      title: 'Q3 report.pdf',
      snippet: 'churn fell',
      at: '2025-01-01T10:00:00.000Z',
      score: 1,
    };
    const other = { ...result, sourceId: 'source-2', title: 'Pricing.md' };
    store.setState({ searchResults: [result, other] });
    await store.getState().openSearchResult(result);
    await vi.waitFor(() => expect(store.getState().sourceReading?.status).toBe('ready'));
    store.getState().closeSourceViewer();

    await store.getState().removeSource('source-1');
    expect(store.getState().searchResults).toEqual([other]);

    // Another window's search still lists it: the engine is asked, and says it is gone.
    const gone = { code: 'not-found', message: 'That source is no longer here: it was removed.' } as const;
    api.readSource.mockResolvedValueOnce(fail(gone));
    await store.getState().openSearchResult(result);
    expect(store.getState().sourceReading).toEqual({ status: 'loading', sourceId: 'source-1' });
    await vi.waitFor(() => expect(store.getState().sourceReading?.status).toBe('failed'));
    expect(store.getState().sourceReading).toEqual({ status: 'failed', sourceId: 'source-1', error: gone });
    expect(api.readSource).toHaveBeenCalledTimes(2);
  });

  it('forgets a removed source’s text even when it is removed while a reading is on its way', async () => {
    const api = createFakeKeelApi();
    let answer: (value: Result<CallResult<'readSource'>>) => void = () => {};
    api.readSource.mockReturnValueOnce(new Promise((resolve) => (answer = resolve)));
    const store = createKeelStore(api);
    store.getState().openSourceViewer('source-1');
    await store.getState().removeSource('source-1');
    expect(store.getState().sourceViewer).toBeNull();
    expect(store.getState().sourceReading).toBeNull();
    answer(ok({ source: makeSource(), passages: [] }));
    await Promise.resolve();
    expect(store.getState().sourceReading).toBeNull();
  });

  it('says why a source could not be read, and drops an answer for a source no longer shown', async () => {
    const api = createFakeKeelApi();
    api.readSource.mockResolvedValueOnce(fail({ code: 'not-found', message: 'That source is gone.' }));
    const store = createKeelStore(api);
    store.getState().openSourceViewer('source-gone');
    await vi.waitFor(() => expect(store.getState().sourceReading?.status).toBe('failed'));

    let answer: (value: Result<CallResult<'readSource'>>) => void = () => {};
    api.readSource.mockReturnValueOnce(new Promise((resolve) => (answer = resolve)));
    store.getState().openSourceViewer('source-slow');
    store.getState().openSourceViewer('source-1');
    answer(ok({ source: makeSource({ id: 'source-slow' }), passages: [] }));
    await vi.waitFor(() => expect(store.getState().sourceReading?.status).toBe('ready'));
    expect(store.getState().sourceReading?.sourceId).toBe('source-1');
  });

  it('a search result for a source opens the viewer at its passage, over the search page', async () => {
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    store.getState().openSearch();
    await store.getState().openSearchResult({
      kind: 'source',
      spaceId: 'space-1',
      sourceId: 'source-1',
      passageIndex: 1,
      title: 'Q3 report.pdf',
      snippet: 'churn fell',
      at: '2025-01-01T10:00:00.000Z',
      score: 1,
    });
    expect(store.getState().searchOpen).toBe(true);
    expect(store.getState().sourceViewer).toMatchObject({ sourceId: 'source-1', passageIndex: 1 });
  });
});

describe('the sources panel and the turns', () => {
  it('the palette opens the open loop’s panel and asks it to take focus, leaving settings', () => {
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    store.setState({ openLoop: makeLoop() });
    store.getState().openSettings();
    store.getState().showSourcesPanel();
    expect(store.getState().settingsOpen).toBe(false);
    expect(store.getState().sourcesPanelLoopId).toBe('loop-1');
    expect(store.getState().sourcesFocusRequest).toBe(1);
  });

  it('a finished turn that used passages refreshes its space’s "used in" counts', async () => {
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    store.setState({ openLoop: makeLoop() });
    store.getState().start();
    const finished = makeTurn({ id: 'turn-ai', author: 'ai', move: 'explore', status: 'complete' });

    // Sources not listed yet: nothing to refresh.
    api.emit({
      type: 'turn.finished',
      loopId: 'loop-1',
      turn: { ...finished, passages: [{ label: 'P1', sourceId: 'source-1', index: 0 }] },
    });
    expect(api.listSources).not.toHaveBeenCalled();

    await store.getState().loadSources('space-1');
    api.emit({ type: 'turn.finished', loopId: 'loop-1', turn: { ...finished, passages: [] } });
    expect(api.listSources).toHaveBeenCalledTimes(1);
    api.emit({
      type: 'turn.finished',
      loopId: 'loop-1',
      turn: { ...finished, passages: [{ label: 'P1', sourceId: 'source-1', index: 0 }] },
    });
    expect(api.listSources).toHaveBeenCalledTimes(2);
  });
});
