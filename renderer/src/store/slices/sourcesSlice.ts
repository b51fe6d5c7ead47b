import { LatestOnly, Sequencer } from '../../../../shared/async';
import type { CallInput, CallResult } from '../../../../shared/contract';
import type {
  Loop,
  Source,
  SourceFormat,
  SourcePassage,
  SourceProgress,
  Turn,
} from '../../../../shared/domain';
import { fail, type KeelErrorInfo, type Result } from '../../../../shared/errors';
import { endSentence } from '../endSentence';
import { fittedFileName, sourceFileProblem, sourceFormatOf } from '../sourceFiles';
import { settle } from '../settle';
import { settleItem, settleRemoval } from '../settleItem';
import type { KeelApi, KeelSliceCreator } from '../keelState';

/** Where sources go: a whole space, or one loop of it. */
export interface SourceTarget {
  spaceId: string;
  loopId?: string;
}

/**
 * A file the person picked or dropped, as the store needs it. Its bytes are read only when its turn
 * comes, so a long list of files is never all in memory at once.
 */
export interface SourceFileInput {
  name: string;
  bytes: number;
  mimeType: string;
  /** The file's bytes, read from the person's disk (sent to the engine as bytes, never as text). */
  readBytes(): Promise<ArrayBuffer>;
}

/** One file on its way in: waiting for the ones before it, or being read by the engine. */
export interface SourceUpload {
  uploadId: string;
  /** The panel that added it (`sourcePanelKey`), which shows its progress. */
  panel: string;
  name: string;
  bytes: number;
  started: boolean;
  /** The engine's latest news of it; null until the first. */
  progress: SourceProgress | null;
}

/** What a panel says about a file once it is done: why it could not go in, or a notice (already there). */
export interface SourceProblem {
  id: number;
  panel: string;
  /** The file it is about, so its "Dismiss" button can say which message it dismisses. */
  fileName: string;
  tone: 'error' | 'notice';
  message: string;
}

/** The source the viewer shows, and the passage it opens at. */
export interface SourceViewerTarget {
  sourceId: string;
  passageIndex?: number;
  /** How the turn that cited it labelled the passage ("P1"). */
  label?: string;
  /** Grows with every opening, so asking for the same passage twice scrolls there twice. */
  request: number;
}

export type SourceReading =
  | { status: 'loading'; sourceId: string }
  | { status: 'ready'; sourceId: string; source: Source; passages: SourcePassage[] }
  | { status: 'failed'; sourceId: string; error: KeelErrorInfo };

/** The original file of a source, as the engine hands it back. */
export type SourceFile = CallResult<'getSourceFile'>;

export interface SourcesSlice {
  /** Every source of each space listed so far (the space's own and its loops'), oldest first. */
  sources: Record<string, Source[]>;
  /** Why a space's sources could not be listed. */
  sourcesErrors: Record<string, KeelErrorInfo>;
  sourceUploads: SourceUpload[];
  sourceProblems: SourceProblem[];
  sourceViewer: SourceViewerTarget | null;
  sourceReading: SourceReading | null;
  /** The loop whose sources panel is open beside its timeline. */
  sourcesPanelLoopId: string | null;
  /** Grows each time the command palette asks for the sources panel, so it takes focus. */
  sourcesFocusRequest: number;

  loadSources(spaceId: string): Promise<void>;
  /**
   * Adds files one after another (with those other panels added before), each with its progress;
   * one that fails or is refused says why in `panel` and the others still go in.
   */
  addSourceFiles(target: SourceTarget, panel: string, files: readonly SourceFileInput[]): Promise<void>;
  /**
   * Adds pasted text under the title the person gave it; resolves once it is in, or with why not
   * (said by the dialog that asked, not in the panel).
   */
  addPastedSource(
    target: SourceTarget,
    panel: string,
    input: { title: string; text: string; format: Extract<SourceFormat, 'text' | 'markdown'> },
  ): Promise<Result<Source>>;
  applySourceProgress(progress: SourceProgress): void;
  dismissSourceProblem(id: number): void;
  renameSource(sourceId: string, name: string): Promise<Result<Source>>;
  /** Removes a source for good; turns that cited it keep only "a removed source". */
  removeSource(sourceId: string): Promise<Result<{ removed: string }>>;
  setSourceInLoop(input: CallInput<'setSourceInLoop'>): Promise<Result<Source>>;
  /** Opens the viewer on a source, at one of its passages when given. */
  openSourceViewer(sourceId: string, at?: { passageIndex?: number; label?: string }): void;
  closeSourceViewer(): void;
  getSourceFile(sourceId: string): Promise<Result<SourceFile>>;
  setSourcesPanel(loopId: string | null): void;
  /** Brings the sources panel of what is on screen (the open loop, else the space) into view. */
  showSourcesPanel(): void;
  /** A finished AI turn used passages: the sources' "used in" counts changed. */
  noteTurnSources(turn: Turn): void;
  /** Forgets every source the workspace holds on screen (the workspace locked). */
  resetSources(): void;
}

declare module '../keelState' {
  interface KeelSlices {
    sources: SourcesSlice;
  }
}

/** The key a panel keeps its uploads and problems under. */
export const sourcePanelKey = (target: SourceTarget) =>
  target.loopId ? `loop:${target.loopId}` : `space:${target.spaceId}`;

/** Turns of a loop with their references to a removed source wiped, as the engine keeps them. */
function withSourceRemoved(loop: Loop, sourceId: string): Loop {
  let changed = false;
  const turns = loop.turns.map((turn) => {
    if (!turn.passages?.some((ref) => ref.sourceId === sourceId && !ref.removed)) return turn;
    changed = true;
    return {
      ...turn,
      passages: turn.passages.map((ref) =>
        ref.sourceId === sourceId
          ? { label: ref.label, sourceId: ref.sourceId, index: ref.index, removed: true as const }
          : ref,
      ),
    };
  });
  return changed ? { ...loop, turns } : loop;
}

/** The engine's message, with the file's name in front when it does not say which file it is about. */
function namingFile(name: string, message: string): string {
  return endSentence(message.includes(name) ? message : `${name}: ${message}`);
}

/** What the slice holds before anything is loaded; `resetSources` puts it back. */
export const initialSourcesState = {
  sources: {},
  sourcesErrors: {},
  sourceUploads: [],
  sourceProblems: [],
  sourceViewer: null,
  sourceReading: null,
  sourcesPanelLoopId: null,
} satisfies Partial<SourcesSlice>;

/** The person's own documents, read on this machine and cited by the AI (`DESIGN.md`, "Sources"). */
export function createSourcesSlice(api: KeelApi): KeelSliceCreator<SourcesSlice> {
  let nextUpload = 0;
  let nextProblem = 0;
  let viewerRequest = 0;
  /** The latest `readSource` asked for: an older one answered later is dropped. */
  const readRequest = new LatestOnly();
  const listRequests = new Map<string, LatestOnly>();
  /** Uploads run one at a time, in the order they were asked for. */
  const uploads = new Sequencer();
  /** Grows when the workspace locks: uploads asked for before then are dropped. */
  let epoch = 0;

  const enqueue = <T>(task: () => Promise<T>): Promise<T> => uploads.run(task);

  return (set, get) => {
    const addProblem = (panel: string, fileName: string, tone: SourceProblem['tone'], message: string) =>
      set((state) => ({
        sourceProblems: [...state.sourceProblems, { id: ++nextProblem, panel, fileName, tone, message }],
      }));

    const dropUpload = (uploadId: string) =>
      set((state) => ({
        sourceUploads: state.sourceUploads.filter((upload) => upload.uploadId !== uploadId),
      }));

    /** Puts a source the engine sent back into its space's list (when that list is loaded). */
    const putSource = (source: Source) =>
      set((state) => {
        const list = state.sources[source.spaceId];
        if (!list) return {};
        const listed = list.some((candidate) => candidate.id === source.id);
        return {
          sources: {
            ...state.sources,
            [source.spaceId]: listed
              ? list.map((candidate) => (candidate.id === source.id ? source : candidate))
              : [...list, source],
          },
        };
      });

    /**
     * A source that is gone (removed here, or found missing by the engine) leaves every place it is
     * shown: the lists, the open loop's citations, the viewer and its text, and the search results,
     * so an old result can only open it through the engine, which says it is no longer here.
     */
    const forgetSource = (sourceId: string) => {
      get().reviseOpenLoop((loop) => withSourceRemoved(loop, sourceId));
      get().dropSearchResultsOf(sourceId);
      set((state) => ({
        sources: Object.fromEntries(
          Object.entries(state.sources).map(([spaceId, list]) => [
            spaceId,
            list.some((source) => source.id === sourceId)
              ? list.filter((source) => source.id !== sourceId)
              : list,
          ]),
        ),
        ...(state.sourceViewer?.sourceId === sourceId ? { sourceViewer: null } : {}),
        ...(state.sourceReading?.sourceId === sourceId ? { sourceReading: null } : {}),
      }));
    };

    /** Sends one file (or pasted text) and says how it went in its panel. */
    const addOne = async (
      uploadId: string,
      target: SourceTarget,
      panel: string,
      name: string,
      content: () => Promise<{ bytes: ArrayBuffer } | { text: string }>,
      extra: Pick<CallInput<'addSource'>, 'format' | 'mimeType'>,
      startedIn: number,
    ): Promise<Result<Source>> => {
      if (startedIn !== epoch)
        return fail({ code: 'locked', message: 'Keel locked before this file went in.' });
      set((state) => ({
        sourceUploads: state.sourceUploads.map((upload) =>
          upload.uploadId === uploadId ? { ...upload, started: true } : upload,
        ),
      }));
      let read: { bytes: ArrayBuffer } | { text: string };
      try {
        read = await content();
      } catch {
        dropUpload(uploadId);
        return fail({
          code: 'source-unreadable',
          message: `${name} could not be read from your computer: it may have been moved or deleted.`,
        });
      }
      let body: { file: string } | { text: string };
      if ('bytes' in read) {
        const sent = await settle(() => api.upload(read.bytes, 'source'));
        if (!sent.ok) {
          dropUpload(uploadId);
          return sent;
        }
        body = { file: sent.value.file };
      } else {
        body = read;
      }
      const result = await settle(() =>
        api.addSource({
          spaceId: target.spaceId,
          ...(target.loopId ? { loopId: target.loopId } : {}),
          fileName: name,
          ...extra,
          ...body,
          uploadId,
        }),
      );
      dropUpload(uploadId);
      if (startedIn !== epoch)
        return fail({ code: 'locked', message: 'Keel locked before this file went in.' });
      if (!result.ok) return result;
      const { source, alreadyAdded } = result.value;
      const before = get().sources[source.spaceId]?.find((candidate) => candidate.id === source.id);
      putSource(source);
      if (alreadyAdded && before?.loopId !== undefined && source.loopId === undefined) {
        // Added to the whole space while one loop had it: that loop's copy is now the space's.
        addProblem(
          panel,
          name,
          'notice',
          `${name} was already a source of one loop: it is now a source of every loop in this space.`,
        );
      } else if (alreadyAdded) {
        // Kept once where the loop or space already sees it: a loop's own copy, or the space's.
        const where = source.loopId === undefined ? 'this space' : 'this loop';
        addProblem(
          panel,
          name,
          'notice',
          source.name === name
            ? `${name} is already in ${where}: it was not added again.`
            : `${name} is already in ${where}, as “${source.name}”: it was not added again.`,
        );
      }
      return { ok: true, value: source };
    };

    const newUpload = (panel: string, name: string, bytes: number): SourceUpload => {
      const upload: SourceUpload = {
        uploadId: `upload-${Date.now().toString(36)}-${++nextUpload}`,
        panel,
        name,
        bytes,
        started: false,
        progress: null,
      };
      set((state) => ({ sourceUploads: [...state.sourceUploads, upload] }));
      return upload;
    };

    return {
      ...initialSourcesState,
      sourcesFocusRequest: 0,

      loadSources: async (spaceId) => {
        let requests = listRequests.get(spaceId);
        if (!requests) listRequests.set(spaceId, (requests = new LatestOnly()));
        const isLatest = requests.begin();
        const result = await settle(() => api.listSources({ spaceId }));
        // Only the latest answer for a space counts.
        if (!isLatest()) return;
        if (result.ok) {
          set((state) => {
            const { [spaceId]: _cleared, ...sourcesErrors } = state.sourcesErrors;
            return { sources: { ...state.sources, [spaceId]: result.value }, sourcesErrors };
          });
        } else {
          set((state) => ({ sourcesErrors: { ...state.sourcesErrors, [spaceId]: result.error } }));
        }
      },

      addSourceFiles: async (target, panel, files) => {
        const startedIn = epoch;
        const runs: Promise<unknown>[] = [];
        for (const file of files) {
          const problem = sourceFileProblem(file);
          if (problem) {
            addProblem(panel, file.name, 'error', problem);
            continue;
          }
          const name = fittedFileName(file.name);
          const format = sourceFormatOf(file.name, file.mimeType);
          const mimeType = file.mimeType.slice(0, 200);
          const upload = newUpload(panel, name, file.bytes);
          runs.push(
            enqueue(async () => {
              const result = await addOne(
                upload.uploadId,
                target,
                panel,
                name,
                async () => ({ bytes: await file.readBytes() }),
                { ...(format ? { format } : {}), ...(mimeType ? { mimeType } : {}) },
                startedIn,
              );
              // Locked meanwhile: the workspace is cleared, there is no panel left to say it in.
              if (!result.ok && result.error.code !== 'locked') {
                addProblem(panel, name, 'error', namingFile(name, result.error.message));
              }
            }),
          );
        }
        await Promise.all(runs);
      },

      addPastedSource: async (target, panel, { title, text, format }) => {
        const startedIn = epoch;
        const name = fittedFileName(title);
        const upload = newUpload(panel, name, new TextEncoder().encode(text).length);
        return enqueue(() =>
          addOne(upload.uploadId, target, panel, name, async () => ({ text }), { format }, startedIn),
        );
      },

      applySourceProgress: (progress) =>
        set((state) => {
          // Another window's upload (or one that already finished) is not shown here.
          if (!state.sourceUploads.some((upload) => upload.uploadId === progress.uploadId)) return {};
          return {
            sourceUploads: state.sourceUploads.map((upload) =>
              upload.uploadId === progress.uploadId ? { ...upload, started: true, progress } : upload,
            ),
          };
        }),

      dismissSourceProblem: (id) =>
        set((state) => ({ sourceProblems: state.sourceProblems.filter((problem) => problem.id !== id) })),

      renameSource: (sourceId, name) =>
        settleItem(
          () => api.renameSource({ sourceId, name }),
          (source) => {
            putSource(source);
            set((state) =>
              state.sourceReading?.status === 'ready' && state.sourceReading.sourceId === sourceId
                ? { sourceReading: { ...state.sourceReading, source } }
                : {},
            );
          },
          () => forgetSource(sourceId),
        ),

      removeSource: (sourceId) =>
        settleRemoval(
          () => api.removeSource({ sourceId }),
          () => forgetSource(sourceId),
        ),

      setSourceInLoop: (input) =>
        settleItem(
          () => api.setSourceInLoop(input),
          putSource,
          () => forgetSource(input.sourceId),
        ),

      openSourceViewer: (sourceId, at = {}) => {
        // Asked for another passage while the viewer shows the source: shown there without reading it
        // again. Opened anew, it is always read afresh (the viewer's close forgets the text), so a
        // source removed since is said to be gone rather than shown from memory.
        const { sourceViewer: shown, sourceReading: reading } = get();
        const reuse =
          shown?.sourceId === sourceId && reading?.sourceId === sourceId && reading.status !== 'failed';
        set({
          sourceViewer: {
            sourceId,
            ...(at.passageIndex !== undefined ? { passageIndex: at.passageIndex } : {}),
            ...(at.label ? { label: at.label } : {}),
            request: ++viewerRequest,
          },
          ...(reuse ? {} : { sourceReading: { status: 'loading', sourceId } }),
        });
        if (reuse) return;
        const isLatest = readRequest.begin();
        void settle(() => api.readSource({ sourceId })).then((result) => {
          // Only the latest reading counts, and only while the viewer still shows its source.
          if (!isLatest() || get().sourceReading?.sourceId !== sourceId) return;
          if (result.ok) {
            putSource(result.value.source);
            set({
              sourceReading: {
                status: 'ready',
                sourceId,
                source: result.value.source,
                passages: result.value.passages,
              },
            });
          } else {
            set({ sourceReading: { status: 'failed', sourceId, error: result.error } });
          }
        });
      },

      // The text goes with the viewer: opening it again reads it afresh.
      closeSourceViewer: () => set({ sourceViewer: null, sourceReading: null }),

      getSourceFile: (sourceId) => settle(() => api.getSourceFile({ sourceId })),

      setSourcesPanel: (loopId) => set({ sourcesPanelLoopId: loopId }),

      showSourcesPanel: () => {
        // Settings, memory and search step aside for the work the sources belong to.
        get().closeSettings();
        const loopId = get().openLoop?.id;
        set((state) => ({
          ...(loopId ? { sourcesPanelLoopId: loopId } : {}),
          sourcesFocusRequest: state.sourcesFocusRequest + 1,
        }));
      },

      noteTurnSources: (turn) => {
        if (turn.author !== 'ai' || turn.status !== 'complete' || !turn.passages?.length) return;
        const state = get();
        const spaceId =
          state.openLoop?.id === turn.loopId
            ? state.openLoop.spaceId
            : state.loops.find((loop) => loop.id === turn.loopId)?.spaceId;
        if (spaceId && state.sources[spaceId]) void get().loadSources(spaceId);
      },

      resetSources: () => {
        epoch += 1;
        for (const requests of listRequests.values()) requests.cancel();
        listRequests.clear();
        set({ ...initialSourcesState });
      },
    };
  };
}

/** The sources a loop draws from: its space's own and the loop's, as `listSources` with a loop lists them. */
export function loopSources(list: readonly Source[], loopId: string): Source[] {
  return list.filter((source) => source.loopId === undefined || source.loopId === loopId);
}

/** Whether a source is pinned to a loop, left out of it, or neither. */
export function sourceStateIn(source: Source, loopId: string): CallInput<'setSourceInLoop'>['state'] {
  if (source.pinnedIn.includes(loopId)) return 'pinned';
  if (source.leftOutOf.includes(loopId)) return 'left-out';
  return 'auto';
}
