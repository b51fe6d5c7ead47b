/**
 * The services the open data folder's calls are delegated to, each by its interface in the product's
 * terms: never by its class, and never in the contract's wire types (only the handlers speak those).
 * Each file beside this one maps one domain's calls to them, one line per call; the logic lives in
 * the services.
 */
import type { CallName, KeelHandlers } from '../../../shared/contract';
import type { Decisions } from '../loops/DecisionService';
import type { Drafts } from '../loops/DraftService';
import type { Loops } from '../loops/LoopService';
import type { Moves } from '../loops/MoveRunner';
import type { TurnSteering } from '../loops/SteeringService';
import type { Templates } from '../loops/TemplateService';
import type { Exporter } from '../export/LoopExporter';
import type { Memories } from '../memory/MemoryService';
import type { BuiltinModelDownloads } from '../model/builtin/ModelDownloads';
import type { Models } from '../model/ModelService';
import type { ModelPulls } from '../model/PullService';
import type { Search } from '../search/SearchService';
import type { Preferences } from '../settings/SettingsService';
import type { Sources } from '../sources/SourceService';
import type { Sync } from '../sync/SyncService';

export interface DataFolderServices {
  settings: Preferences;
  models: Models;
  pulls: ModelPulls;
  modelDownloads: BuiltinModelDownloads;
  loops: Loops;
  moves: Moves;
  steering: TurnSteering;
  drafts: Drafts;
  decisions: Decisions;
  templates: Templates;
  exporter: Exporter;
  memory: Memories;
  sources: Sources;
  search: Search;
  sync: Sync;
}

/** The handlers of one domain's calls (`shared/contract/<domain>.ts`): every one, and no other. */
export type HandlersFor<Calls> = Pick<KeelHandlers, keyof Calls & CallName>;
