/**
 * A fake engine for the store's tests: every contract call is a `vi.fn` answering with a plausible
 * value, and `emit` plays the engine sending an event.
 */
import { vi, type Mock } from 'vitest';
import type {
  CallInput,
  CallName,
  CallResult,
  KeelApi,
  KeelEvent,
  KeelEventListener,
} from '../../../shared/contract';
import type {
  AppInfo,
  Decision,
  Loop,
  LoopSummary,
  LoopTemplate,
  MemoryItem,
  MemoryOutcome,
  ModelStatus,
  PullProgress,
  Settings,
  Source,
  Space,
  SyncStatus,
  AiTurn,
  PersonTurn,
} from '../../../shared/domain';
import { ok, type Result } from '../../../shared/errors';

const at = (minute: number) => `2025-01-01T10:${String(minute).padStart(2, '0')}:00.000Z`;

/** A maker of test values: a fresh copy of the defaults, with what the test sets over them. */
function maker<T extends object>(defaults: T): (overrides?: Partial<T>) => T {
  return (overrides = {}) => ({ ...structuredClone(defaults), ...overrides });
}

export const makeSpace = maker<Space>({
  id: 'space-1',
  name: 'Northwind',
  kind: 'client',
  description: '',
  archived: false,
  createdAt: at(0),
  updatedAt: at(0),
});

export const makeLoop = maker<Loop>({
  id: 'loop-1',
  spaceId: 'space-1',
  title: 'Market entry',
  archived: false,
  stage: 'frame',
  turnCount: 0,
  decided: false,
  createdAt: at(1),
  updatedAt: at(1),
  intent: { goal: '', context: '', constraints: '', goodLooksLike: '' },
  turns: [],
  draft: '',
  draftVersions: [],
  pastDecisions: [],
});

export function makeSummary(overrides: Partial<LoopSummary> = {}): LoopSummary {
  const {
    intent: _intent,
    turns: _turns,
    draft: _draft,
    draftVersions: _draftVersions,
    pastDecisions: _pastDecisions,
    ...summary
  } = makeLoop();
  return { ...summary, ...overrides };
}

/**
 * A turn for a test: a person's unless `overrides` says otherwise. Typed as an AI turn, the kind
 * with every field, so a test may add AI fields to it without naming the author.
 */
export function makeTurn(overrides: Partial<PersonTurn> | Partial<AiTurn> = {}): AiTurn {
  return {
    id: 'turn-1',
    loopId: 'loop-1',
    author: 'person',
    move: 'say',
    text: 'Hello',
    status: 'complete',
    createdAt: at(2),
    updatedAt: at(2),
    ...overrides,
  } as AiTurn;
}

export const makeTemplate = maker<LoopTemplate>({
  id: 'market-entry',
  name: 'Market entry',
  description: 'Decide whether, where and how to enter a new market.',
  kinds: ['client', 'plan'],
  title: 'Market entry',
  intent: { goal: 'Decide whether to enter <market>.', context: '', constraints: '', goodLooksLike: '' },
  firstMove: 'explore',
  builtIn: true,
});

export const makeDecision = maker<Decision>({
  choice: 'Enter Germany',
  rationale: '',
  optionsSetAside: '',
  confidence: 70,
  prediction: '',
  reviewDate: '',
  decidedAt: at(40),
  forecasts: [],
});

export const makeSettings = maker<Settings>({
  chatModel: 'llama3.2',
  embeddingModel: 'nomic-embed-text',
  theme: 'system',
  keepAlive: '10m',
  ollamaHost: '',
  runtime: 'automatic',
  modelFiles: [],
  allowRemoteHost: false,
  backupKeep: 7,
  lockAfterMinutes: 15,
  notifyDueForecasts: true,
});

export const makeMemory = maker<MemoryItem>({
  id: 'memory-1',
  kind: 'preference',
  text: 'Board memos under one page',
  scope: { type: 'space', spaceId: 'space-1' },
  origin: { type: 'said' },
  createdAt: at(5),
  revisedAt: at(5),
  useCount: 0,
  pinned: false,
  history: [],
  notRelevant: [],
  usedIn: [],
});

export const makeSource = maker<Source>({
  id: 'source-1',
  spaceId: 'space-1',
  name: 'Q3 report.pdf',
  fileName: 'Q3 report.pdf',
  format: 'pdf',
  mimeType: 'application/pdf',
  bytes: 120_000,
  pages: 2,
  sections: 2,
  passages: 3,
  addedAt: at(3),
  usedInTurns: 0,
  pinnedIn: [],
  leftOutOf: [],
  embedded: true,
});

const added = (item: MemoryItem): MemoryOutcome => ({ action: 'added', item, decidedBy: 'lexical' });

const appInfo: AppInfo = {
  version: '0.1.0',
  dataDir: '/data',
  ollamaHost: 'http://127.0.0.1:11434',
  hostIsLocal: true,
  platform: 'linux',
  shell: 'web',
};

export const makeModelStatus = maker<ModelStatus>({
  connection: 'connected',
  host: 'http://127.0.0.1:11434',
  hostIsLocal: true,
  version: '0.12.0',
  chatModel: 'llama3.2',
  models: [],
  advice: '',
  hostSource: 'default',
  checkedAt: at(0),
});

type FakeCalls = {
  [N in CallName]: Mock<(input: CallInput<N>) => Promise<Result<CallResult<N>>>>;
};

export type FakeKeelApi = KeelApi &
  FakeCalls & {
    onEvent: Mock<(listener: KeelEventListener) => () => void>;
    upload: Mock<KeelApi['upload']>;
    emit(event: KeelEvent): void;
    listenerCount(): number;
  };

const openEngine = { status: 'open' as const, encrypted: false };

const syncStatus = (spaceId: string, state: SyncStatus['state']): SyncStatus => ({
  spaceId,
  state,
  pending: 0,
  conflicts: [],
});

const download = (
  model: string,
  state: PullProgress['state'],
  status: string,
  builtin = false,
): PullProgress => ({
  model,
  ...(builtin ? { runtime: 'builtin' as const } : {}),
  state,
  status,
  completedBytes: 0,
  totalBytes: 0,
});

/** An AI turn the engine answers a call about one turn with. */
const aiTurnFor = (input: { loopId: string; turnId: string }, overrides: Partial<AiTurn> = {}): AiTurn =>
  makeTurn({ id: input.turnId, loopId: input.loopId, author: 'ai', move: 'explore', ...overrides });

/** The AI turn a new move starts as: streaming, no text yet. */
const startedTurn = (overrides: Partial<AiTurn>): AiTurn =>
  makeTurn({ author: 'ai', move: 'explore', text: '', status: 'streaming', ...overrides });

const loopFor = async (input: { loopId: string }) => ok(makeLoop({ id: input.loopId }));

export function createFakeKeelApi(): FakeKeelApi {
  const listeners = new Set<KeelEventListener>();
  const calls: FakeCalls = {
    getAppInfo: vi.fn(async () => ok(appInfo)),
    getSettings: vi.fn(async () => ok(makeSettings())),
    updateSettings: vi.fn(async (input) => ok(makeSettings({ theme: input.theme ?? 'system' }))),
    getEngineState: vi.fn(async () => ok(openEngine)),
    unlock: vi.fn(async () => ok({ status: 'open' as const, encrypted: true })),
    lock: vi.fn(async () => ok({ status: 'locked' as const, encrypted: true })),
    setPassphrase: vi.fn(async () => ok({ status: 'open' as const, encrypted: true })),
    removePassphrase: vi.fn(async () => ok(openEngine)),
    listBackups: vi.fn(async () => ok([])),
    backupNow: vi.fn(async () =>
      ok({ id: 'backup-1', createdAt: at(0), reason: 'manual' as const, files: 1, bytes: 100 }),
    ),
    restoreBackup: vi.fn(async () => ok(openEngine)),
    getOutboundLog: vi.fn(async () => ok([])),
    getBackgroundProblems: vi.fn(async () => ok([])),
    setUpSync: vi.fn(async (input) => ok(syncStatus(input.spaceId, 'connecting'))),
    joinSync: vi.fn(async () => ok(syncStatus('sp-joined', 'up-to-date'))),
    getSyncStatus: vi.fn(async (input) => ok(syncStatus(input.spaceId, 'off'))),
    listSync: vi.fn(async () => ok([])),
    pauseSync: vi.fn(async (input) => ok(syncStatus(input.spaceId, 'paused'))),
    leaveSync: vi.fn(async (input) => ok(syncStatus(input.spaceId, 'off'))),
    dismissSyncConflict: vi.fn(async (input) => ok(syncStatus(input.spaceId, 'up-to-date'))),
    exportArchive: vi.fn(async () =>
      ok({ fileName: 'keel.zip', mimeType: 'application/zip', file: 'dl-0000000000000000000000', bytes: 0 }),
    ),
    importArchive: vi.fn(async () => ok(openEngine)),
    settleImportedSettings: vi.fn(async () => ok(openEngine)),
    openExternal: vi.fn(async (input) => ok({ opened: input.url })),
    listModels: vi.fn(async () => ok([])),
    useModelFile: vi.fn(async (input) => ok({ name: input.path.split('/').at(-1) ?? input.path })),
    setSpaceModels: vi.fn(async (input) => ok(makeSpace({ id: input.spaceId }))),
    pullModel: vi.fn(async (input) => ok(download(input.model, 'pulling', 'pulling manifest'))),
    cancelPull: vi.fn(async (input) => ok(download(input.model, 'cancelled', 'cancelled'))),
    getModelCatalog: vi.fn(async () =>
      ok({
        models: [],
        recommended: { chat: '', embedding: '', reason: '' },
        memoryBytes: 16 * 1024 ** 3,
        gpu: null,
        downloadHosts: [],
      }),
    ),
    downloadModel: vi.fn(async (input) => ok(download(input.id, 'pulling', 'starting', true))),
    cancelModelDownload: vi.fn(async (input) => ok(download(input.id, 'cancelled', 'cancelled', true))),
    chooseModelFile: vi.fn(async () => ok(null)),
    warmModel: vi.fn(async (input) =>
      ok({ model: input.model ?? 'llama3.2', state: 'loading' as const, elapsedMs: 0 }),
    ),
    getContextUsage: vi.fn(async () =>
      ok({ model: 'llama3.2', numCtx: 8192, estimatedTokens: 100, reserveForAnswer: 1024, omittedTurns: 0 }),
    ),
    getModelStatus: vi.fn(async () => ok(makeModelStatus())),
    listSpaces: vi.fn(async () => ok([makeSpace()])),
    createSpace: vi.fn(async (input) =>
      ok(makeSpace({ id: 'space-new', name: input.name, kind: input.kind ?? 'general' })),
    ),
    renameSpace: vi.fn(async (input) => ok(makeSpace({ id: input.spaceId, name: input.name }))),
    archiveSpace: vi.fn(async (input) => ok(makeSpace({ id: input.spaceId, archived: input.archived }))),
    listLoops: vi.fn(async () => ok([makeSummary()])),
    createLoop: vi.fn(async (input) =>
      ok(makeLoop({ id: 'loop-new', spaceId: input.spaceId, title: input.title, updatedAt: at(30) })),
    ),
    getLoop: vi.fn(async (input) => ok(makeLoop({ id: input.loopId }))),
    renameLoop: vi.fn(async (input) => ok(makeSummary({ id: input.loopId, title: input.title }))),
    archiveLoop: vi.fn(async (input) => ok(makeSummary({ id: input.loopId, archived: input.archived }))),
    updateIntent: vi.fn(loopFor),
    setLoopLayout: vi.fn(async (input) => {
      const { draftWidth, ...parts } = input.layout;
      return ok(draftWidth === null || draftWidth === undefined ? parts : { ...parts, draftWidth });
    }),
    addTurn: vi.fn(async (input) =>
      ok(makeTurn({ id: 'turn-person', loopId: input.loopId, text: input.text })),
    ),
    requestMove: vi.fn(async (input) =>
      ok(startedTurn({ id: 'turn-ai', loopId: input.loopId, move: input.move })),
    ),
    regenerateTurn: vi.fn(async (input) =>
      ok(
        startedTurn({
          id: 'turn-regenerated',
          loopId: input.loopId,
          versionOf: input.turnId,
          ...(input.steer ? { steer: input.steer } : {}),
        }),
      ),
    ),
    chooseVersion: vi.fn(async (input) => ok(aiTurnFor(input))),
    steerTurn: vi.fn(async (input) =>
      ok(
        aiTurnFor(input, {
          ...(input.state
            ? {
                steering: {
                  state: input.state,
                  at: at(20),
                  ...(input.reason ? { reason: input.reason } : {}),
                },
              }
            : {}),
        }),
      ),
    ),
    editTurn: vi.fn(async (input) =>
      ok(aiTurnFor(input, { text: input.text, edited: { originalText: 'Hello', at: at(21) } })),
    ),
    saveDraft: vi.fn(async (input) => ok({ draft: input.text, versions: [] })),
    restoreDraftVersion: vi.fn(async () => ok({ draft: '', versions: [] })),
    applyRefine: vi.fn(async (input) =>
      ok({
        draft: '',
        versions: [],
        turn: aiTurnFor(input, { move: 'refine' }),
      }),
    ),
    recordDecision: vi.fn(async (input) =>
      ok(
        makeLoop({
          id: input.loopId,
          stage: 'decide',
          decided: true,
          decision: makeDecision({
            choice: input.choice,
            rationale: input.rationale ?? '',
            optionsSetAside: input.optionsSetAside ?? '',
            confidence: input.confidence,
            prediction: input.prediction ?? '',
            reviewDate: input.reviewDate ?? '',
          }),
        }),
      ),
    ),
    updateForecast: vi.fn(loopFor),
    gradeDecision: vi.fn(loopFor),
    getLedger: vi.fn(async () => ok([])),
    reopenLoop: vi.fn(async (input) =>
      ok(makeLoop({ id: input.loopId, pastDecisions: [makeDecision({ reopenedAt: at(50) })] })),
    ),
    listTemplates: vi.fn(async () => ok([makeTemplate()])),
    saveTemplate: vi.fn(async (input) =>
      ok(
        makeTemplate({
          id: 'template-own',
          name: input.name,
          description: input.description ?? '',
          kinds: [],
          builtIn: false,
          createdAt: at(45),
        }),
      ),
    ),
    deleteTemplate: vi.fn(async (input) => ok({ deleted: input.templateId })),
    exportLoop: vi.fn(async (input) =>
      ok({
        fileName: `${input.loopId}.md`,
        mimeType: 'text/markdown',
        base64: '',
      }),
    ),
    search: vi.fn(async () => ok([])),
    listMemories: vi.fn(async () => ok([makeMemory()])),
    getMemory: vi.fn(async (input) => ok(makeMemory({ id: input.memoryId }))),
    remember: vi.fn(async (input) =>
      ok(
        added(
          makeMemory({
            id: 'memory-new',
            text: input.text,
            kind: input.kind ?? 'context',
            scope: input.scope,
            origin: { type: input.origin ?? 'said' },
          }),
        ),
      ),
    ),
    updateMemory: vi.fn(async (input) =>
      ok(
        makeMemory({
          id: input.memoryId,
          ...(input.text !== undefined ? { text: input.text } : {}),
          ...(input.kind !== undefined ? { kind: input.kind } : {}),
          ...(input.scope !== undefined ? { scope: input.scope } : {}),
          ...(input.pinned !== undefined ? { pinned: input.pinned } : {}),
        }),
      ),
    ),
    forgetMemory: vi.fn(async (input) => ok({ forgotten: input.memoryId })),
    markMemoryNotRelevant: vi.fn(async (input) =>
      ok(makeMemory({ id: input.memoryId, notRelevant: [{ loopId: input.loopId, terms: [], at: at(6) }] })),
    ),
    proposeLessons: vi.fn(async () =>
      ok([
        {
          kind: 'preference' as const,
          text: 'Keep memos short',
          scope: 'space' as const,
          turnIds: ['turn-1'],
        },
      ]),
    ),
    acceptLesson: vi.fn(async (input) =>
      ok(
        added(
          makeMemory({ id: 'memory-lesson', text: input.text, kind: input.kind, origin: { type: 'learn' } }),
        ),
      ),
    ),
    listDueReviews: vi.fn(async () =>
      ok([{ loopId: 'loop-1', spaceId: 'space-1', title: 'Market entry', decision: makeDecision() }]),
    ),
    resolveDecision: vi.fn(async (input) =>
      ok({
        loop: makeLoop({ id: input.loopId, decided: true }),
        ...(input.review?.lesson && input.review.keepLesson !== false
          ? { memory: added(makeMemory({ id: 'memory-review', text: input.review.lesson, kind: 'lesson' })) }
          : {}),
      }),
    ),
    listMemorySuggestions: vi.fn(async () =>
      ok([
        {
          id: 'suggestion-1',
          kind: 'preference' as const,
          text: 'Avoid generic answers',
          spaceId: 'space-1',
          evidence: [{ loopId: 'loop-1', turnId: 'turn-1', reason: 'too generic' }],
        },
      ]),
    ),
    dismissMemorySuggestion: vi.fn(async (input) => ok({ dismissed: input.suggestionId })),
    addSource: vi.fn(async (input) =>
      ok({
        source: makeSource({
          id: `source-${input.fileName}`,
          spaceId: input.spaceId,
          ...(input.loopId ? { loopId: input.loopId } : {}),
          name: input.fileName,
          fileName: input.fileName,
          format: input.format ?? 'pdf',
        }),
        alreadyAdded: false,
      }),
    ),
    listSources: vi.fn(async (input) => ok([makeSource({ spaceId: input.spaceId })])),
    readSource: vi.fn(async (input) =>
      ok({
        source: makeSource({ id: input.sourceId }),
        passages: [
          { sourceId: input.sourceId, index: 0, page: 1, text: 'Revenue grew in the north.' },
          { sourceId: input.sourceId, index: 1, page: 2, text: 'Churn fell to 4 percent in Rotterdam.' },
        ],
      }),
    ),
    getSourceFile: vi.fn(async () =>
      ok({ fileName: 'Q3 report.pdf', mimeType: 'application/pdf', base64: 'JVBERi0=' }),
    ),
    renameSource: vi.fn(async (input) => ok(makeSource({ id: input.sourceId, name: input.name }))),
    removeSource: vi.fn(async (input) => ok({ removed: input.sourceId })),
    setSourceInLoop: vi.fn(async (input) =>
      ok(
        makeSource({
          id: input.sourceId,
          pinnedIn: input.state === 'pinned' ? [input.loopId] : [],
          leftOutOf: input.state === 'left-out' ? [input.loopId] : [],
        }),
      ),
    ),
    stopMove: vi.fn(async (input) => ok(aiTurnFor(input, { text: 'Partial', status: 'stopped' }))),
  };
  let uploads = 0;
  return {
    ...calls,
    download: vi.fn(async () => ok(new Blob([]))),
    upload: vi.fn(async (data: Blob | ArrayBuffer) => {
      uploads += 1;
      const bytes = data instanceof ArrayBuffer ? data.byteLength : data.size;
      return ok({ file: `up-${String(uploads).padStart(22, '0')}`, bytes });
    }),
    onEvent: vi.fn((listener: KeelEventListener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    }),
    emit: (event) => {
      for (const listener of listeners) listener(event);
    },
    listenerCount: () => listeners.size,
  };
}
