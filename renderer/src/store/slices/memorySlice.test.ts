import { describe, expect, it, vi } from 'vitest';
import { fail, ok } from '../../../../shared/errors';
import { createFakeKeelApi, makeLoop, makeMemory, makeTurn } from '../../testing/fakeKeelApi';
import { createKeelStore } from '../index';
import { notRelevantKey, reviewPlace, suggestionPlace } from './memorySlice';

describe('the memory page', () => {
  it('opens in place of settings, loads memories, suggestions and due reviews, and closes with a loop', async () => {
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    store.getState().openSettings();
    store.getState().openMemory({ section: 'reviews' });
    expect(store.getState().settingsOpen).toBe(false);
    expect(store.getState().memoryOpen).toBe(true);
    expect(store.getState().memoryTarget?.section).toBe('reviews');
    await vi.waitFor(() => expect(store.getState().memories).toHaveLength(1));
    await vi.waitFor(() => expect(store.getState().suggestions).toHaveLength(1));
    await vi.waitFor(() => expect(store.getState().dueReviews).toHaveLength(1));

    await store.getState().openLoopById('loop-1');
    expect(store.getState().memoryOpen).toBe(false);
    store.getState().openMemory();
    store.getState().openSettings();
    expect(store.getState().memoryOpen).toBe(false);
  });

  it('filters by kind, origin and words in the engine, and by scope too', async () => {
    const api = createFakeKeelApi();
    api.listMemories.mockResolvedValue(
      ok([
        makeMemory({ id: 'memory-a', scope: { type: 'everywhere' } }),
        makeMemory({ id: 'memory-b', scope: { type: 'space', spaceId: 'space-1' } }),
        makeMemory({ id: 'memory-c', scope: { type: 'loop', spaceId: 'space-1', loopId: 'loop-1' } }),
      ]),
    );
    const store = createKeelStore(api);
    await store.getState().setMemoryFilters({ kind: 'lesson', origin: 'learn', query: '  memo ' });
    expect(api.listMemories).toHaveBeenLastCalledWith({ kind: 'lesson', origin: 'learn', query: 'memo' });
    expect(store.getState().memories.map((item) => item.id)).toEqual(['memory-a', 'memory-b', 'memory-c']);

    await store.getState().setMemoryFilters({ kind: '', origin: '', query: '', scope: 'space-1' });
    expect(api.listMemories).toHaveBeenLastCalledWith({ spaceId: 'space-1' });
    expect(store.getState().memories.map((item) => item.id)).toEqual(['memory-b', 'memory-c']);

    await store.getState().setMemoryFilters({ scope: 'everywhere' });
    expect(api.listMemories).toHaveBeenLastCalledWith({});
    expect(store.getState().memories.map((item) => item.id)).toEqual(['memory-a']);
  });

  it('keeps only the answer to the latest filters', async () => {
    const api = createFakeKeelApi();
    let answerSlow: (value: ReturnType<typeof ok<ReturnType<typeof makeMemory>[]>>) => void = () => {};
    api.listMemories.mockReturnValueOnce(new Promise((resolve) => (answerSlow = resolve)));
    api.listMemories.mockResolvedValueOnce(ok([makeMemory({ id: 'memory-new' })]));
    const store = createKeelStore(api);
    const slow = store.getState().setMemoryFilters({ query: 'a' });
    await store.getState().setMemoryFilters({ query: 'ab' });
    answerSlow(ok([makeMemory({ id: 'memory-old' })]));
    await slow;
    expect(store.getState().memories.map((item) => item.id)).toEqual(['memory-new']);
  });

  it('says why the list could not be loaded', async () => {
    const api = createFakeKeelApi();
    api.listMemories.mockResolvedValueOnce(fail({ code: 'storage-failed', message: 'Disk.' }));
    const store = createKeelStore(api);
    await store.getState().loadMemories();
    expect(store.getState().memoriesError?.message).toBe('Disk.');
  });

  it('remembers, keeping the outcome where it was asked for, and lists the new item', async () => {
    const api = createFakeKeelApi();
    const previous = makeMemory({ id: 'memory-1', text: 'Memos under two pages' });
    api.remember.mockResolvedValueOnce(
      ok({
        action: 'superseded',
        item: makeMemory({ id: 'memory-1', text: 'Memos under one page' }),
        previousText: previous.text,
        decidedBy: 'model',
      }),
    );
    const store = createKeelStore(api);
    await store.getState().loadMemories();
    const result = await store
      .getState()
      .remember({ text: 'Memos under one page', scope: { type: 'everywhere' } }, 'add');
    expect(result.ok).toBe(true);
    expect(store.getState().memoryOutcomes['add']?.previousText).toBe('Memos under two pages');
    expect(store.getState().memories.map((item) => item.text)).toEqual(['Memos under one page']);

    await store.getState().remember({ text: 'Dana is the CFO', scope: { type: 'everywhere' } }, 'add');
    expect(store.getState().memories.map((item) => item.id)).toEqual(['memory-new', 'memory-1']);
    expect(store.getState().memoryItems['memory-new']?.text).toBe('Dana is the CFO');
    store.getState().dismissOutcome('add');
    expect(store.getState().memoryOutcomes).toEqual({});
  });

  it('edits, pins and forgets a memory', async () => {
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    await store.getState().loadMemories();
    await store.getState().selectMemory('memory-1');
    await store.getState().updateMemory({ memoryId: 'memory-1', text: 'Short memos', pinned: true });
    expect(store.getState().memories[0]).toMatchObject({ text: 'Short memos', pinned: true });

    await store.getState().forgetMemory('memory-1');
    expect(api.forgetMemory).toHaveBeenCalledWith({ memoryId: 'memory-1' });
    expect(store.getState().memories).toEqual([]);
    expect(store.getState().memoryItems['memory-1']).toBeNull();
    expect(store.getState().selectedMemoryId).toBeNull();
  });

  it('fetches the memories a turn used once, and knows a forgotten one', async () => {
    const api = createFakeKeelApi();
    api.getMemory.mockImplementation(async ({ memoryId }) =>
      memoryId === 'memory-gone'
        ? fail({ code: 'not-found', message: 'That memory no longer exists.' })
        : ok(makeMemory({ id: memoryId })),
    );
    const store = createKeelStore(api);
    await store.getState().fetchMemories(['memory-1', 'memory-gone']);
    await store.getState().fetchMemories(['memory-1', 'memory-gone']);
    expect(api.getMemory).toHaveBeenCalledTimes(2);
    expect(store.getState().memoryItems['memory-1']?.id).toBe('memory-1');
    expect(store.getState().memoryItems['memory-gone']).toBeNull();
  });

  it('marks a memory not relevant to a turn', async () => {
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    await store.getState().markNotRelevant({ memoryId: 'memory-1', loopId: 'loop-1', turnId: 'turn-ai' });
    expect(store.getState().notRelevantMarks[notRelevantKey('turn-ai', 'memory-1')]).toBe(true);
    expect(store.getState().memoryItems['memory-1']?.notRelevant).toHaveLength(1);
  });
});

describe('Learn', () => {
  it('proposes lessons, stores only the accepted one, and reloads the loop for its Learned turn', async () => {
    const api = createFakeKeelApi();
    const learned = makeTurn({ id: 'turn-learned', move: 'learn', text: 'Learned: Keep memos very short' });
    api.getLoop.mockResolvedValue(ok(makeLoop({ turns: [learned], turnCount: 1 })));
    const store = createKeelStore(api);
    await store.getState().openLoopById('loop-1');
    api.proposeLessons.mockResolvedValueOnce(
      ok([
        { kind: 'preference', text: 'Keep memos short', scope: 'space', turnIds: ['turn-1'] },
        { kind: 'lesson', text: 'Ask Dana first', scope: 'loop', turnIds: [] },
      ]),
    );
    const proposing = store.getState().proposeLessons('loop-1');
    expect(store.getState().lessons['loop-1']?.status).toBe('loading');
    await proposing;
    const ready = store.getState().lessons['loop-1'];
    if (ready?.status !== 'ready') throw new Error('not ready');
    const [first, second] = ready.cards;

    store.getState().rejectLesson('loop-1', second!.key);
    const result = await store.getState().acceptLesson('loop-1', first!.key, {
      kind: 'principle',
      text: 'Keep memos very short',
      scope: 'everywhere',
    });
    expect(result.ok).toBe(true);
    expect(api.acceptLesson).toHaveBeenCalledTimes(1);
    expect(api.acceptLesson).toHaveBeenCalledWith({
      loopId: 'loop-1',
      kind: 'principle',
      text: 'Keep memos very short',
      scope: 'everywhere',
      turnIds: ['turn-1'],
    });
    const after = store.getState().lessons['loop-1'];
    expect(after?.status === 'ready' && after.cards.map((card) => card.outcome?.action)).toEqual(['added']);
    expect(store.getState().openLoop?.turns.map((turn) => turn.id)).toEqual(['turn-learned']);
  });

  it('keeps why the lessons could not be proposed', async () => {
    const api = createFakeKeelApi();
    api.proposeLessons.mockResolvedValueOnce(
      fail({ code: 'ollama-unreachable', message: 'Ollama is not running.' }),
    );
    const store = createKeelStore(api);
    await store.getState().proposeLessons('loop-1');
    const state = store.getState().lessons['loop-1'];
    expect(state?.status === 'failed' && state.error.message).toBe('Ollama is not running.');
    store.getState().closeLessons('loop-1');
    expect(store.getState().lessons).toEqual({});
  });
});

describe('reviews and suggestions', () => {
  it('records a review: the outcome is kept and the review is no longer due', async () => {
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    await store.getState().loadDueReviews();
    expect(store.getState().dueReviews).toHaveLength(1);
    const result = await store.getState().resolveDecision({
      loopId: 'loop-1',
      review: { outcome: 'It went well', lesson: 'Trust the local team', keepLesson: true },
    });
    expect(result.ok).toBe(true);
    expect(store.getState().dueReviews).toEqual([]);
    expect(store.getState().memoryOutcomes[reviewPlace('loop-1')]?.item.text).toBe('Trust the local team');
  });

  it('keeps a suggestion as a space memory from steering, or dismisses one', async () => {
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    await store.getState().loadSuggestions();
    await store.getState().acceptSuggestion('suggestion-1', 'Avoid generic answers for Northwind');
    expect(api.remember).toHaveBeenCalledWith({
      text: 'Avoid generic answers for Northwind',
      kind: 'preference',
      scope: { type: 'space', spaceId: 'space-1' },
      origin: 'steering',
      suggestionId: 'suggestion-1',
    });
    expect(store.getState().suggestions).toEqual([]);
    expect(store.getState().memoryOutcomes[suggestionPlace('suggestion-1')]?.action).toBe('added');

    await store.getState().loadSuggestions();
    await store.getState().dismissSuggestion('suggestion-1');
    expect(api.dismissMemorySuggestion).toHaveBeenCalledWith({ suggestionId: 'suggestion-1' });
    expect(store.getState().suggestions).toEqual([]);
  });

  it('opens a loop at a turn from the memory page, and clears everything on request', async () => {
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    store.getState().openMemory();
    await store.getState().openTurn('loop-1', 'turn-1');
    expect(store.getState().memoryOpen).toBe(false);
    expect(store.getState().openLoop?.id).toBe('loop-1');
    expect(store.getState().turnFocus).toMatchObject({ loopId: 'loop-1', turnId: 'turn-1' });
    store.getState().resetMemory();
    expect(store.getState().memories).toEqual([]);
    expect(store.getState().turnFocus).toBeNull();
  });
});

describe('moves with a period', () => {
  it('sends the period of a patterns move', async () => {
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    await store.getState().openLoopById('loop-1');
    await store.getState().requestMove('patterns', { period: { from: '2025-01-01', to: '2025-01-31' } });
    expect(api.requestMove).toHaveBeenCalledWith({
      loopId: 'loop-1',
      move: 'patterns',
      period: { from: '2025-01-01', to: '2025-01-31' },
    });
  });
});
