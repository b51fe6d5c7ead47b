/**
 * The open workspace: the services over one opened store (the model service bound to the allowed
 * host, loops, moves, pulls, drafts, decisions, templates) behind the handlers of every call that
 * reads or writes the person's data. The engine opens one after start (or after unlock) and closes
 * it on lock, restore and import.
 */
import { join, resolve } from 'node:path';
import { limits, type CallArgs, type KeelHandlers } from '../../shared/contract';
import type { MemoryOutcome, Settings } from '../../shared/domain';
import { KeelError } from '../../shared/errors';
import type { EngineOptions } from './Engine';
import type { EventHub } from './EventHub';
import { exportLoop } from './export/exportLoop';
import { newId } from './ids';
import { MemoryService, rememberedText } from './memory/MemoryService';
import { SearchService } from './search/SearchService';
import { SourceService } from './sources/SourceService';
import { decisionCopy } from './store/documents';
import { DecisionService, reviewIsDue } from './loops/DecisionService';
import { DueForecastWatch } from './loops/dueForecasts';
import { DraftService } from './loops/DraftService';
import { LoopService } from './loops/LoopService';
import { MoveRunner } from './loops/MoveRunner';
import { Steering } from './loops/Steering';
import { TemplateService } from './loops/TemplateService';
import {
  recommendedChatModel,
  recommendedEmbeddingModel,
  type AutomaticModels,
} from './model/automaticModels';
import { BuiltinModels } from './model/builtin/BuiltinModels';
import { ModelService, type ModelChoice } from './model/ModelService';
import { parseOllamaHost } from './model/ollamaHost';
import { files } from './store/layout';
import type { NoteProblem } from './Diagnostics';
import type { OutboundLog } from './model/outboundFetch';
import { PullService } from './model/PullService';
import { builtinCatalog } from './model/builtin/catalog';
import { RuntimeGpuChoice } from './model/builtin/gpu';
import { machineProbe } from './model/builtin/machine';
import { ModelDownloads } from './model/builtin/ModelDownloads';
import type { Store } from './store/Store';
import { SyncService } from './sync/SyncService';

/** The calls that work only while the workspace is open. */
export type WorkspaceHandlers = Omit<KeelHandlers, EngineOnlyCall>;
export type EngineOnlyCall =
  | 'getAppInfo'
  | 'getEngineState'
  | 'unlock'
  | 'lock'
  | 'setPassphrase'
  | 'removePassphrase'
  | 'listBackups'
  | 'backupNow'
  | 'restoreBackup'
  | 'getOutboundLog'
  | 'getBackgroundProblems'
  | 'exportArchive'
  | 'importArchive'
  | 'settleImportedSettings'
  | 'openExternal'
  | 'chooseModelFile';

export interface Workspace {
  readonly store: Store;
  readonly handlers: WorkspaceHandlers;
  readonly models: ModelService;
  readonly memory: MemoryService;
  readonly sync: SyncService;
  readonly sources: SourceService;
  /** Writes everything waiting to be written (the catalog behind the loops included). */
  flush(): Promise<void>;
  /** Stops every stream and download and waits for every pending write. */
  close(): Promise<void>;
}

export function openWorkspace(
  store: Store,
  options: EngineOptions,
  shared: {
    events: EventHub;
    outbound: OutboundLog;
    /** Where background work reports a failure (Settings → Diagnostics lists them). */
    noteProblem: NoteProblem;
    /** Deletes files from every backup, for what the person removes for good. */
    purgeBackups: (relativePaths: readonly string[]) => Promise<unknown>;
    /** The bytes of an uploaded source file (used once, then gone). */
    takeUpload: (id: string) => Promise<Buffer>;
  },
): Workspace {
  const { events, outbound, noteProblem } = shared;
  const settings = store.settings;
  const machine = machineProbe({ memoryBytes: options.memoryBytes, detect: options.detectGpu });
  const builtinModels = new BuiltinModels({
    folder: join(store.dataDir, files.models),
    modelFiles: () => settings.data.modelFiles,
    ...(options.runtimeLauncher ? { launcher: options.runtimeLauncher } : {}),
    gpu: new RuntimeGpuChoice({ machine, noteProblem }),
  });
  const models = new ModelService(
    () => ({
      fromSettings: settings.data.ollamaHost,
      fromEnvironment: options.ollamaHost,
      allowRemote: settings.data.allowRemoteHost,
    }),
    outbound,
    events,
    options.memoryBytes,
    { models: builtinModels, choice: () => settings.data.runtime },
  );
  const loops = new LoopService(store, noteProblem);
  /**
   * The models for a space: the space's own, else the person's global choice, else the installed
   * one Keel picked (Ollama is asked only when something is not chosen), else Keel's default name
   * (which then fails with the advice to pull it).
   */
  const modelChoice = async (spaceId: string): Promise<ModelChoice> => {
    const space = store.catalog.data.spaces.find((candidate) => candidate.id === spaceId);
    const global = (await models.globalModelsApply(space?.runtime)) ? settings.data : undefined;
    let chatModel = space?.chatModel || global?.chatModel;
    let embeddingModel = space?.embeddingModel || global?.embeddingModel;
    if (!chatModel || !embeddingModel) {
      const picked = await models.automatic(space?.runtime).catch((): AutomaticModels => ({}));
      chatModel ||= picked.chat?.name ?? recommendedChatModel;
      embeddingModel ||= picked.embedding?.name ?? recommendedEmbeddingModel;
    }
    return { chatModel, embeddingModel, keepAlive: settings.data.keepAlive };
  };
  const memory = new MemoryService(store, loops, models, modelChoice, noteProblem);
  const sources = new SourceService(
    store,
    loops,
    models,
    events,
    async (spaceId) => (await modelChoice(spaceId)).embeddingModel,
    {
      maxBytes: options.sourceMaxBytes ?? limits.sourceBytes,
      purgeBackups: shared.purgeBackups,
      takeUpload: shared.takeUpload,
      noteProblem,
      ...(options.sourceReadLimits ? { readLimits: options.sourceReadLimits } : {}),
    },
  );
  const moves = new MoveRunner(
    loops,
    models,
    events,
    modelChoice,
    {
      firstTokenTimeoutMs: options.firstTokenTimeoutMs ?? 240_000,
      stallTimeoutMs: options.stallTimeoutMs ?? 60_000,
      checkpointMs: 2_000,
    },
    { memory, journal: (spaceId, period) => journalEntries(loops, spaceId, period), sources, noteProblem },
  );
  const pulls = new PullService(models, events);
  const modelDownloads = new ModelDownloads({
    modelsDir: join(options.dataDir, files.models),
    source: options.modelCatalog ?? builtinCatalog,
    outbound,
    events,
    machine,
    ...(options.modelFreeBytes ? { freeBytes: options.modelFreeBytes } : {}),
  });
  const search = new SearchService(store, loops, memory, sources, noteProblem);
  const steering = new Steering(loops, (spaceId, loopId, turnId, reason) =>
    memory
      .noteSetAside(spaceId, loopId, turnId, reason)
      .catch((error: unknown) => noteProblem('noting why a turn was set aside', error)),
  );
  const drafts = new DraftService(loops);
  const decisions = new DecisionService(loops);
  const dueWatch = new DueForecastWatch(
    () => store.catalog.data.loops,
    shared.events,
    () => settings.data.notifyDueForecasts,
  );
  dueWatch.start(options.dueForecastDelayMs);
  const templates = new TemplateService(loops, store.templates);
  const sync = new SyncService(store, loops, memory, sources, events, outbound, {
    ...(options.scryptCost ? { scryptCost: options.scryptCost } : {}),
    ...options.sync,
  });
  void sync.start();

  const currentSettings = (): Settings => {
    const { version: _version, ...rest } = settings.data;
    return rest;
  };
  /** Warming is a courtesy: its outcome arrives as events, and a failure here changes nothing. */
  const warmInBackground = (model: string) => {
    models.warm(model, settings.data.keepAlive).catch(() => undefined);
  };

  /**
   * Refuses a model that cannot do the job. One that is not installed yet, or that cannot be checked
   * while Ollama is down, may still be chosen: the status then offers to pull it.
   */
  async function checkModel(model: string | null | undefined, use: 'chat' | 'embed'): Promise<void> {
    if (!model) return;
    await models.assertCan(model, use).catch((error: unknown) => {
      if (error instanceof KeelError && error.code === 'model-unsuitable') throw error;
    });
  }

  async function updateSettings(changes: CallArgs<'updateSettings'>): Promise<Settings> {
    if (changes.ollamaHost !== undefined && changes.ollamaHost !== '') parseOllamaHost(changes.ollamaHost);
    await checkModel(changes.chatModel, 'chat');
    await checkModel(changes.embeddingModel, 'embed');
    Object.assign(settings.data, definedOnly(changes));
    await settings.save();
    if (changes.chatModel !== undefined) warmInBackground(changes.chatModel);
    return currentSettings();
  }

  async function setSpaceModels(input: CallArgs<'setSpaceModels'>) {
    await checkModel(input.chatModel, 'chat');
    await checkModel(input.embeddingModel, 'embed');
    const space = await loops.setSpaceModels(input);
    if (input.chatModel) warmInBackground(input.chatModel);
    return space;
  }

  let lastStatusKey = '';
  const handlers: WorkspaceHandlers = {
    getSettings: async () => currentSettings(),
    updateSettings,
    getModelStatus: async () => {
      const status = await models.status(settings.data);
      // Every window hears when the connection changes, not only the one that asked.
      const key = `${status.connection} ${status.host} ${status.chatModel}`;
      if (key !== lastStatusKey) {
        lastStatusKey = key;
        events.emit({ type: 'model.status', status });
      }
      return status;
    },
    listModels: ({ runtime }) => models.listInstalled(runtime),
    useModelFile: async ({ path }) => {
      const { name } = await builtinModels.useModelFile(resolve(path));
      if (!settings.data.modelFiles.includes(resolve(path))) {
        settings.data.modelFiles = [...settings.data.modelFiles, resolve(path)];
        await settings.save();
      }
      return { name };
    },
    setSpaceModels,
    pullModel: async ({ model }) => pulls.start(model),
    cancelPull: ({ model }) => pulls.cancel(model),
    getModelCatalog: () => modelDownloads.catalog(),
    downloadModel: async ({ id }) => modelDownloads.start(id),
    cancelModelDownload: ({ id }) => modelDownloads.cancel(id),
    warmModel: async ({ model, spaceId }) =>
      models.warm(model ?? (await modelChoice(spaceId ?? '')).chatModel, settings.data.keepAlive),
    getContextUsage: async ({ loopId }) => {
      const prompt = await moves.prompt(loopId, 'explore', undefined);
      return {
        model: prompt.model,
        numCtx: prompt.numCtx,
        estimatedTokens: prompt.estimatedTokens,
        reserveForAnswer: prompt.reserveForAnswer,
        omittedTurns: prompt.omittedTurns,
      };
    },
    listSpaces: async (input) => loops.listSpaces(input),
    createSpace: (input) => loops.createSpace(input),
    renameSpace: (input) => loops.renameSpace(input),
    archiveSpace: (input) => loops.archiveSpace(input),
    listLoops: async (input) => loops.listLoops(input),
    createLoop: (input) => loops.createLoop(input),
    getLoop: async (input) => {
      const loop = await loops.getLoop(input);
      // Opening a loop is the moment to load its model, so the first move does not wait for it.
      void modelChoice(loop.spaceId).then((choice) => warmInBackground(choice.chatModel));
      return loop;
    },
    renameLoop: (input) => loops.renameLoop(input),
    archiveLoop: (input) => loops.archiveLoop(input),
    updateIntent: (input) => loops.updateIntent(input),
    setLoopLayout: (input) => loops.setLoopLayout(input),
    addTurn: async (input) => {
      // "Remember …" in the composer is said outright: it becomes a memory of this space, and a turn.
      const said = rememberedText(input.text);
      if (!said) return loops.addTurn(input);
      const { summary } = await loops.open(input.loopId);
      const turnId = newId('tn');
      const outcome = await memory.capture({
        text: said,
        scope: { type: 'space', spaceId: summary.spaceId },
        source: 'said',
        loopId: input.loopId,
        turnIds: [turnId],
      });
      return loops.addTurn(input, {
        id: turnId,
        remembered: { id: outcome.item.id, action: outcome.action },
      });
    },
    requestMove: (input) => moves.request(input),
    regenerateTurn: (input) => moves.regenerate(input),
    stopMove: (input) => moves.stop(input),
    chooseVersion: (input) => steering.chooseVersion(input),
    steerTurn: (input) => steering.steer(input),
    editTurn: (input) => steering.edit(input),
    saveDraft: (input) => drafts.save(input),
    restoreDraftVersion: (input) => drafts.restoreVersion(input),
    applyRefine: (input) => drafts.applyRefine(input),
    recordDecision: (input) => decisions.record(input),
    reopenLoop: (input) => decisions.reopen(input),
    updateForecast: (input) => decisions.updateForecast(input),
    gradeDecision: (input) => decisions.grade(input),
    getLedger: () => decisions.ledger(),
    listTemplates: async () => templates.list(),
    saveTemplate: (input) => templates.save(input),
    deleteTemplate: (input) => templates.delete(input),
    search: (input) => search.search(input),
    listMemories: (input) => memory.list(input),
    getMemory: ({ memoryId }) => memory.get(memoryId),
    remember: async ({ text, kind, scope, source, loopId, turnId, suggestionId }) => {
      const outcome = await memory.capture({
        text,
        kind,
        scope,
        source: source ?? 'said',
        loopId,
        turnIds: turnId ? [turnId] : undefined,
      });
      if (suggestionId) await memory.resolveSuggestion(suggestionId);
      return outcome;
    },
    updateMemory: (input) => memory.update(input),
    forgetMemory: async ({ memoryId }) => {
      const forgotten = await memory.forget(memoryId);
      await search.purge();
      return forgotten;
    },
    markMemoryNotRelevant: (input) => memory.markNotRelevant(input),
    proposeLessons: ({ loopId }) => memory.proposeLessons(loopId),
    acceptLesson: async (input) => {
      const outcome = await memory.acceptLesson(input);
      // The timeline shows what was learned; a decided loop moves to its Learn stage.
      await loops.addTurn({ loopId: input.loopId, text: `Learned: ${input.text}`, move: 'learn' });
      return outcome;
    },
    listDueReviews: async () => {
      const today = new Date().toISOString().slice(0, 10);
      const due = loops
        .listLoops({ includeArchived: false })
        .filter((loop) => reviewIsDue(loop.reviewDue, today));
      const reviews = [];
      for (const loop of due) {
        const { document } = await loops.open(loop.id);
        const decision = document.data.decision;
        if (decision && !decision.review) {
          reviews.push({
            loopId: loop.id,
            spaceId: loop.spaceId,
            title: loop.title,
            decision: decisionCopy(decision),
          });
        }
      }
      return reviews;
    },
    resolveDecision: async (input) => {
      let outcome: MemoryOutcome | undefined;
      const loop = await decisions.resolve(input, async (decision, review) => {
        if (!review.keepLesson || review.lesson === '') return undefined;
        const { summary } = await loops.open(input.loopId);
        outcome = await memory.capture({
          text: `${review.lesson} (From the decision “${decision.choice}”, made at ${decision.confidence}% confidence. ${review.outcome})`,
          kind: 'lesson',
          scope: { type: 'space', spaceId: summary.spaceId },
          source: 'review',
          loopId: input.loopId,
        });
        return outcome.item.id;
      });
      return { loop, ...(outcome ? { memory: outcome } : {}) };
    },
    addSource: (input) => sources.add(input),
    listSources: (input) => sources.list(input),
    readSource: ({ sourceId }) => sources.read(sourceId),
    getSourceFile: ({ sourceId }) => sources.file(sourceId),
    renameSource: (input) => sources.rename(input),
    removeSource: async ({ sourceId }) => {
      const removed = await sources.remove(sourceId);
      await search.purge();
      return removed;
    },
    setSourceInLoop: (input) => sources.setInLoop(input),
    listMemorySuggestions: () => memory.suggestions(),
    dismissMemorySuggestion: ({ suggestionId }) => memory.dismissSuggestion(suggestionId),
    setUpSync: (input) => sync.setUp(input),
    joinSync: (input) => sync.join(input),
    getSyncStatus: async ({ spaceId }) => sync.status(spaceId),
    listSync: async () => sync.list(),
    pauseSync: ({ spaceId, paused }) => sync.pause(spaceId, paused),
    leaveSync: ({ spaceId }) => sync.leave(spaceId),
    dismissSyncConflict: ({ spaceId, at, what }) => sync.dismissConflict(spaceId, at, what),
    exportLoop: async ({ loopId, ...options }) => {
      const loop = await loops.getLoop({ loopId });
      const space = loops.listSpaces({ includeArchived: true }).find((s) => s.id === loop.spaceId);
      const cited = await sources.list({ spaceId: loop.spaceId, loopId });
      // The memories the decision's dossier names, by their text; a forgotten one is said to be.
      const memoryTexts = new Map<string, string>();
      for (const turn of loop.turns) {
        for (const { id } of turn.memoriesUsed ?? []) {
          if (memoryTexts.has(id)) continue;
          const item = await memory.get(id).catch(() => undefined);
          if (item) memoryTexts.set(id, item.text);
        }
      }
      return exportLoop(
        loop,
        space,
        options,
        new Map(cited.map((source) => [source.id, source.name])),
        memoryTexts,
      );
    },
  };

  return {
    store,
    handlers,
    models,
    memory,
    sync,
    sources,
    flush: async () => {
      await loops.flush();
      await store.flush();
    },
    close: async () => {
      dueWatch.stop();
      await sync.close();
      await Promise.all([moves.stopAll(), pulls.cancelAll(), modelDownloads.cancelAll(), sources.close()]);
      await models.close();
      await loops.flush();
      await search.flush().catch((error: unknown) => noteProblem('saving the search index', error));
      await store.flush();
    },
  };
}

/** The person's journal entries (their own turns) in a space's loops during a period, oldest first. */
async function journalEntries(
  loops: LoopService,
  spaceId: string,
  period: { from: string; to: string },
): Promise<{ date: string; title: string; text: string }[]> {
  const entries: { date: string; title: string; text: string; at: string }[] = [];
  for (const summary of loops.listLoops({ spaceId, includeArchived: true })) {
    if (summary.updatedAt.slice(0, 10) < period.from || summary.createdAt.slice(0, 10) > period.to) continue;
    const { document } = await loops.open(summary.id);
    for (const turn of document.data.turns) {
      const day = turn.createdAt.slice(0, 10);
      if (turn.author !== 'person' || day < period.from || day > period.to || turn.text.trim() === '')
        continue;
      entries.push({ date: day, title: summary.title, text: turn.text.slice(0, 3000), at: turn.createdAt });
    }
  }
  return entries.sort((a, b) => a.at.localeCompare(b.at)).map(({ at: _at, ...entry }) => entry);
}

function definedOnly<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, entry]) => entry !== undefined)) as Partial<T>;
}
