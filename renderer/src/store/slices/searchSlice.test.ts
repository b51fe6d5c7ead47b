import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { SearchResult } from '../../../../shared/domain';
import { fail, ok, type Result } from '../../../../shared/errors';
import { createFakeKeelApi } from '../../testing/fakeKeelApi';
import { createKeelStore } from '../index';
import { searchDebounceMs } from './searchSlice';

function result(overrides: Partial<SearchResult> = {}): SearchResult {
  return {
    kind: 'turn',
    spaceId: 'space-1',
    loopId: 'loop-1',
    turnId: 'turn-1',
    title: 'Market entry',
    snippet: 'Our pricing is per seat',
    at: '2025-01-01T10:02:00.000Z',
    score: 3,
    ...overrides,
  };
}

/** A promise whose resolution the test decides. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((done) => (resolve = done));
  return { promise, resolve };
}

function setup() {
  const api = createFakeKeelApi();
  const store = createKeelStore(api, { requestFrame: () => {} });
  return { api, store };
}

beforeEach(() => {
  vi.useFakeTimers();
});

afterEach(() => {
  vi.useRealTimers();
});

describe('search', () => {
  it('waits for a pause in typing and then sends the words once', async () => {
    const { api, store } = setup();
    api.search.mockResolvedValue(ok([result()]));
    store.getState().setSearchQuery('p');
    store.getState().setSearchQuery('pr');
    store.getState().setSearchQuery('pric ');
    expect(store.getState().searching).toBe(true);
    await vi.advanceTimersByTimeAsync(searchDebounceMs - 1);
    expect(api.search).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(api.search).toHaveBeenCalledTimes(1);
    expect(api.search).toHaveBeenCalledWith({ query: 'pric' });
    expect(store.getState().searchResults).toEqual([result()]);
    expect(store.getState().searchedQuery).toBe('pric');
    expect(store.getState().searching).toBe(false);
  });

  it('drops an older answer that arrives after a newer one', async () => {
    const { api, store } = setup();
    const slow = deferred<Result<SearchResult[]>>();
    api.search.mockReturnValueOnce(slow.promise).mockResolvedValueOnce(ok([result({ snippet: 'new' })]));
    store.getState().setSearchQuery('old');
    await vi.advanceTimersByTimeAsync(searchDebounceMs);
    store.getState().setSearchQuery('new words');
    await vi.advanceTimersByTimeAsync(searchDebounceMs);
    expect(store.getState().searchResults[0]?.snippet).toBe('new');
    slow.resolve(ok([result({ snippet: 'old' })]));
    await vi.advanceTimersByTimeAsync(0);
    expect(store.getState().searchResults.map((found) => found.snippet)).toEqual(['new']);
    expect(store.getState().searchedQuery).toBe('new words');
    expect(store.getState().searching).toBe(false);
  });

  it('clears the results when the words are erased, and an answer still on its way is dropped', async () => {
    const { api, store } = setup();
    const slow = deferred<Result<SearchResult[]>>();
    api.search.mockReturnValueOnce(slow.promise);
    store.getState().setSearchQuery('pricing');
    await vi.advanceTimersByTimeAsync(searchDebounceMs);
    store.getState().setSearchQuery('   ');
    slow.resolve(ok([result()]));
    await vi.advanceTimersByTimeAsync(searchDebounceMs);
    expect(api.search).toHaveBeenCalledTimes(1);
    expect(store.getState().searchResults).toEqual([]);
    expect(store.getState().searchedQuery).toBeNull();
    expect(store.getState().searching).toBe(false);
  });

  it('passes the filters through and searches again at once when one changes', async () => {
    const { api, store } = setup();
    store.getState().setSearchQuery('pricing');
    store.getState().setSearchFilters({ spaceId: 'space-2' });
    // The filter's search replaced the one waiting for the pause.
    await vi.advanceTimersByTimeAsync(searchDebounceMs);
    expect(api.search).toHaveBeenCalledTimes(1);
    expect(api.search).toHaveBeenLastCalledWith({ query: 'pricing', spaceId: 'space-2' });
    store.getState().setSearchFilters({ kinds: ['memory', 'draft'], from: '2025-01-01', to: '2025-02-01' });
    await vi.advanceTimersByTimeAsync(0);
    expect(api.search).toHaveBeenLastCalledWith({
      query: 'pricing',
      spaceId: 'space-2',
      kinds: ['memory', 'draft'],
      from: '2025-01-01',
      to: '2025-02-01',
    });
    store.getState().setSearchFilters({ spaceId: '', kinds: [], from: '', to: '' });
    await vi.advanceTimersByTimeAsync(0);
    expect(api.search).toHaveBeenLastCalledWith({ query: 'pricing' });
  });

  it('does not search for nothing when a filter changes before any words', async () => {
    const { api, store } = setup();
    store.getState().setSearchFilters({ kinds: ['loop'] });
    await vi.advanceTimersByTimeAsync(searchDebounceMs);
    expect(api.search).not.toHaveBeenCalled();
  });

  it('keeps the error of a refused search', async () => {
    const { api, store } = setup();
    api.search.mockResolvedValue(
      fail({ code: 'invalid-input', message: 'must be a date like 2026-11-01', field: 'from' }),
    );
    store.getState().setSearchQuery('pricing');
    await vi.advanceTimersByTimeAsync(searchDebounceMs);
    expect(store.getState().searchError).toMatchObject({ code: 'invalid-input', field: 'from' });
    expect(store.getState().searchResults).toEqual([]);
    api.search.mockResolvedValue(ok([result()]));
    store.getState().setSearchQuery('pricing plans');
    await vi.advanceTimersByTimeAsync(searchDebounceMs);
    expect(store.getState().searchError).toBeNull();
  });

  it('opens in place of settings and the memory page, and closes when a loop opens', async () => {
    const { store } = setup();
    store.getState().openSettings();
    store.getState().openSearch();
    expect(store.getState().settingsOpen).toBe(false);
    expect(store.getState().searchOpen).toBe(true);
    store.getState().openMemory();
    expect(store.getState().searchOpen).toBe(false);
    store.getState().openSearch();
    expect(store.getState().memoryOpen).toBe(false);
    await store.getState().openLoopById('loop-1');
    expect(store.getState().searchOpen).toBe(false);
  });

  it('opens a turn at that turn, a draft or decision with its part, and a memory on the memory page', async () => {
    const { store } = setup();
    store.getState().openSearch();
    await store.getState().openSearchResult(result());
    expect(store.getState().searchOpen).toBe(false);
    expect(store.getState().openLoop?.id).toBe('loop-1');
    expect(store.getState().turnFocus).toMatchObject({ loopId: 'loop-1', turnId: 'turn-1' });

    store.getState().openSearch();
    await store.getState().openSearchResult(result({ kind: 'draft', turnId: undefined }));
    expect(store.getState().searchFocus).toMatchObject({ loopId: 'loop-1', part: 'draft' });
    const draftRequest = store.getState().searchFocus!.request;
    await store.getState().openSearchResult(result({ kind: 'decision', turnId: undefined }));
    expect(store.getState().searchFocus).toMatchObject({ loopId: 'loop-1', part: 'decision' });
    expect(store.getState().searchFocus!.request).toBeGreaterThan(draftRequest);

    store.getState().openSearch();
    await store
      .getState()
      .openSearchResult(
        result({ kind: 'memory', loopId: undefined, turnId: undefined, memoryId: 'memory-1' }),
      );
    expect(store.getState().searchOpen).toBe(false);
    expect(store.getState().memoryOpen).toBe(true);
    expect(store.getState().memoryTarget?.memoryId).toBe('memory-1');
  });

  it('forgets words and results when the workspace is cleared', async () => {
    const { api, store } = setup();
    api.search.mockResolvedValue(ok([result()]));
    store.getState().openSearch();
    store.getState().setSearchQuery('pricing');
    await vi.advanceTimersByTimeAsync(searchDebounceMs);
    store.getState().clearWorkspace();
    expect(store.getState()).toMatchObject({
      searchOpen: false,
      searchQuery: '',
      searchResults: [],
      searchedQuery: null,
    });
  });
});
