import type { StateCreator } from 'zustand';
import type { CallInput, KeelApi } from '../../../shared/contract';
import type {
  AiMove,
  AppInfo,
  ContextUsage,
  EngineState,
  Intent,
  Loop,
  LoopLayoutChange,
  LoopSummary,
  LoopTemplate,
  ModelInfo,
  ModelStatus,
  ModelCatalog,
  ModelWarmup,
  PullProgress,
  Settings,
  Space,
  SpaceKind,
  Theme,
  Turn,
} from '../../../shared/domain';
import type { KeelErrorInfo, Result } from '../../../shared/errors';

export interface SpacesSlice {
  /** The spaces in the sidebar (archived ones are not loaded), oldest first. */
  spaces: Space[];
  /** The space the person is working in: the open loop's, or the one they last picked. */
  currentSpaceId: string | null;
  spacesLoaded: boolean;
  /** Why the spaces could not be loaded at start, shown in place of the workspace. */
  loadError: KeelErrorInfo | null;
  /** Loads the spaces; resolves to the error when that failed (also kept in `loadError`). */
  loadSpaces(): Promise<KeelErrorInfo | null>;
  selectSpace(spaceId: string): void;
  createSpace(input: { name: string; kind: SpaceKind }): Promise<Result<Space>>;
  renameSpace(spaceId: string, name: string): Promise<Result<Space>>;
  archiveSpace(spaceId: string): Promise<Result<Space>>;
  /** Sets or (with null) clears a space's own models and runtime; absent fields stay as they are. */
  setSpaceModels(
    spaceId: string,
    models: {
      chatModel?: string | null;
      embeddingModel?: string | null;
      runtime?: 'automatic' | 'ollama' | 'builtin' | null;
    },
  ): Promise<Result<Space>>;
}

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
  /** Saves the composer's text (if any) as the person's turn, then asks the AI for `move`. */
  send(move: AiMove, options?: MoveOptions): Promise<boolean>;
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
  /** Puts a turn from a call or an event into the open loop. */
  applyTurn(turn: Turn, how: 'replace' | 'insert-only'): void;
  /** Buffers streamed text; it reaches the state at most once per animation frame. */
  applyDelta(event: { loopId: string; turnId: string; text: string; thinking?: string }): void;
  /** Applies buffered deltas now (the frame callback; tests call it too). */
  flushDeltas(): void;
}

/** What else a move may carry: for patterns, the period of journal entries to look across. */
export type MoveOptions = Pick<CallInput<'requestMove'>, 'period'>;

/** A decision as the form holds it before it is recorded: every part may still be missing. */
export type DecisionDraft = NonNullable<CallInput<'requestMove'>['decision']>;

export interface TemplatesSlice {
  /** The built-in templates and the person's own; null until first loaded. */
  templates: LoopTemplate[] | null;
  /** Why the templates could not be listed. */
  templatesError: KeelErrorInfo | null;
  loadTemplates(): Promise<void>;
  /** Saves a loop's framing as the person's own template. */
  saveTemplate(input: CallInput<'saveTemplate'>): Promise<Result<LoopTemplate>>;
  deleteTemplate(templateId: string): Promise<Result<{ deleted: string }>>;
}

export interface ModelSlice {
  modelStatus: ModelStatus | null;
  /** Set when the engine itself did not answer the status check. */
  modelCheckError: KeelErrorInfo | null;
  checkingModel: boolean;
  /** The latest news of a model being loaded into memory. */
  modelWarmup: ModelWarmup | null;
  /** Whole seconds the current warm-up has taken so far; counts up once a second while loading. */
  warmupSeconds: number;
  /** Model downloads by model name (as the person asked for it), the latest progress of each. */
  pulls: Record<string, PullProgress>;
  /** The installed models with what each can do; null until first asked for. */
  models: ModelInfo[] | null;
  /** Why the models could not be listed (Ollama not running, host not allowed…). */
  modelsError: KeelErrorInfo | null;
  loadingModels: boolean;
  /** Checks the connection; asked while a check runs, it checks once more after it. */
  checkModel(): Promise<void>;
  setModelStatus(status: ModelStatus): void;
  /** Records a warm-up and runs the seconds counter while the model loads. */
  setModelWarmup(warmup: ModelWarmup): void;
  /** Records a download's progress; once it is done, checks the model and the model list again. */
  setPullProgress(progress: PullProgress): void;
  /**
   * Starts (or resumes) a download. A refused start is recorded as a failed download, so every
   * place showing it says why; a name that is not a model name is only returned to the caller.
   */
  pullModel(model: string): Promise<KeelErrorInfo | null>;
  cancelPull(model: string): Promise<void>;
  /** Forgets a finished, failed or cancelled download. */
  dismissPull(model: string): void;
  loadModels(): Promise<void>;
  /** The installed models of one runtime (a space's own), apart from `models`, which follow the global one. */
  listModelsOf(runtime: 'automatic' | 'ollama' | 'builtin'): Promise<Result<ModelInfo[]>>;
  /** Checks now and then keeps checking (every 5 s until connected, then every minute). */
  startModelPolling(): () => void;
  /** The built-in runtime's catalog with the model that fits this machine; null until first asked for. */
  modelCatalog: ModelCatalog | null;
  modelCatalogError: KeelErrorInfo | null;
  loadModelCatalog(): Promise<void>;
  /** Starts (or resumes) a built-in model download; its progress lands in `pulls` under the model's id. */
  downloadModel(id: string): Promise<void>;
  cancelModelDownload(id: string): Promise<void>;
  /** Points Keel at a GGUF file already on this computer; answers the name it is listed under, or why not. */
  addModelFile(path: string): Promise<{ added: string } | { error: KeelErrorInfo }>;
  /** Desktop only: the system's open dialog, then the same check; null when the dialog was closed. */
  chooseModelFile(): Promise<{ added: string } | { error: KeelErrorInfo } | null>;
}

export interface SettingsSlice {
  settings: Settings | null;
  /** The theme on screen: the saved one, or the person's new choice while it is being saved. */
  theme: Theme;
  appInfo: AppInfo | null;
  loadSettings(): Promise<KeelErrorInfo | null>;
  cycleTheme(): Promise<void>;
  /**
   * Saves some settings. A new model host is checked again at once, and so is the connection when
   * the chat model changed.
   */
  saveSettings(changes: SettingsChanges): Promise<Result<Settings>>;
}

export type SettingsChanges = CallInput<'updateSettings'>;

export type DialogState =
  | { kind: 'new-space' }
  | { kind: 'rename-space'; spaceId: string }
  | { kind: 'archive-space'; spaceId: string }
  | { kind: 'new-loop'; spaceId: string }
  | { kind: 'rename-loop'; loopId: string }
  | { kind: 'archive-loop'; loopId: string }
  /** Asks before a link from an answer opens outside Keel, showing its full address. */
  | { kind: 'open-link'; url: string };

export type SettingsSection =
  'models' | 'builtin-models' | 'host' | 'privacy' | 'encryption' | 'backups' | 'move';

export interface Notice {
  id: number;
  error: KeelErrorInfo;
}

export interface UiSlice {
  dialog: DialogState | null;
  notices: Notice[];
  /** Settings replace the main area while open; opening a loop or a space closes them. */
  settingsOpen: boolean;
  /** The part of Settings to bring into view (a problem banner points at where its fix is). */
  settingsSection: SettingsSection | null;
  openDialog(dialog: DialogState): void;
  closeDialog(): void;
  openSettings(section?: SettingsSection): void;
  closeSettings(): void;
  showError(error: KeelErrorInfo): void;
  dismissNotice(id: number): void;
  /** A request (from the command palette) to show or hide a part of the open loop; each is served once. */
  layoutRequest: { part: LayoutPart; request: number } | null;
  requestLayoutToggle(part: LayoutPart): void;
}

/** The parts of an open loop the person can fold away: the intent, and the draft beside the timeline. */
export type LayoutPart = 'intent' | 'draft';

export interface LifecycleSlice {
  /** Loads settings, spaces, loops and opens the most recent loop. */
  loadWorkspace(): Promise<void>;
  /**
   * Takes the engine's state: loads the workspace when it opens, clears the person's data from the
   * screen when it locks or is damaged. With `reload`, an open workspace is loaded again from disk.
   */
  applyEngineState(state: EngineState, options?: { reload?: boolean }): Promise<void>;
  /** Forgets every piece of the person's data the workspace holds (spaces, loops, texts typed). */
  clearWorkspace(): void;
  /** Loads everything, listens to the engine and polls the model; returns the function that stops it. */
  start(): () => void;
}

export type KeelState = SpacesSlice &
  LoopsSlice &
  TemplatesSlice &
  ModelSlice &
  SettingsSlice &
  UiSlice &
  import('./slices/draftSlice').DraftSlice &
  import('./slices/trustSlice').TrustSlice &
  import('./slices/memorySlice').MemorySlice &
  import('./slices/searchSlice').SearchSlice &
  import('./slices/sourcesSlice').SourcesSlice &
  import('./slices/ledgerSlice').LedgerSlice &
  import('./slices/syncSlice').SyncSlice &
  LifecycleSlice;

/** A slice of the one store, given the engine it talks to. */
export type KeelSliceCreator<T> = StateCreator<KeelState, [], [], T>;

export interface KeelStoreOptions {
  /** Schedules the delta flush; defaults to requestAnimationFrame (setTimeout where there is none). */
  requestFrame?: (callback: () => void) => void;
}

export type { KeelApi };
