import { LatestOnly } from '../../../../shared/async';
import type { CallInput } from '../../../../shared/contract';
import type {
  DueReview,
  LessonProposal,
  MemoryItem,
  MemoryKind,
  MemoryOutcome,
  MemoryOrigin,
  MemorySuggestion,
} from '../../../../shared/domain';
import { fail, type KeelErrorInfo, type Result } from '../../../../shared/errors';
import { settle } from '../settle';
import { settleItem, settleRemoval } from '../settleItem';
import type { KeelApi, KeelSliceCreator } from '../keelState';

/** The memory page's filters; an empty string means "any". `scope` is `everywhere` or a space's id. */
export interface MemoryFilters {
  query: string;
  kind: MemoryKind | '';
  scope: string;
  origin: MemoryOrigin | '';
}

/** The parts of the memory page a link can point at. */
export type MemorySection = 'add' | 'suggestions' | 'reviews';

/** Where the memory page should go when it opens: a memory's details or one of its sections. */
export interface MemoryTarget {
  memoryId?: string;
  section?: MemorySection;
  /** Grows with every request, so asking for the same place twice scrolls there twice. */
  request: number;
}

/** One proposed lesson at Learn, as the AI proposed it, and what happened once the person accepted it. */
export interface LessonCard {
  key: string;
  proposal: LessonProposal;
  outcome?: MemoryOutcome;
}

export type LessonsState =
  | { status: 'loading' }
  | { status: 'failed'; error: KeelErrorInfo }
  | { status: 'ready'; cards: LessonCard[] };

/** A turn the person asked to see (from a memory's origin or where it was used). */
export interface TurnFocus {
  loopId: string;
  turnId: string;
  request: number;
}

export interface MemorySlice {
  /** The memory page replaces the main area while open, as settings do. */
  memoryOpen: boolean;
  memoryTarget: MemoryTarget | null;
  /** The memories the page lists under its filters, newest revised first. */
  memories: MemoryItem[];
  memoriesLoaded: boolean;
  memoriesError: KeelErrorInfo | null;
  memoryFilters: MemoryFilters;
  selectedMemoryId: string | null;
  /** Every memory the workspace has seen, by id; null once it is known to be forgotten. */
  memoryItems: Record<string, MemoryItem | null>;
  /** The latest capture made from one place of the workspace (the add form, a review…), by place. */
  memoryOutcomes: Record<string, MemoryOutcome>;
  /** Learn, by loop: the proposals on their way, failed, or ready to accept or reject. */
  lessons: Record<string, LessonsState>;
  dueReviews: DueReview[];
  suggestions: MemorySuggestion[];
  /** `turnId memoryId` pairs the person marked not relevant. */
  notRelevantMarks: Record<string, true>;
  turnFocus: TurnFocus | null;

  openMemory(target?: { memoryId?: string; section?: MemorySection }): void;
  closeMemory(): void;
  loadMemories(): Promise<void>;
  setMemoryFilters(changes: Partial<MemoryFilters>): Promise<void>;
  selectMemory(memoryId: string | null): Promise<void>;
  /** Fetches the memories not yet known (for the list of memories a turn used). */
  fetchMemories(ids: readonly string[]): Promise<void>;
  /** Remembers something; the outcome is kept under `place` so the form can say what happened. */
  remember(input: CallInput<'remember'>, place: string): Promise<Result<MemoryOutcome>>;
  updateMemory(input: CallInput<'updateMemory'>): Promise<Result<MemoryItem>>;
  forgetMemory(memoryId: string): Promise<Result<{ forgotten: string }>>;
  markNotRelevant(input: CallInput<'markMemoryNotRelevant'>): Promise<Result<MemoryItem>>;
  dismissOutcome(place: string): void;
  /** Asks the AI for lessons from a loop; nothing is stored until one is accepted. */
  proposeLessons(loopId: string): Promise<void>;
  /** Keeps one proposed lesson, as the person edited it; the loop gains its "Learned: …" turn. */
  acceptLesson(
    loopId: string,
    key: string,
    lesson: Pick<LessonProposal, 'kind' | 'text' | 'scope'>,
  ): Promise<Result<MemoryOutcome>>;
  rejectLesson(loopId: string, key: string): void;
  closeLessons(loopId: string): void;
  loadDueReviews(): Promise<void>;
  /** A decision was resolved in the one form: it is no longer due for review, and a kept lesson is shown. */
  noteDecisionResolved(loopId: string, memory: MemoryOutcome | undefined): void;
  loadSuggestions(): Promise<void>;
  /** Keeps a suggestion (its text maybe edited) as a memory of its space. */
  acceptSuggestion(suggestionId: string, text: string): Promise<Result<MemoryOutcome>>;
  dismissSuggestion(suggestionId: string): Promise<Result<{ dismissed: string }>>;
  /** Opens a loop (from the memory page) and brings one of its turns into view. */
  openTurn(loopId: string, turnId?: string): Promise<void>;
  /** Forgets every memory the workspace holds on screen (the workspace locked). */
  resetMemory(): void;
}

declare module '../keelState' {
  interface KeelSlices {
    memory: MemorySlice;
  }
}

/** The place under which a suggestion's outcome is kept. */
export const suggestionPlace = (suggestionId: string) => `suggestion:${suggestionId}`;
export const reviewPlace = (loopId: string) => `review:${loopId}`;
export const patternPlace = (turnId: string) => `pattern:${turnId}`;
export const notRelevantKey = (turnId: string, memoryId: string) => `${turnId} ${memoryId}`;

export const emptyMemoryFilters: MemoryFilters = { query: '', kind: '', scope: '', origin: '' };

/** What the slice holds before anything is loaded; `resetMemory` puts it back. */
export const initialMemoryState = {
  memoryOpen: false,
  memoryTarget: null,
  memories: [],
  memoriesLoaded: false,
  memoriesError: null,
  memoryFilters: emptyMemoryFilters,
  selectedMemoryId: null,
  memoryItems: {},
  memoryOutcomes: {},
  lessons: {},
  dueReviews: [],
  suggestions: [],
  notRelevantMarks: {},
  turnFocus: null,
} satisfies Partial<MemorySlice>;

/** Whether a memory passes the page's scope filter (the engine filters the rest). */
function inScope(item: MemoryItem, scope: string): boolean {
  if (scope === '') return true;
  if (scope === 'everywhere') return item.scope.type === 'everywhere';
  return item.scope.type !== 'everywhere' && item.scope.spaceId === scope;
}

/** The memory's own words, and where it applies, in the learning memory (`DESIGN.md`, "Memory"). */
export function createMemorySlice(api: KeelApi): KeelSliceCreator<MemorySlice> {
  const listRequest = new LatestOnly();
  let targetRequest = 0;
  let lessonKey = 0;

  return (set, get) => {
    /** Puts a memory the engine sent back into the list (when it still passes the filters) and the cache. */
    const putItem = (item: MemoryItem) =>
      set((state) => {
        const listed = state.memories.some((candidate) => candidate.id === item.id);
        const passes = inScope(item, state.memoryFilters.scope);
        let memories = state.memories;
        if (listed) memories = memories.map((candidate) => (candidate.id === item.id ? item : candidate));
        else if (passes && state.memoriesLoaded) memories = [item, ...memories];
        return { memories, memoryItems: { ...state.memoryItems, [item.id]: item } };
      });

    /** A capture's outcome: a merge or supersession may change an item already listed. */
    const putOutcome = (outcome: MemoryOutcome, place?: string) => {
      putItem(outcome.item);
      if (place) set((state) => ({ memoryOutcomes: { ...state.memoryOutcomes, [place]: outcome } }));
    };

    const dropItem = (memoryId: string) =>
      set((state) => ({
        memories: state.memories.filter((item) => item.id !== memoryId),
        memoryItems: { ...state.memoryItems, [memoryId]: null },
        selectedMemoryId: state.selectedMemoryId === memoryId ? null : state.selectedMemoryId,
      }));

    const setLessons = (loopId: string, update: (cards: LessonCard[]) => LessonCard[]) =>
      set((state) => {
        const current = state.lessons[loopId];
        if (current?.status !== 'ready') return {};
        return { lessons: { ...state.lessons, [loopId]: { status: 'ready', cards: update(current.cards) } } };
      });

    /** Reads the open loop again, so a turn the engine added (Learned: …) shows. */
    const reloadLoop = async (loopId: string) => {
      const loop = await settle(() => api.getLoop({ loopId }));
      if (loop.ok) get().applyLoop(loop.value);
    };

    return {
      ...initialMemoryState,

      openMemory: (target = {}) => {
        get().closeSettings();
        set({
          memoryOpen: true,
          memoryTarget: { ...target, request: ++targetRequest },
          ...(target.memoryId ? { selectedMemoryId: target.memoryId } : {}),
        });
        void get().loadMemories();
        void get().loadSuggestions();
        void get().loadDueReviews();
        if (target.memoryId) void get().selectMemory(target.memoryId);
      },

      closeMemory: () => set({ memoryOpen: false, memoryTarget: null }),

      loadMemories: async () => {
        const isLatest = listRequest.begin();
        const { query, kind, scope, origin } = get().memoryFilters;
        const trimmed = query.trim();
        const result = await settle(() =>
          api.listMemories({
            ...(trimmed ? { query: trimmed } : {}),
            ...(kind ? { kind } : {}),
            ...(origin ? { origin } : {}),
            ...(scope && scope !== 'everywhere' ? { spaceId: scope } : {}),
          }),
        );
        // Only the answer to the latest filters counts.
        if (!isLatest()) return;
        if (!result.ok) {
          set({ memoriesError: result.error, memoriesLoaded: true });
          return;
        }
        const memories = result.value.filter((item) => inScope(item, scope));
        set((state) => ({
          memories,
          memoriesLoaded: true,
          memoriesError: null,
          memoryItems: {
            ...state.memoryItems,
            ...Object.fromEntries(memories.map((item) => [item.id, item])),
          },
        }));
      },

      setMemoryFilters: async (changes) => {
        set((state) => ({ memoryFilters: { ...state.memoryFilters, ...changes } }));
        await get().loadMemories();
      },

      selectMemory: async (memoryId) => {
        set({ selectedMemoryId: memoryId });
        if (!memoryId) return;
        const result = await settle(() => api.getMemory({ memoryId }));
        if (result.ok) putItem(result.value);
        else if (result.error.code === 'not-found') dropItem(memoryId);
      },

      fetchMemories: async (ids) => {
        const missing = ids.filter((id) => !(id in get().memoryItems));
        await Promise.all(
          missing.map(async (memoryId) => {
            const result = await settle(() => api.getMemory({ memoryId }));
            if (result.ok) putItem(result.value);
            else if (result.error.code === 'not-found')
              set((state) => ({ memoryItems: { ...state.memoryItems, [memoryId]: null } }));
          }),
        );
      },

      remember: async (input, place) => {
        const result = await settle(() => api.remember(input));
        if (result.ok) putOutcome(result.value, place);
        return result;
      },

      updateMemory: (input) =>
        settleItem(
          () => api.updateMemory(input),
          putItem,
          () => dropItem(input.memoryId),
        ),

      forgetMemory: (memoryId) =>
        settleRemoval(
          () => api.forgetMemory({ memoryId }),
          () => dropItem(memoryId),
        ),

      markNotRelevant: async (input) => {
        const result = await settle(() => api.markMemoryNotRelevant(input));
        if (result.ok) {
          putItem(result.value);
          set((state) => ({
            notRelevantMarks: {
              ...state.notRelevantMarks,
              [notRelevantKey(input.turnId, input.memoryId)]: true,
            },
          }));
        }
        return result;
      },

      dismissOutcome: (place) =>
        set((state) => {
          const { [place]: _dismissed, ...rest } = state.memoryOutcomes;
          return { memoryOutcomes: rest };
        }),

      proposeLessons: async (loopId) => {
        if (get().lessons[loopId]?.status === 'loading') return;
        set((state) => ({ lessons: { ...state.lessons, [loopId]: { status: 'loading' } } }));
        const result = await settle(() => api.proposeLessons({ loopId }));
        // Closed while the AI was thinking: nothing to show.
        if (get().lessons[loopId]?.status !== 'loading') return;
        set((state) => ({
          lessons: {
            ...state.lessons,
            [loopId]: result.ok
              ? {
                  status: 'ready',
                  cards: result.value.map((proposal) => ({ key: `lesson-${++lessonKey}`, proposal })),
                }
              : { status: 'failed', error: result.error },
          },
        }));
      },

      acceptLesson: async (loopId, key, lesson) => {
        const state = get().lessons[loopId];
        const card =
          state?.status === 'ready' ? state.cards.find((candidate) => candidate.key === key) : undefined;
        if (!card) return fail({ code: 'not-found', message: 'That lesson is no longer proposed.' });
        const result = await settle(() =>
          api.acceptLesson({
            loopId,
            kind: lesson.kind,
            text: lesson.text,
            scope: lesson.scope,
            turnIds: card.proposal.turnIds,
          }),
        );
        if (result.ok) {
          putOutcome(result.value);
          setLessons(loopId, (cards) =>
            cards.map((candidate) =>
              candidate.key === key ? { ...candidate, outcome: result.value } : candidate,
            ),
          );
          await reloadLoop(loopId);
        }
        return result;
      },

      rejectLesson: (loopId, key) => setLessons(loopId, (cards) => cards.filter((card) => card.key !== key)),

      closeLessons: (loopId) =>
        set((state) => {
          const { [loopId]: _closed, ...rest } = state.lessons;
          return { lessons: rest };
        }),

      loadDueReviews: async () => {
        const result = await settle(() => api.listDueReviews({}));
        if (result.ok) set({ dueReviews: result.value });
      },

      noteDecisionResolved: (loopId, memory) => {
        if (memory) putOutcome(memory, reviewPlace(loopId));
        set((state) => ({ dueReviews: state.dueReviews.filter((review) => review.loopId !== loopId) }));
      },

      loadSuggestions: async () => {
        const result = await settle(() => api.listMemorySuggestions({}));
        if (result.ok) set({ suggestions: result.value });
      },

      acceptSuggestion: async (suggestionId, text) => {
        const suggestion = get().suggestions.find((candidate) => candidate.id === suggestionId);
        if (!suggestion) return fail({ code: 'not-found', message: 'That suggestion is no longer there.' });
        const result = await settle(() =>
          api.remember({
            text,
            kind: suggestion.kind,
            scope: { type: 'space', spaceId: suggestion.spaceId },
            origin: 'steering',
            suggestionId,
          }),
        );
        if (result.ok) {
          putOutcome(result.value, suggestionPlace(suggestionId));
          set((state) => ({
            suggestions: state.suggestions.filter((candidate) => candidate.id !== suggestionId),
          }));
        }
        return result;
      },

      dismissSuggestion: async (suggestionId) => {
        const result = await settle(() => api.dismissMemorySuggestion({ suggestionId }));
        if (result.ok || result.error.code === 'not-found') {
          set((state) => ({
            suggestions: state.suggestions.filter((candidate) => candidate.id !== suggestionId),
          }));
        }
        return result;
      },

      openTurn: async (loopId, turnId) => {
        get().closeMemory();
        if (turnId) set({ turnFocus: { loopId, turnId, request: ++targetRequest } });
        await get().openLoopById(loopId);
      },

      resetMemory: () => set({ ...initialMemoryState }),
    };
  };
}
