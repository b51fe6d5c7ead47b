import { LatestOnly } from '../../../../shared/async';
import type { CallInput } from '../../../../shared/contract';
import {
  aiMoves,
  type AiMove,
  type ContextUsage,
  type DraftState,
  type Intent,
  type Loop,
  type LoopLayout,
  type LoopLayoutChange,
  type LoopSummary,
  type Move,
  type Turn,
} from '../../../../shared/domain';
import { fail, type KeelErrorInfo, type Result } from '../../../../shared/errors';
import { deriveStage, versionGroupOf } from '../../../../shared/loopLogic';
import { mergeTimeline, placeTurn } from '../../../../shared/turnPlacement';
import type { KeelApi, KeelSliceCreator, KeelStoreOptions } from '../keelState';
import { settle } from '../settle';

export interface LoopsSlice {
  /** Every loop of every space in the sidebar, newest activity first. */
  loops: LoopSummary[];
  /** The loop on screen, with its timeline. */
  openLoop: Loop | null;
  /** The loop being fetched, so a slow answer for a loop the person already left is dropped. */
  openingLoopId: string | null;
  /** What the person has typed in each loop's composer and not yet saved. */
  composerTexts: Record<string, string>;
  /** The loop whose composer is saving a turn or asking for a move. */
  sendingLoopId: string | null;
  /** How full the model's context will be for the open loop's next move (null: not known). */
  contextUsage: { loopId: string; usage: ContextUsage } | null;
  loadLoops(): Promise<KeelErrorInfo | null>;
  openLoopById(loopId: string): Promise<void>;
  closeLoop(): void;
  /** Starts a loop; a template's intent fills what `goal` leaves out, and its first move is suggested. */
  createLoop(input: {
    spaceId: string;
    title: string;
    goal?: string;
    templateId?: string;
  }): Promise<Result<Loop>>;
  renameLoop(loopId: string, title: string): Promise<Result<LoopSummary>>;
  archiveLoop(loopId: string): Promise<Result<LoopSummary>>;
  setComposerText(loopId: string, text: string): void;
  /**
   * Asks the AI for `move` in the open loop (a move the person asked for). The draft is saved first,
   * so a refine revises the draft the person sees, then the composer's text (if any) as their turn.
   */
  requestMove(move: AiMove, options?: MoveOptions): Promise<boolean>;
  /** Saves the composer's text as the person's turn without asking the AI. */
  addNote(): Promise<boolean>;
  /** Stops the AI turn streaming in the open loop. */
  stop(): Promise<void>;
  /** Asks again for the move of a failed or stopped AI turn, with the same steering. */
  retryTurn(turnId: string): Promise<boolean>;
  /** Asks the engine how full the open loop's next request will be. */
  refreshContextUsage(): Promise<void>;
  /** Changes some fields of a loop's intent (the others stay). */
  updateIntent(loopId: string, intent: Partial<Intent>): Promise<Result<Loop>>;
  /**
   * Keeps how the person arranged the loop (the parts given; the others stay). The open loop shows
   * it at once; when it cannot be kept, a notice says so and the screen stays as the person set it.
   */
  setLoopLayout(loopId: string, layout: LoopLayoutChange): Promise<void>;
  /** Keeps, sets aside (with a reason), pins, or with null clears the steering of an AI turn. */
  steerTurn(input: CallInput<'steerTurn'>): Promise<Result<Turn>>;
  /** Replaces an AI turn's text with the person's own. */
  editTurn(input: CallInput<'editTurn'>): Promise<Result<Turn>>;
  /** Asks for a new version of an AI move; it streams in as the group's newest version. */
  regenerateTurn(input: CallInput<'regenerateTurn'>): Promise<Result<Turn>>;
  /** Keeps one version of a regenerated move as the one shown and sent to the model. */
  chooseVersion(input: CallInput<'chooseVersion'>): Promise<Result<Turn>>;
  /** Asks the AI to challenge the decision the person is about to record (not yet recorded). */
  challengeDecision(loopId: string, decision: DecisionDraft): Promise<Result<Turn>>;
  /** Records the person's decision. */
  recordDecision(input: CallInput<'recordDecision'>): Promise<Result<Loop>>;
  /** Reopens a decided loop; the decision moves to its earlier decisions. */
  reopenLoop(loopId: string): Promise<Result<Loop>>;
  /** Puts a loop the engine sent back whole into the list and, if open, on screen. */
  applyLoop(loop: Loop): void;
  /** Changes the open loop on screen only, with what another part learned (a source removed). */
  reviseOpenLoop(change: (loop: Loop) => Loop): void;
  /** Puts the draft the engine holds into the open loop, if it is that loop. */
  applyDraft(loopId: string, draft: DraftState): void;
  /** Puts a turn from a call or an event into the open loop. */
  applyTurn(turn: Turn, how: 'replace' | 'insert-only'): void;
  /** Buffers streamed text; it reaches the state at most once per animation frame. */
  applyDelta(event: { loopId: string; turnId: string; text: string; thinking?: string }): void;
  /** Applies buffered deltas now (the frame callback; tests call it too). */
  flushDeltas(): void;
  /** Forgets the person's data this slice holds (the workspace locked or is read again). */
  resetLoops(): void;
}

/** No loop listed, none open, nothing typed; `resetLoops` puts it back. */
export const initialLoopsState: Pick<
  LoopsSlice,
  'loops' | 'openLoop' | 'openingLoopId' | 'composerTexts' | 'sendingLoopId' | 'contextUsage'
> = {
  loops: [],
  openLoop: null,
  openingLoopId: null,
  composerTexts: {},
  sendingLoopId: null,
  contextUsage: null,
};

/** What else a move may carry: for patterns, the period of journal entries to look across. */
export type MoveOptions = Pick<CallInput<'requestMove'>, 'period'>;

/** A decision as the form holds it before it is recorded: every part may still be missing. */
export type DecisionDraft = NonNullable<CallInput<'requestMove'>['decision']>;

declare module '../keelState' {
  interface KeelSlices {
    loops: LoopsSlice;
  }
}

interface PendingDelta {
  loopId: string;
  text: string;
  thinking: string;
}

/** The summary the sidebar lists, taken from an open loop. */
export function toLoopSummary(loop: Loop): LoopSummary {
  return {
    id: loop.id,
    spaceId: loop.spaceId,
    title: loop.title,
    archived: loop.archived,
    stage: loop.stage,
    turnCount: loop.turnCount,
    decided: loop.decided,
    ...(loop.reviewDue !== undefined ? { reviewDue: loop.reviewDue } : {}),
    createdAt: loop.createdAt,
    updatedAt: loop.updatedAt,
  };
}

/** Newest activity first, as the engine lists them. */
function byRecentActivity(a: LoopSummary, b: LoopSummary): number {
  return b.updatedAt.localeCompare(a.updatedAt);
}

export function isAiMove(move: Move): move is AiMove {
  return (aiMoves as readonly Move[]).includes(move);
}

/** An AI turn that ended without its answer, so asking again makes sense. */
export function canRetry(turn: Turn): boolean {
  return (
    turn.author === 'ai' &&
    isAiMove(turn.move) &&
    (turn.status === 'failed' || turn.status === 'stopped' || turn.status === 'interrupted')
  );
}

/** The AI turn of this loop that is still being written, if any. */
export function streamingTurn(loop: Loop | null): Turn | undefined {
  return loop?.turns.find((turn) => turn.author === 'ai' && turn.status === 'streaming');
}

/**
 * What is left in the composer once `sent` was saved: normally nothing, but whatever the person typed
 * while the save was on its way is kept.
 */
export function textAfterSaving(current: string, sent: string): string {
  if (current === sent) return '';
  if (current.startsWith(sent)) return current.slice(sent.length).replace(/^\s+/, '');
  return current;
}

/** A loop the engine sent back whole (after an intent change, a decision…), merged with the one on screen. */
function mergeLoop(local: Loop | null, incoming: Loop): Loop {
  if (!local || local.id !== incoming.id) return incoming;
  const turns = mergeTimeline(local.turns, incoming.turns);
  return { ...incoming, turns, turnCount: Math.max(incoming.turnCount, turns.length) };
}

function defaultRequestFrame(callback: () => void): void {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => callback());
  else setTimeout(callback, 16);
}

export function createLoopsSlice(api: KeelApi, options: KeelStoreOptions = {}): KeelSliceCreator<LoopsSlice> {
  const requestFrame = options.requestFrame ?? defaultRequestFrame;
  /** Streamed text not yet on screen, by turn id. */
  const pendingDeltas = new Map<string, PendingDelta>();
  let flushScheduled = false;
  const contextRequest = new LatestOnly();

  return (set, get) => {
    /** Asks the engine for an AI move in the open loop and puts its turn on screen. */
    const requestFromEngine = async (
      loopId: string,
      move: AiMove,
      steer?: string,
      period?: MoveOptions['period'],
    ): Promise<boolean> => {
      const asked = await settle(() =>
        api.requestMove({ loopId, move, ...(steer ? { steer } : {}), ...(period ? { period } : {}) }),
      );
      if (!asked.ok) {
        get().showError(asked.error);
        return false;
      }
      // turn.started may have brought this turn already, with text after it: keep that.
      get().applyTurn(asked.value, 'insert-only');
      return true;
    };

    /** Saves the open loop's composer text as the person's turn. */
    const saveComposerTurn = async (loopId: string): Promise<'empty' | 'saved' | 'failed'> => {
      const text = get().composerTexts[loopId] ?? '';
      if (text.trim() === '') return 'empty';
      const saved = await settle(() => api.addTurn({ loopId, text }));
      if (!saved.ok) {
        get().showError(saved.error);
        return 'failed';
      }
      get().applyTurn(saved.value, 'replace');
      set((state) => ({
        composerTexts: {
          ...state.composerTexts,
          [loopId]: textAfterSaving(state.composerTexts[loopId] ?? '', text),
        },
      }));
      return 'saved';
    };

    /** Runs a composer action for the open loop, one at a time. */
    const withComposer = async (action: (loopId: string) => Promise<boolean>): Promise<boolean> => {
      const loopId = get().openLoop?.id;
      if (!loopId || get().sendingLoopId !== null) return false;
      set({ sendingLoopId: loopId });
      try {
        return await action(loopId);
      } finally {
        set({ sendingLoopId: null });
      }
    };

    /**
     * Runs a call that changes a turn in place (steered or edited) and shows the turn as it comes back;
     * set aside, brought back or rewritten, it changes the size of the next request.
     */
    const changeTurn = async (call: () => Promise<Result<Turn>>): Promise<Result<Turn>> => {
      const result = await settle(call);
      if (result.ok) {
        get().applyTurn(result.value, 'replace');
        void get().refreshContextUsage();
      }
      return result;
    };

    return {
      ...initialLoopsState,

      loadLoops: async () => {
        const result = await settle(() => api.listLoops({}));
        if (!result.ok) return result.error;
        set({ loops: result.value.filter((loop) => !loop.archived).sort(byRecentActivity) });
        return null;
      },

      openLoopById: async (loopId) => {
        const summary = get().loops.find((loop) => loop.id === loopId);
        set({ openingLoopId: loopId });
        get().dismissDamagedLoop();
        if (summary) get().setCurrentSpace(summary.spaceId);
        const result = await settle(() => api.getLoop({ loopId }));
        // The person may have opened another loop while this one was on its way.
        if (get().openingLoopId !== loopId) return;
        if (!result.ok) {
          set({ openingLoopId: null });
          // A damaged file is said where the loop would be, with a way to restore it.
          if (result.error.code === 'storage-corrupt') get().reportDamagedLoop(loopId, result.error);
          else get().showError(result.error);
          return;
        }
        for (const [turnId, pending] of pendingDeltas) {
          if (pending.loopId !== loopId) pendingDeltas.delete(turnId);
        }
        set({ openLoop: result.value, openingLoopId: null });
        get().setCurrentSpace(result.value.spaceId);
        get().closeSettings();
        void get().refreshContextUsage();
      },

      closeLoop: () => {
        pendingDeltas.clear();
        set({ openLoop: null, openingLoopId: null, contextUsage: null });
        get().dismissDamagedLoop();
      },

      createLoop: async ({ spaceId, title, goal, templateId }) => {
        const trimmedGoal = goal?.trim() ?? '';
        const result = await settle(() =>
          api.createLoop({
            spaceId,
            title,
            ...(trimmedGoal ? { intent: { goal: trimmedGoal } } : {}),
            ...(templateId ? { templateId } : {}),
          }),
        );
        if (result.ok) {
          const loop = result.value;
          pendingDeltas.clear();
          set((state) => ({
            loops: [toLoopSummary(loop), ...state.loops.filter((other) => other.id !== loop.id)],
            openLoop: loop,
            openingLoopId: null,
            contextUsage: null,
          }));
          get().setCurrentSpace(loop.spaceId);
          get().closeSettings();
          void get().refreshContextUsage();
        }
        return result;
      },

      renameLoop: async (loopId, title) => {
        const result = await settle(() => api.renameLoop({ loopId, title }));
        if (result.ok) {
          const summary = result.value;
          set((state) => ({
            loops: state.loops.map((loop) => (loop.id === loopId ? summary : loop)),
            openLoop:
              state.openLoop?.id === loopId ? { ...state.openLoop, title: summary.title } : state.openLoop,
          }));
        }
        return result;
      },

      archiveLoop: async (loopId) => {
        const result = await settle(() => api.archiveLoop({ loopId, archived: true }));
        if (result.ok) {
          if (get().openLoop?.id === loopId || get().openingLoopId === loopId) get().closeLoop();
          set((state) => ({ loops: state.loops.filter((loop) => loop.id !== loopId) }));
        }
        return result;
      },

      setComposerText: (loopId, text) =>
        set((state) => ({ composerTexts: { ...state.composerTexts, [loopId]: text } })),

      requestMove: async (move, options = {}) => {
        const openId = get().openLoop?.id;
        if (!openId) return false;
        const saved = await get().flushDraft(openId);
        // A refine revises the draft the engine holds: without the latest text it would revise an old one.
        if (!saved && move === 'refine') {
          const error = get().drafts[openId]?.error;
          if (error) get().showError(error);
          return false;
        }
        return withComposer(async (loopId) => {
          if ((await saveComposerTurn(loopId)) === 'failed') return false;
          return requestFromEngine(loopId, move, undefined, options.period);
        });
      },

      retryTurn: (turnId) =>
        withComposer(async (loopId) => {
          const loop = get().openLoop;
          const turn = loop?.turns.find((candidate) => candidate.id === turnId);
          if (!turn || !canRetry(turn) || !isAiMove(turn.move) || streamingTurn(loop ?? null)) return false;
          return requestFromEngine(loopId, turn.move, turn.steer, turn.period);
        }),

      refreshContextUsage: async () => {
        const loopId = get().openLoop?.id;
        if (!loopId) return;
        const isLatest = contextRequest.begin();
        const result = await settle(() => api.getContextUsage({ loopId }));
        // Only the latest answer for the loop still open counts.
        if (!isLatest() || get().openLoop?.id !== loopId) return;
        // Without an answer (the model is missing, Ollama is down) the meter steps aside: the model
        // status already says what is wrong.
        set({ contextUsage: result.ok ? { loopId, usage: result.value } : null });
      },

      addNote: () => withComposer(async (loopId) => (await saveComposerTurn(loopId)) === 'saved'),

      stop: async () => {
        const loop = get().openLoop;
        const turn = streamingTurn(loop);
        if (!loop || !turn) return;
        const stopped = await settle(() => api.stopMove({ loopId: loop.id, turnId: turn.id }));
        if (stopped.ok) get().applyTurn(stopped.value, 'replace');
        else get().showError(stopped.error);
      },

      updateIntent: async (loopId, intent) => {
        const result = await settle(() => api.updateIntent({ loopId, intent }));
        if (result.ok) get().applyLoop(result.value);
        return result;
      },

      setLoopLayout: async (loopId, layout) => {
        set((state) => {
          if (state.openLoop?.id !== loopId) return {};
          const { draftWidth, ...parts } = layout;
          const next: LoopLayout = { ...state.openLoop.layout, ...parts };
          if (draftWidth === null) delete next.draftWidth;
          else if (draftWidth !== undefined) next.draftWidth = draftWidth;
          return { openLoop: { ...state.openLoop, layout: next } };
        });
        const result = await settle(() => api.setLoopLayout({ loopId, layout }));
        if (!result.ok) get().showError(result.error);
      },

      steerTurn: (input) => changeTurn(() => api.steerTurn(input)),

      editTurn: (input) => changeTurn(() => api.editTurn(input)),

      regenerateTurn: async ({ loopId, turnId, steer }) => {
        const trimmed = steer?.trim() ?? '';
        const result = await settle(() =>
          api.regenerateTurn({ loopId, turnId, ...(trimmed ? { steer: trimmed } : {}) }),
        );
        // turn.started may have brought it already, with text after it: keep that.
        if (result.ok) get().applyTurn(result.value, 'insert-only');
        return result;
      },

      chooseVersion: async ({ loopId, turnId }) => {
        const result = await settle(() => api.chooseVersion({ loopId, turnId }));
        if (!result.ok) return result;
        const chosen = result.value;
        get().applyTurn(chosen, 'replace');
        const group = versionGroupOf(chosen);
        set((state) => {
          const loop = state.openLoop;
          if (!loop || loop.id !== loopId) return {};
          return {
            openLoop: {
              ...loop,
              turns: loop.turns.map((turn) =>
                turn.id === group && turn.author === 'ai' ? { ...turn, chosenVersion: chosen.id } : turn,
              ),
            },
          };
        });
        void get().refreshContextUsage();
        return result;
      },

      challengeDecision: async (loopId, decision) => {
        if (streamingTurn(get().openLoop)) {
          return fail({ code: 'busy', message: 'Wait for the AI to finish (or stop it) first.' });
        }
        const result = await settle(() => api.requestMove({ loopId, move: 'challenge', decision }));
        if (result.ok) get().applyTurn(result.value, 'insert-only');
        return result;
      },

      recordDecision: async (input) => {
        const result = await settle(() => api.recordDecision(input));
        if (result.ok) get().applyLoop(result.value);
        return result;
      },

      reopenLoop: async (loopId) => {
        const result = await settle(() => api.reopenLoop({ loopId }));
        if (result.ok) get().applyLoop(result.value);
        return result;
      },

      applyLoop: (loop) => {
        set((state) => {
          const openLoop = state.openLoop?.id === loop.id ? mergeLoop(state.openLoop, loop) : state.openLoop;
          const summary = toLoopSummary(openLoop?.id === loop.id ? openLoop : loop);
          return {
            openLoop,
            loops: state.loops
              .map((other) => (other.id === loop.id ? summary : other))
              .sort(byRecentActivity),
          };
        });
      },

      reviseOpenLoop: (change) =>
        set((state) => (state.openLoop ? { openLoop: change(state.openLoop) } : {})),

      applyDraft: (loopId, { draft, versions }) =>
        set((state) =>
          state.openLoop?.id === loopId
            ? { openLoop: { ...state.openLoop, draft, draftVersions: versions } }
            : {},
        ),

      applyTurn: (turn, how) => {
        const finished = turn.status !== 'streaming';
        // The final turn carries the whole text: whatever was buffered is already in it.
        if (finished) pendingDeltas.delete(turn.id);
        set((state) => {
          const loop = state.openLoop;
          let openLoop = loop;
          let added = 0;
          if (loop && loop.id === turn.loopId) {
            const placed = placeTurn(loop.turns, turn, how);
            if (placed?.added) {
              const turns = placed.turns;
              openLoop = {
                ...loop,
                turns,
                turnCount: loop.turnCount + 1,
                stage: deriveStage(turns, loop.decided),
              };
              // The template's suggestion stands only until the AI made a move.
              if (turn.author === 'ai' && openLoop.suggestedMove !== undefined) {
                const { suggestedMove: _suggested, ...rest } = openLoop;
                openLoop = rest;
              }
              added = 1;
            } else if (placed) {
              openLoop = { ...loop, turns: placed.turns };
            }
            if (openLoop !== loop && openLoop) openLoop = { ...openLoop, updatedAt: turn.updatedAt };
          }
          const stage = openLoop?.id === turn.loopId ? openLoop.stage : undefined;
          const loops = state.loops
            .map((summary) =>
              summary.id === turn.loopId
                ? {
                    ...summary,
                    updatedAt: summary.updatedAt < turn.updatedAt ? turn.updatedAt : summary.updatedAt,
                    turnCount: summary.turnCount + added,
                    ...(stage ? { stage } : {}),
                  }
                : summary,
            )
            .sort(byRecentActivity);
          return { openLoop, loops };
        });
        // A finished turn changes how full the next request is.
        if (finished && get().openLoop?.id === turn.loopId) void get().refreshContextUsage();
      },

      applyDelta: ({ loopId, turnId, text, thinking }) => {
        const pending = pendingDeltas.get(turnId);
        if (pending) {
          pending.text += text;
          pending.thinking += thinking ?? '';
        } else {
          pendingDeltas.set(turnId, { loopId, text, thinking: thinking ?? '' });
        }
        if (flushScheduled) return;
        flushScheduled = true;
        requestFrame(() => get().flushDeltas());
      },

      flushDeltas: () => {
        flushScheduled = false;
        if (pendingDeltas.size === 0) return;
        const loop = get().openLoop;
        const updates = new Map(pendingDeltas);
        pendingDeltas.clear();
        if (!loop) return;
        let changed = false;
        const turns = loop.turns.map((turn) => {
          const pending = updates.get(turn.id);
          if (!pending || pending.loopId !== loop.id || turn.author !== 'ai' || turn.status !== 'streaming') {
            return turn;
          }
          changed = true;
          const thinking = pending.thinking ? (turn.thinking ?? '') + pending.thinking : turn.thinking;
          return { ...turn, text: turn.text + pending.text, ...(thinking !== undefined ? { thinking } : {}) };
        });
        if (changed) set({ openLoop: { ...loop, turns } });
      },

      resetLoops: () => {
        pendingDeltas.clear();
        set(initialLoopsState);
      },
    };
  };
}
