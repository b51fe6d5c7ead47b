/**
 * A loop as a document the person keeps: gathers what the export names beside the loop (its space,
 * the sources its turns cited, the memories its dossier used) and hands them to `exportLoop`.
 */
import type { FileContent, LoopExport } from '../../../shared/domain';
import type { LoopService } from '../loops/LoopService';
import type { MemoryService } from '../memory/MemoryService';
import type { SourceService } from '../sources/SourceService';
import { exportLoop } from './exportLoop';

/** A loop as a document the person keeps. */
export interface Exporter {
  export(request: LoopExport): Promise<FileContent>;
}

export class LoopExporter implements Exporter {
  constructor(
    private readonly loops: LoopService,
    private readonly sources: Pick<SourceService, 'list'>,
    private readonly memory: Pick<MemoryService, 'get'>,
  ) {}

  async export({ loopId, ...options }: LoopExport): Promise<FileContent> {
    const loop = await this.loops.getLoop({ loopId });
    const space = this.loops.listSpaces({ includeArchived: true }).find((s) => s.id === loop.spaceId);
    const cited = await this.sources.list({ spaceId: loop.spaceId, loopId });
    // The memories the decision's dossier names, by their text; a forgotten one is said to be.
    const memoryTexts = new Map<string, string>();
    for (const turn of loop.turns) {
      for (const { id } of turn.memoriesUsed ?? []) {
        if (memoryTexts.has(id)) continue;
        const item = await this.memory.get(id).catch(() => undefined);
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
  }
}
