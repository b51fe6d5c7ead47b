/**
 * The services the open workspace's calls are delegated to. Each file beside this one maps one
 * domain's calls to them, one line per call; the logic lives in the services.
 */
import type { CallName, KeelHandlers } from '../../../shared/contract';
import type { DecisionService } from '../loops/DecisionService';
import type { DraftService } from '../loops/DraftService';
import type { LoopService } from '../loops/LoopService';
import type { MoveRunner } from '../loops/MoveRunner';
import type { Steering } from '../loops/Steering';
import type { TemplateService } from '../loops/TemplateService';
import type { LoopExporter } from '../export/LoopExporter';
import type { MemoryService } from '../memory/MemoryService';
import type { ModelDownloads } from '../model/builtin/ModelDownloads';
import type { ModelService } from '../model/ModelService';
import type { PullService } from '../model/PullService';
import type { SearchService } from '../search/SearchService';
import type { SettingsService } from '../settings/SettingsService';
import type { SourceService } from '../sources/SourceService';
import type { SyncService } from '../sync/SyncService';

export interface WorkspaceServices {
  settings: SettingsService;
  models: ModelService;
  pulls: PullService;
  modelDownloads: ModelDownloads;
  loops: LoopService;
  moves: MoveRunner;
  steering: Steering;
  drafts: DraftService;
  decisions: DecisionService;
  templates: TemplateService;
  exporter: LoopExporter;
  memory: MemoryService;
  sources: SourceService;
  search: SearchService;
  sync: SyncService;
}

/** The handlers of one domain's calls (`shared/contract/<domain>.ts`): every one, and no other. */
export type HandlersFor<Calls> = Pick<KeelHandlers, keyof Calls & CallName>;
