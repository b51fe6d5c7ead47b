import { LatestOnly } from '../../../../shared/async';
import {
  aiMoves,
  type AiMove,
  type Loop,
  type LoopLayout,
  type LoopSummary,
  type Move,
  type Turn,
} from '../../../../shared/domain';
import { fail } from '../../../../shared/errors';
import { deriveStage, versionGroupOf } from '../../../../shared/loopLogic';
import { settle } from '../settle';
import type { KeelApi, KeelSliceCreator, KeelStoreOptions, LoopsSlice, MoveOptions } from '../types';

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

/**
 * Where a new turn goes in the timeline, as the engine puts it: a regenerated version right after
 * the last version of its move, anything else at the end. A new version also becomes the one shown,
 * so the version the person kept before no longer counts (the engine forgets it too).
 */
export function insertTurn(turns: readonly Turn[], turn: Turn): Turn[] {
  const next = turns.map((candidate) => {
    if (turn.versionOf === undefined || candidate.id !== turn.versionOf) return candidate;
    if (candidate.chosenVersion === undefined) return candidate;
    const { chosenVersion: _chosen, ...root } = candidate;
    return root;
  });
  if (turn.versionOf !== undefined) {
    const group = turn.versionOf;
    for (let index = next.length - 1; index >= 0; index -= 1) {
      if (versionGroupOf(next[index]!) === group) {
        next.splice(index + 1, 0, turn);
        return next;
      }
    }
  }
  next.push(turn);
  return next;
}

/**
 * A loop the engine sent back whole (after an intent change, a decision…). A turn still streaming
 * keeps the text that already arrived through deltas.
 */
function mergeLoop(local: Loop | null, incoming: Loop): Loop {
  if (!local || local.id !== incoming.id) return incoming;
  const localTurns = new Map(local.turns.map((turn) => [turn.id, turn]));
  const turns = incoming.turns.map((turn) => {
    const mine = localTurns.get(turn.id);
    if (mine && turn.author === 'ai' && turn.status === 'streaming' && mine.text.length > turn.text.length) {
      return {
        ...turn,
        text: mine.text,
        ...(mine.thinking !== undefined ? { thinking: mine.thinking } : {}),
      };
    }
    return turn;
  });
  // Turns that started after the engine answered (an event arrived first) stay on screen.
  const known = new Set(turns.map((turn) => turn.id));
  let merged = turns;
  for (const turn of local.turns) if (!known.has(turn.id)) merged = insertTurn(merged, turn);
  return { ...incoming, turns: merged, turnCount: Math.max(incoming.turnCount, merged.length) };
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
    /** Asks for an AI move in the open loop and puts its turn on screen. */
    const askForMove = async (
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

    return {
      loops: [],
      openLoop: null,
      openingLoopId: null,
      composerTexts: {},
      sendingLoopId: null,
      contextUsage: null,

      loadLoops: async () => {
        const result = await settle(() => api.listLoops({}));
        if (!result.ok) return result.error;
        set({ loops: result.value.filter((loop) => !loop.archived).sort(byRecentActivity) });
        return null;
      },

      openLoopById: async (loopId) => {
        const summary = get().loops.find((loop) => loop.id === loopId);
        set({
          openingLoopId: loopId,
          damagedLoop: null,
          ...(summary ? { currentSpaceId: summary.spaceId } : {}),
        });
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
        set({ openLoop: result.value, openingLoopId: null, currentSpaceId: result.value.spaceId });
        get().closeSettings();
        void get().refreshContextUsage();
      },

      closeLoop: () => {
        pendingDeltas.clear();
        set({ openLoop: null, openingLoopId: null, contextUsage: null, damagedLoop: null });
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
            currentSpaceId: loop.spaceId,
            contextUsage: null,
          }));
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

      send: (move, options = {}) =>
        withComposer(async (loopId) => {
          if ((await saveComposerTurn(loopId)) === 'failed') return false;
          return askForMove(loopId, move, undefined, options.period);
        }),

      retryTurn: (turnId) =>
        withComposer(async (loopId) => {
          const loop = get().openLoop;
          const turn = loop?.turns.find((candidate) => candidate.id === turnId);
          if (!turn || !canRetry(turn) || !isAiMove(turn.move) || streamingTurn(loop ?? null)) return false;
          return askForMove(loopId, turn.move, turn.steer, turn.period);
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

      steerTurn: async (input) => {
        const result = await settle(() => api.steerTurn(input));
        if (result.ok) {
          get().applyTurn(result.value, 'replace');
          // Set aside or brought back, the next request changes size.
          void get().refreshContextUsage();
        }
        return result;
      },

      editTurn: async (input) => {
        const result = await settle(() => api.editTurn(input));
        if (result.ok) {
          get().applyTurn(result.value, 'replace');
          void get().refreshContextUsage();
        }
        return result;
      },

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

      applyTurn: (turn, how) => {
        const finished = turn.status !== 'streaming';
        // The final turn carries the whole text: whatever was buffered is already in it.
        if (finished) pendingDeltas.delete(turn.id);
        set((state) => {
          const loop = state.openLoop;
          let openLoop = loop;
          let added = 0;
          if (loop && loop.id === turn.loopId) {
            const index = loop.turns.findIndex((existing) => existing.id === turn.id);
            const existing = loop.turns[index];
            if (!existing) {
              const turns = insertTurn(loop.turns, turn);
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
            } else if (how === 'replace' && (finished || existing.status === 'streaming')) {
              // A streaming copy never overwrites text that already arrived through deltas.
              const next =
                !finished && turn.author === 'ai' && existing.text.length > turn.text.length
                  ? { ...turn, text: existing.text, thinking: existing.thinking }
                  : turn;
              const turns = loop.turns.slice();
              turns[index] = next;
              openLoop = { ...loop, turns };
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
          if (!pending || pending.loopId !== loop.id || turn.author !== 'ai' || turn.status !== 'streaming')
            return turn;
          changed = true;
          const thinking = pending.thinking ? (turn.thinking ?? '') + pending.thinking : turn.thinking;
          return { ...turn, text: turn.text + pending.text, ...(thinking !== undefined ? { thinking } : {}) };
        });
        if (changed) set({ openLoop: { ...loop, turns } });
      },
    };
  };
}
