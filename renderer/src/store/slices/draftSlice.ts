/**
 * The draft being written in each loop. What the person types is kept here until the engine has it:
 * it is saved after a short pause, on blur and when the person leaves the loop, and a failed save
 * keeps the text and says why, so nothing typed is ever lost. Versions, restores and refines taken
 * go through here too, one engine call at a time per loop, so they always see the latest text.
 * Whatever needs the latest text on disk first (a move, an export) calls `flushDraft`.
 */
import { Sequencer } from '../../../../shared/async';
import type { DraftState, DraftVersion, Turn } from '../../../../shared/domain';
import type { KeelErrorInfo, Result } from '../../../../shared/errors';
import { settle } from '../settle';
import type { KeelApi, KeelSliceCreator } from '../keelState';

/** One loop's draft as the editor holds it. */
export interface DraftEdit {
  /** What the editor shows: the person's latest text. */
  text: string;
  /** What the engine holds; the draft is dirty while `text` differs from it. */
  savedText: string;
  /** The versions kept so far, oldest first (as the engine lists them). */
  versions: DraftVersion[];
  saving: boolean;
  /** Why the last save failed; cleared by the next one that succeeds. */
  error: KeelErrorInfo | null;
}

export interface DraftSlice {
  /** The drafts the person has opened, by loop id. */
  drafts: Record<string, DraftEdit>;
  /** Goes up by one each time something asks the draft editor to take focus. */
  draftFocusRequest: number;
  /**
   * Takes the draft as the engine has it (an opened loop, a reload). Text the person typed and that
   * is not saved yet stays in the editor.
   */
  syncDraft(loopId: string, draft: string, versions: DraftVersion[]): void;
  /** The person typed: keeps the text and saves it once they pause. */
  setDraftText(loopId: string, text: string): void;
  /**
   * Saves the draft now (if it changed, or always with `keepVersion`, which also keeps it as a
   * version). Resolves to whether the engine has the text.
   */
  saveDraft(loopId: string, options?: { keepVersion?: boolean; note?: string }): Promise<boolean>;
  /** Saves the draft if it has unsaved text (blur, leaving the loop, before a move or an export). */
  flushDraft(loopId: string): Promise<boolean>;
  /** Brings back a version; the draft it replaces is kept as a version first. */
  restoreDraftVersion(loopId: string, versionId: string): Promise<Result<DraftState>>;
  /** Takes the chosen changes of a refine into the draft (`[]`: none). */
  applyRefine(loopId: string, turnId: string, hunks: number[]): Promise<Result<DraftState & { turn: Turn }>>;
  /** Asks the draft editor to take focus (the command palette's "Focus the draft"). */
  requestDraftFocus(): void;
  /** Forgets the person's data this slice holds (the workspace locked or is read again). */
  resetDrafts(): void;
}

declare module '../keelState' {
  interface KeelSlices {
    drafts: DraftSlice;
  }
}

/** No draft opened yet; `resetDrafts` puts it back. */
export const initialDraftsState: Pick<DraftSlice, 'drafts'> = { drafts: {} };

export interface DraftSliceOptions {
  /** How long the person pauses before the draft saves itself. */
  autosaveMs?: number;
}

export const defaultAutosaveMs = 800;

function isDirty(edit: DraftEdit | undefined): boolean {
  return edit !== undefined && edit.text !== edit.savedText;
}

export function createDraftSlice(
  api: KeelApi,
  options: DraftSliceOptions = {},
): KeelSliceCreator<DraftSlice> {
  const autosaveMs = options.autosaveMs ?? defaultAutosaveMs;
  const timers = new Map<string, ReturnType<typeof setTimeout>>();
  /** The engine calls of each loop's draft, one after another. */
  const queues = new Map<string, Sequencer>();

  return (set, get) => {
    const cancelAutosave = (loopId: string) => {
      const timer = timers.get(loopId);
      if (timer !== undefined) clearTimeout(timer);
      timers.delete(loopId);
    };

    const scheduleAutosave = (loopId: string) => {
      cancelAutosave(loopId);
      timers.set(
        loopId,
        setTimeout(() => {
          timers.delete(loopId);
          void get().flushDraft(loopId);
        }, autosaveMs),
      );
    };

    const enqueue = <T>(loopId: string, run: () => Promise<T>): Promise<T> => {
      let queue = queues.get(loopId);
      if (!queue) queues.set(loopId, (queue = new Sequencer()));
      return queue.run(run);
    };

    const update = (loopId: string, change: Partial<DraftEdit>) =>
      set((state) => {
        const current = state.drafts[loopId];
        return current ? { drafts: { ...state.drafts, [loopId]: { ...current, ...change } } } : {};
      });

    /**
     * Puts the engine's draft into the editor and the open loop. `sent` is the text the call carried:
     * when the person typed more while it was on its way, that newer text stays and saves later.
     */
    const adopt = (loopId: string, value: DraftState, sent?: string) => {
      let typedSince = false;
      set((state) => {
        const current = state.drafts[loopId];
        typedSince = sent !== undefined && current !== undefined && current.text !== sent;
        const edit: DraftEdit = {
          text: typedSince && current ? current.text : value.draft,
          savedText: value.draft,
          versions: value.versions,
          saving: false,
          error: null,
        };
        return { drafts: { ...state.drafts, [loopId]: edit } };
      });
      get().applyDraft(loopId, value);
      if (typedSince) scheduleAutosave(loopId);
    };

    /** One save, run in the loop's queue. */
    const saveNow = async (
      loopId: string,
      options: { keepVersion?: boolean; note?: string; onlyIfDirty: boolean },
    ): Promise<Result<DraftState | null>> => {
      const edit = get().drafts[loopId];
      if (!edit) return { ok: true, value: null };
      if (options.onlyIfDirty && !isDirty(edit)) return { ok: true, value: null };
      cancelAutosave(loopId);
      const text = edit.text;
      const note = options.note?.trim();
      update(loopId, { saving: true });
      const result = await settle(() =>
        api.saveDraft({
          loopId,
          text,
          ...(options.keepVersion ? { keepVersion: true } : {}),
          ...(note ? { note } : {}),
        }),
      );
      if (!result.ok) {
        update(loopId, { saving: false, error: result.error });
        return result;
      }
      adopt(loopId, result.value, text);
      return result;
    };

    return {
      ...initialDraftsState,
      draftFocusRequest: 0,

      syncDraft: (loopId, draft, versions) => {
        if (queues.get(loopId)?.busy) return;
        set((state) => {
          const current = state.drafts[loopId];
          const keepTyped = isDirty(current) || current?.saving === true;
          if (current && current.savedText === draft && current.versions === versions) return {};
          const edit: DraftEdit = {
            text: keepTyped && current ? current.text : draft,
            savedText: draft,
            versions,
            saving: false,
            error: current?.error ?? null,
          };
          return { drafts: { ...state.drafts, [loopId]: edit } };
        });
      },

      setDraftText: (loopId, text) => {
        set((state) => {
          const current = state.drafts[loopId];
          const openDraft = state.openLoop?.id === loopId ? state.openLoop : null;
          const edit: DraftEdit = current
            ? { ...current, text }
            : {
                text,
                savedText: openDraft?.draft ?? '',
                versions: openDraft?.draftVersions ?? [],
                saving: false,
                error: null,
              };
          return { drafts: { ...state.drafts, [loopId]: edit } };
        });
        scheduleAutosave(loopId);
      },

      saveDraft: async (loopId, { keepVersion, note } = {}) => {
        cancelAutosave(loopId);
        const result = await enqueue(loopId, () =>
          saveNow(loopId, { keepVersion, note, onlyIfDirty: !keepVersion }),
        );
        return result.ok;
      },

      flushDraft: (loopId) => get().saveDraft(loopId),

      restoreDraftVersion: (loopId, versionId) => {
        cancelAutosave(loopId);
        return enqueue(loopId, async () => {
          // What the person typed last is saved first, so the restore keeps it as a version.
          const saved = await saveNow(loopId, { onlyIfDirty: true });
          if (!saved.ok) return saved;
          const result = await settle(() => api.restoreDraftVersion({ loopId, versionId }));
          if (result.ok) adopt(loopId, result.value);
          return result;
        });
      },

      applyRefine: (loopId, turnId, hunks) => {
        cancelAutosave(loopId);
        return enqueue(loopId, async () => {
          const saved = await saveNow(loopId, { onlyIfDirty: true });
          if (!saved.ok) return saved;
          const result = await settle(() => api.applyRefine({ loopId, turnId, hunks }));
          if (result.ok) {
            const { turn, ...draft } = result.value;
            adopt(loopId, draft);
            get().applyTurn(turn, 'replace');
          }
          return result;
        });
      },

      requestDraftFocus: () => set((state) => ({ draftFocusRequest: state.draftFocusRequest + 1 })),

      resetDrafts: () => {
        for (const loopId of [...timers.keys()]) cancelAutosave(loopId);
        set(initialDraftsState);
      },
    };
  };
}
