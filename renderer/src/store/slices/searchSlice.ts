import { LatestOnly } from '../../../../shared/async';
import type { SearchKind, SearchResult } from '../../../../shared/domain';
import type { KeelErrorInfo } from '../../../../shared/errors';
import { settle } from '../settle';
import type { KeelApi, KeelSliceCreator } from '../keelState';

/** The search page's filters; an empty string means "any", no kinds means every kind. */
export interface SearchFilters {
  spaceId: string;
  kinds: SearchKind[];
  /** `YYYY-MM-DD`, inclusive. */
  from: string;
  to: string;
}

/** The part of a loop a search result asked to see (a turn goes through `turnFocus` instead). */
export type SearchFocusPart = 'draft' | 'decision';

/** A request to bring a loop's draft or decision into view once it is on screen. */
export interface SearchFocus {
  loopId: string;
  part: SearchFocusPart;
  /** Grows with every request, so each is served once. */
  request: number;
}

export interface SearchSlice {
  /** The search page replaces the main area while open, as settings and the memory page do. */
  searchOpen: boolean;
  /** Grows each time the page is asked for, so the search box takes focus again. */
  searchRequest: number;
  /** What the person typed, as typed. */
  searchQuery: string;
  searchFilters: SearchFilters;
  searchResults: SearchResult[];
  /** The words the results answer (trimmed); null before the first answer or after clearing. */
  searchedQuery: string | null;
  /** A request is on its way (or waiting out the pause in typing). */
  searching: boolean;
  searchError: KeelErrorInfo | null;
  searchFocus: SearchFocus | null;

  openSearch(): void;
  closeSearch(): void;
  /** Keeps the words and searches once the person pauses typing (`searchDebounceMs`). */
  setSearchQuery(query: string): void;
  /** Changes some filters and searches again at once. */
  setSearchFilters(changes: Partial<SearchFilters>): void;
  /** Searches now with the current words and filters. */
  runSearch(): Promise<void>;
  /**
   * Opens what a result points at: its loop (at its turn, draft or decision), its memory, or the
   * source viewer at the passage the words were found in (over the search page, which stays).
   */
  openSearchResult(result: SearchResult): Promise<void>;
  /** Forgets the words, results and filters (the workspace locked). */
  resetSearch(): void;
  /** Drops the results that point into a source that is gone. */
  dropSearchResultsOf(sourceId: string): void;
}

declare module '../keelState' {
  interface KeelSlices {
    search: SearchSlice;
  }
}

/** How long typing must pause before the words are sent. */
export const searchDebounceMs = 200;

export const emptySearchFilters: SearchFilters = { spaceId: '', kinds: [], from: '', to: '' };

/** What the slice holds before anything is loaded; `resetSearch` puts it back. */
export const initialSearchState = {
  searchOpen: false,
  searchQuery: '',
  searchFilters: emptySearchFilters,
  searchResults: [],
  searchedQuery: null,
  searching: false,
  searchError: null,
  searchFocus: null,
} satisfies Partial<SearchSlice>;

/** Search across everything the person has written and kept (`shared/contract.ts`, `search`). */
export function createSearchSlice(api: KeelApi): KeelSliceCreator<SearchSlice> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  /** Only the latest search sent counts; an older one answered later is dropped. */
  const searchRequest = new LatestOnly();
  let focusRequest = 0;

  const cancelPending = () => {
    clearTimeout(timer);
    timer = undefined;
  };

  return (set, get) => ({
    ...initialSearchState,
    searchRequest: 0,

    openSearch: () => {
      // One page at a time in the main area: closing settings closes the memory page too.
      get().closeSettings();
      set((state) => ({ searchOpen: true, searchRequest: state.searchRequest + 1 }));
    },

    closeSearch: () => set({ searchOpen: false }),

    setSearchQuery: (query) => {
      cancelPending();
      set({ searchQuery: query });
      if (query.trim() === '') {
        // Nothing to look for: an answer still on its way no longer counts.
        searchRequest.cancel();
        set({ searchResults: [], searchedQuery: null, searching: false, searchError: null });
        return;
      }
      set({ searching: true });
      timer = setTimeout(() => {
        timer = undefined;
        void get().runSearch();
      }, searchDebounceMs);
    },

    setSearchFilters: (changes) => {
      set((state) => ({ searchFilters: { ...state.searchFilters, ...changes } }));
      cancelPending();
      void get().runSearch();
    },

    runSearch: async () => {
      cancelPending();
      const isLatest = searchRequest.begin();
      const query = get().searchQuery.trim();
      if (!query) {
        set({ searchResults: [], searchedQuery: null, searching: false, searchError: null });
        return;
      }
      const { spaceId, kinds, from, to } = get().searchFilters;
      set({ searching: true });
      const result = await settle(() =>
        api.search({
          query,
          ...(spaceId ? { spaceId } : {}),
          ...(kinds.length > 0 ? { kinds } : {}),
          ...(from ? { from } : {}),
          ...(to ? { to } : {}),
        }),
      );
      if (!isLatest()) return;
      if (result.ok) {
        set({ searchResults: result.value, searchedQuery: query, searching: false, searchError: null });
      } else {
        set({ searchResults: [], searchedQuery: query, searching: false, searchError: result.error });
      }
    },

    openSearchResult: async (result) => {
      if (result.kind === 'memory' && result.memoryId) {
        get().openMemory({ memoryId: result.memoryId });
        return;
      }
      if (result.kind === 'source' && result.sourceId) {
        get().openSourceViewer(
          result.sourceId,
          result.passageIndex !== undefined ? { passageIndex: result.passageIndex } : {},
        );
        return;
      }
      const loopId = result.loopId;
      if (!loopId) return;
      if (result.kind === 'turn' && result.turnId) {
        await get().openTurn(loopId, result.turnId);
        return;
      }
      if (result.kind === 'draft' || result.kind === 'decision') {
        set({ searchFocus: { loopId, part: result.kind, request: ++focusRequest } });
      }
      await get().openLoopById(loopId);
    },

    dropSearchResultsOf: (sourceId) =>
      set((state) =>
        state.searchResults.some((result) => result.sourceId === sourceId)
          ? { searchResults: state.searchResults.filter((result) => result.sourceId !== sourceId) }
          : {},
      ),

    resetSearch: () => {
      cancelPending();
      searchRequest.cancel();
      set({ ...initialSearchState });
    },
  });
}
