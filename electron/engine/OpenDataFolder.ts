/**
 * The open data folder: the services over one opened store (the model service bound to the allowed
 * host, loops, moves, pulls, drafts, decisions, templates) behind the handlers of every call that
 * reads or writes the person's data. The engine opens one after start (or after unlock) and closes
 * it on lock, restore and import.
 */
import { join } from 'node:path';
import { limits, type KeelHandlers, type DataFolderCall } from '../../shared/contract';
import type { EngineOptions } from './EngineOptions';
import type { EventHub } from './EventHub';
import type { NoteProblem } from './Diagnostics';
import { LoopExporter } from './export/LoopExporter';
import { ledgerHandlers } from './handlers/ledger';
import { loopHandlers } from './handlers/loops';
import { memoryHandlers } from './handlers/memory';
import { modelHandlers } from './handlers/models';
import type { DataFolderServices } from './handlers/services';
import { sourceHandlers } from './handlers/sources';
import { syncHandlers } from './handlers/sync';
import { DecisionService } from './loops/DecisionService';
import { DraftService } from './loops/DraftService';
import { DueForecastWatch } from './loops/dueForecasts';
import { journalEntries } from './loops/journal';
import { LoopService } from './loops/LoopService';
import { MoveRunner } from './loops/MoveRunner';
import { SteeringService } from './loops/SteeringService';
import { TemplateService } from './loops/TemplateService';
import { MemoryService } from './memory/MemoryService';
import { BuiltinModels } from './model/builtin/BuiltinModels';
import { builtinCatalog, type MachineInfo } from './model/builtin/catalog';
import type { RuntimeGpuChoice } from './model/builtin/gpu';
import { ModelDownloads } from './model/builtin/ModelDownloads';
import { ModelService } from './model/ModelService';
import type { OutboundLog } from './model/outboundFetch';
import { PullService } from './model/PullService';
import { SearchService } from './search/SearchService';
import { SettingsService } from './settings/SettingsService';
import { SourceService } from './sources/SourceService';
import { files } from './store/layout';
import type { Store } from './store/Store';
import { SyncService } from './sync/SyncService';

/** The calls that work only while the data folder is open. */
export type DataFolderHandlers = Pick<KeelHandlers, DataFolderCall>;

export interface OpenDataFolder {
  readonly store: Store;
  readonly handlers: DataFolderHandlers;
  readonly settings: SettingsService;
  readonly models: ModelService;
  readonly memory: MemoryService;
  readonly sync: SyncService;
  readonly sources: SourceService;
  /** Writes everything waiting to be written (the catalog behind the loops included). */
  flush(): Promise<void>;
  /** Stops every stream and download and waits for every pending write. */
  close(): Promise<void>;
}

export function openDataFolder(
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
    /** This machine, detected once per engine (not again at each unlock). */
    machine: () => Promise<MachineInfo>;
    /** The built-in runtime's GPU, per engine: a GPU build that failed is not tried again after an unlock. */
    gpu: RuntimeGpuChoice;
  },
): OpenDataFolder {
  const { events, outbound, noteProblem, machine } = shared;
  const builtinModels = new BuiltinModels({
    folder: join(store.dataDir, files.models),
    modelFiles: () => store.settings.data.modelFiles,
    ...(options.runtimeLauncher ? { launcher: options.runtimeLauncher } : {}),
    gpu: shared.gpu,
  });
  const models = new ModelService(
    () => ({
      fromSettings: store.settings.data.ollamaHost,
      fromEnvironment: options.ollamaHost,
      allowRemote: store.settings.data.allowRemoteHost,
    }),
    outbound,
    events,
    options.memoryBytes,
    { models: builtinModels, choice: () => store.settings.data.runtime },
  );
  const loops = new LoopService(store, noteProblem);
  const settings = new SettingsService(store, loops, models, builtinModels, events);
  const modelChoice = (spaceId: string) => settings.modelChoice(spaceId);
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
  const steering = new SteeringService(loops, (spaceId, loopId, turnId, reason) =>
    memory
      .noteSetAside(spaceId, loopId, turnId, reason)
      .catch((error: unknown) => noteProblem('noting why a turn was set aside', error)),
  );
  const dueWatch = new DueForecastWatch(
    () => store.catalog.data.loops,
    shared.events,
    () => store.settings.data.notifyDueForecasts,
  );
  dueWatch.start(options.dueForecastDelayMs);
  const templates = new TemplateService(loops, store.templates);
  templates.onTemplateArrived(({ spaceId }) => events.emit({ type: 'templates.changed', spaceId }));
  const sync = new SyncService(store, loops, memory, sources, templates, events, outbound, {
    ...(options.scryptCost ? { scryptCost: options.scryptCost } : {}),
    ...options.sync,
  });
  void sync.start();

  const services: DataFolderServices = {
    settings,
    models,
    pulls,
    modelDownloads,
    loops,
    moves,
    steering,
    drafts: new DraftService(loops),
    decisions: new DecisionService(loops, (lesson) => memory.capture(lesson)),
    templates,
    exporter: new LoopExporter(loops, sources, memory),
    memory,
    sources,
    search,
    sync,
  };
  const handlers: DataFolderHandlers = {
    ...modelHandlers(services),
    ...loopHandlers(services),
    ...ledgerHandlers(services),
    ...memoryHandlers(services),
    ...sourceHandlers(services),
    ...syncHandlers(services),
  };

  return {
    store,
    handlers,
    settings,
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
