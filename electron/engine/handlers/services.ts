/**
 * The services the open workspace's calls are delegated to, each by its interface in the product's
 * terms (the model, download and sync services are still their classes). Each file beside this one maps one
 * domain's calls to them, one line per call; the logic lives in the services.
 */
import type { CallName, KeelHandlers } from '../../../shared/contract';
import type { Decisions } from '../loops/DecisionService';
import type { Drafts } from '../loops/DraftService';
import type { Loops } from '../loops/LoopService';
import type { Moves } from '../loops/MoveRunner';
import type { TurnSteering } from '../loops/Steering';
import type { Templates } from '../loops/TemplateService';
import type { Exporter } from '../export/LoopExporter';
import type { Memories } from '../memory/MemoryService';
import type { ModelDownloads } from '../model/builtin/ModelDownloads';
import type { ModelService } from '../model/ModelService';
import type { PullService } from '../model/PullService';
import type { Search } from '../search/SearchService';
import type { Preferences } from '../settings/SettingsService';
import type { Sources } from '../sources/SourceService';
import type { SyncService } from '../sync/SyncService';

export interface WorkspaceServices {
  settings: Preferences;
  models: ModelService;
  pulls: PullService;
  modelDownloads: ModelDownloads;
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
  sync: SyncService;
}

/** The handlers of one domain's calls (`shared/contract/<domain>.ts`): every one, and no other. */
export type HandlersFor<Calls> = Pick<KeelHandlers, keyof Calls & CallName>;
