/**
 * Search across everything: loops (title and intent), turns, drafts, decisions, memories and the
 * passages of sources. One
 * full-text index (`TextIndex`) is kept in `search/index.json` (through the codec: encrypted when
 * the data is) and kept up to date as work is saved, never rebuilt on start. Changes are applied
 * in small batches (a second after they happen, or before a search); the index file is written on
 * close and every few minutes. Beside the index it keeps when each loop and memory was last
 * indexed, so after a crash only what changed since the last write is indexed again.
 */
import type { LoopSummary, MemoryItem, SearchKind, SearchQuery, SearchResult } from '../../../shared/domain';
import { forecastWords } from '../../../shared/ledger';
import { currentVersionIds } from '../../../shared/loopLogic';
import type { NoteProblem } from '../Diagnostics';
import type { LoopService } from '../loops/LoopService';
import type { MemoryService } from '../memory/MemoryService';
import type { SourceService } from '../sources/SourceService';
import { indexTerm } from '../retrieval/words';
import { TextIndex, type SerializedIndex } from '../retrieval/TextIndex';
import { layout } from '../store/layout';
import type { LoopDocument } from '../store/documents';
import type { Document, Store } from '../store/Store';
import type { IndexFile } from './searchDocuments';

/** What a search result needs to know of its document, kept in the index. */
type SearchMeta = Pick<
  SearchResult,
  'kind' | 'spaceId' | 'loopId' | 'turnId' | 'memoryId' | 'sourceId' | 'passageIndex' | 'at'
>;

interface SearchDoc {
  id: string;
  text: string;
  meta: SearchMeta;
}

/** Search across everything, and removals whose words must leave the index at once. */
export interface Search {
  search(query: SearchQuery): Promise<SearchResult[]>;
  forgetMemory(memoryId: string): Promise<{ forgotten: string }>;
  removeSource(sourceId: string): Promise<{ removed: string }>;
}

export class SearchService implements Search {
  private opened: Promise<{ file: Document<IndexFile>; index: TextIndex<SearchMeta> }> | undefined;
  private readonly dirtyLoops = new Set<string>();
  private memoriesDirty = true;
  private sourcesDirty = true;
  private applyTimer: NodeJS.Timeout | undefined;
  private saveTimer: NodeJS.Timeout | undefined;
  private changedSinceSave = false;

  constructor(
    private readonly store: Store,
    private readonly loops: LoopService,
    private readonly memory: MemoryService,
    private readonly sources: SourceService,
    private readonly noteProblem: NoteProblem,
  ) {
    loops.onLoopChanged((loopId) => this.mark(loopId));
    memory.onMemoryChanged(() => {
      this.memoriesDirty = true;
      this.scheduleApply();
    });
    sources.onSourcesChanged(() => {
      this.sourcesDirty = true;
      this.scheduleApply();
    });
  }

  async search({ query, spaceId, kinds, from, to, limit }: SearchQuery): Promise<SearchResult[]> {
    const { index } = await this.open();
    await this.apply();
    const wanted = kinds && kinds.length > 0 ? new Set<SearchKind>(kinds) : undefined;
    const hits = index.search(
      query,
      (meta) => {
        const day = meta.at.slice(0, 10);
        return (
          (spaceId === undefined || meta.spaceId === spaceId) &&
          (wanted === undefined || wanted.has(meta.kind)) &&
          (from === undefined || day >= from) &&
          (to === undefined || day <= to)
        );
      },
      limit ?? 30,
    );
    const results: SearchResult[] = [];
    const summaries = new Map(this.loops.listLoops({ includeArchived: true }).map((loop) => [loop.id, loop]));
    // Each loop's file is read once per search, however many of its turns were found.
    const files = new Map<string, Promise<LoopDocument | undefined>>();
    const read = (summary: LoopSummary) => {
      let file = files.get(summary.id);
      if (!file) {
        file = this.store.readLoop(summary.id, summary.title).catch(() => undefined);
        files.set(summary.id, file);
      }
      return file;
    };
    // Each source is read once per search too.
    const sources = new Map<string, Promise<Awaited<ReturnType<SourceService['read']>> | undefined>>();
    const readSource = (sourceId: string) => {
      let source = sources.get(sourceId);
      if (!source) {
        source = this.sources.read(sourceId).catch(() => undefined);
        sources.set(sourceId, source);
      }
      return source;
    };
    for (const hit of hits) {
      const meta = hit.meta;
      const summary = meta.loopId ? summaries.get(meta.loopId) : undefined;
      const source = meta.sourceId ? await readSource(meta.sourceId) : undefined;
      if (meta.kind === 'source' && !source) continue;
      const text =
        meta.kind === 'memory'
          ? ((await this.memory.lookup(meta.memoryId!))?.text ?? '')
          : source
            ? (source.passages[meta.passageIndex!]?.text ?? '')
            : summary
              ? docText(hit.id, summary, await read(summary))
              : '';
      // A source's loop is read from the source itself: one added to a loop may be its space's since.
      const loopId = source ? source.source.loopId : meta.loopId;
      results.push({
        kind: meta.kind,
        spaceId: meta.spaceId,
        ...(loopId ? { loopId } : {}),
        ...(meta.turnId ? { turnId: meta.turnId } : {}),
        ...(meta.memoryId ? { memoryId: meta.memoryId } : {}),
        ...(source ? { sourceId: source.source.id, passageIndex: meta.passageIndex! } : {}),
        title: meta.kind === 'memory' ? 'Memory' : source ? source.source.name : (summary?.title ?? ''),
        snippet: snippet(text, hit.terms),
        at: meta.at,
        score: hit.score,
      });
    }
    return results;
  }

  /** Forgets a memory, and its words leave the index file at once. */
  async forgetMemory(memoryId: string): Promise<{ forgotten: string }> {
    const forgotten = await this.memory.forget(memoryId);
    await this.purge();
    return forgotten;
  }

  /** Removes a source for good, and its words leave the index file at once. */
  async removeSource(sourceId: string): Promise<{ removed: string }> {
    const removed = await this.sources.remove(sourceId);
    await this.purge();
    return removed;
  }

  /**
   * After something was deleted for good (a source removed, a memory forgotten): its words leave the
   * index and the index file at once, not at the next write.
   */
  async purge(): Promise<void> {
    if (!this.opened && !(await this.store.exists(layout.searchIndex.path()))) return;
    await this.open();
    this.sourcesDirty = true;
    this.memoriesDirty = true;
    await this.apply();
    await this.save();
  }

  /** Applies what is waiting and writes the index file (on close). */
  async flush(): Promise<void> {
    clearTimeout(this.applyTimer);
    clearTimeout(this.saveTimer);
    this.applyTimer = undefined;
    this.saveTimer = undefined;
    if (!this.opened) return;
    await this.apply();
    if (this.changedSinceSave) await this.save();
  }

  private mark(loopId: string): void {
    this.dirtyLoops.add(loopId);
    this.scheduleApply();
  }

  private scheduleApply(): void {
    if (!this.opened) return; // Not open yet: opening catches up with everything.
    this.applyTimer ??= setTimeout(() => {
      this.applyTimer = undefined;
      this.apply().catch((error: unknown) => this.noteProblem('updating the search index', error));
    }, 1000);
    this.applyTimer.unref();
  }

  /** Opens the index file, or builds it once from every loop and memory when there is none. */
  private open(): Promise<{ file: Document<IndexFile>; index: TextIndex<SearchMeta> }> {
    this.opened ??= (async () => {
      const file = await this.store.document(
        layout.searchIndex.path(),
        layout.searchIndex.spec(),
        layout.searchIndex.defaults(),
      );
      let index: TextIndex<SearchMeta>;
      try {
        index =
          file.data.index === null
            ? new TextIndex<SearchMeta>()
            : TextIndex.fromJSON(file.data.index as SerializedIndex<SearchMeta>);
      } catch {
        index = new TextIndex<SearchMeta>();
        file.data.loops = {};
        file.data.memories = {};
        file.data.sources = {};
      }
      file.data.index = null; // The live index is the truth; the file's copy is made again on save.
      // What changed since the index was last written (or everything, the first time) is indexed
      // now; a loop no longer in the catalog is removed.
      const current = new Set<string>();
      for (const loop of this.loops.listLoops({ includeArchived: true })) {
        current.add(loop.id);
        if (file.data.loops[loop.id]?.at !== loop.updatedAt) this.dirtyLoops.add(loop.id);
      }
      for (const loopId of Object.keys(file.data.loops))
        if (!current.has(loopId)) this.dirtyLoops.add(loopId);
      this.memoriesDirty = true;
      this.sourcesDirty = true;
      return { file, index };
    })();
    this.opened.catch(() => (this.opened = undefined));
    return this.opened;
  }

  private applying: Promise<void> | undefined;

  /** Indexes the loops and memories that changed; one batch at a time. */
  private apply(): Promise<void> {
    this.applying ??= (async () => {
      try {
        const { file, index } = await this.open();
        const summaries = new Map(
          this.loops.listLoops({ includeArchived: true }).map((loop) => [loop.id, loop]),
        );
        while (this.dirtyLoops.size > 0) {
          const loopId = this.dirtyLoops.values().next().value!;
          this.dirtyLoops.delete(loopId);
          await this.indexLoop(file.data, index, loopId, summaries.get(loopId));
          this.changedSinceSave = true;
        }
        if (this.memoriesDirty) {
          this.memoriesDirty = false;
          this.indexMemories(file.data, index, await this.memory.everything());
        }
        if (this.sourcesDirty) {
          this.sourcesDirty = false;
          await this.indexSources(file.data, index);
        }
        if (this.changedSinceSave) this.scheduleSave();
      } finally {
        this.applying = undefined;
      }
    })();
    return this.applying;
  }

  private async indexLoop(
    data: IndexFile,
    index: TextIndex<SearchMeta>,
    loopId: string,
    summary: LoopSummary | undefined,
  ): Promise<void> {
    for (const id of data.loops[loopId]?.ids ?? []) if (index.has(id)) index.discard(id);
    delete data.loops[loopId];
    if (!summary) return;
    const document = await this.store.readLoop(loopId, summary.title).catch(() => undefined);
    if (!document) return;
    const docs = loopDocs(summary, document);
    for (const doc of docs) index.add(doc);
    data.loops[loopId] = { at: summary.updatedAt, ids: docs.map((doc) => doc.id) };
  }

  private indexMemories(data: IndexFile, index: TextIndex<SearchMeta>, items: MemoryItem[]): void {
    const present = new Set(items.map((item) => item.id));
    for (const id of Object.keys(data.memories)) {
      if (!present.has(id)) {
        if (index.has(`memory:${id}`)) index.discard(`memory:${id}`);
        delete data.memories[id];
        this.changedSinceSave = true;
      }
    }
    for (const item of items) {
      if (data.memories[item.id] === item.revisedAt) continue;
      index.add(memoryDoc(item));
      data.memories[item.id] = item.revisedAt;
      this.changedSinceSave = true;
    }
  }

  /** Indexes the passages of sources added since, and removes those of sources removed. */
  private async indexSources(data: IndexFile, index: TextIndex<SearchMeta>): Promise<void> {
    const present = new Map((await this.sources.everySource()).map((source) => [source.id, source]));
    for (const [sourceId, ids] of Object.entries(data.sources)) {
      if (present.has(sourceId)) continue;
      for (const id of ids) if (index.has(id)) index.discard(id);
      delete data.sources[sourceId];
      this.changedSinceSave = true;
    }
    for (const source of present.values()) {
      if (data.sources[source.id]) continue;
      const read = await this.sources.read(source.id).catch(() => undefined);
      if (!read) continue;
      const ids: string[] = [];
      for (const passage of read.passages) {
        const id = `source:${source.id}#${passage.index}`;
        index.add({
          id,
          text: passage.text,
          meta: {
            kind: 'source',
            spaceId: source.spaceId,
            ...(source.loopId ? { loopId: source.loopId } : {}),
            sourceId: source.id,
            passageIndex: passage.index,
            at: source.addedAt,
          },
        });
        ids.push(id);
      }
      data.sources[source.id] = ids;
      this.changedSinceSave = true;
    }
  }

  private scheduleSave(): void {
    this.saveTimer ??= setTimeout(() => {
      this.saveTimer = undefined;
      this.save().catch((error: unknown) => this.noteProblem('saving the search index', error));
    }, 5 * 60_000);
    this.saveTimer.unref();
  }

  private async save(): Promise<void> {
    const { file, index } = await this.open();
    file.data.index = index.toJSON();
    this.changedSinceSave = false;
    await file.save();
    file.data.index = null; // The live index is the truth; the copy is only for the write.
  }
}

/** The full text of one indexed document of a loop, for its snippet. */
function docText(id: string, summary: LoopSummary, document: LoopDocument | undefined): string {
  if (!document) return '';
  return loopDocs(summary, document).find((candidate) => candidate.id === id)?.text ?? '';
}

function loopDocs(summary: LoopSummary, document: LoopDocument): SearchDoc[] {
  const meta = { spaceId: summary.spaceId, loopId: summary.id };
  const intent = Object.values(document.intent).join('\n');
  const docs: SearchDoc[] = [
    {
      id: `loop:${summary.id}`,
      text: `${summary.title}\n${intent}`,
      meta: { ...meta, kind: 'loop', at: summary.updatedAt },
    },
  ];
  if (document.draft.trim()) {
    docs.push({
      id: `draft:${summary.id}`,
      text: document.draft,
      meta: { ...meta, kind: 'draft', at: summary.updatedAt },
    });
  }
  const decision = document.decision ?? document.pastDecisions.at(-1);
  if (decision) {
    // Forecasts are found by their statement, criteria, reasons for updates and resolution notes,
    // and a decision by its outcome review too: the loop's earlier decisions included.
    const decisions = [...document.pastDecisions, ...(document.decision ? [document.decision] : [])];
    const text = decisions
      .flatMap((one) => [
        one.choice,
        one.rationale,
        one.optionsSetAside,
        one.prediction,
        one.review?.outcome ?? '',
        one.review?.lesson ?? '',
        ...one.forecasts.flatMap(forecastWords),
      ])
      .filter((part) => part !== '')
      .join('\n');
    docs.push({
      id: `decision:${summary.id}`,
      text,
      meta: { ...meta, kind: 'decision', at: decision.decidedAt },
    });
  }
  const current = currentVersionIds(document.turns);
  for (const turn of document.turns) {
    if (!current.has(turn.id) || turn.text.trim() === '') continue;
    // A turn is found by its own words; the loop's title finds the loop, not each of its turns.
    docs.push({
      id: `turn:${turn.id}`,
      text: turn.text,
      meta: { ...meta, kind: 'turn', turnId: turn.id, at: turn.createdAt },
    });
  }
  return docs;
}

function memoryDoc(item: MemoryItem): SearchDoc {
  return {
    id: `memory:${item.id}`,
    text: item.text,
    meta: {
      kind: 'memory',
      spaceId: item.scope.type === 'everywhere' ? '' : item.scope.spaceId,
      ...(item.scope.type === 'loop' ? { loopId: item.scope.loopId } : {}),
      memoryId: item.id,
      at: item.revisedAt,
    },
  };
}

/** About twenty words around the first word that matched. */
function snippet(text: string, terms: readonly string[]): string {
  const words = text.replace(/\s+/g, ' ').trim().split(' ');
  const at = words.findIndex((word) => {
    const term = indexTerm(word.replace(/[^\p{L}\p{N}'-]/gu, ''));
    return term !== null && terms.some((matched) => term.startsWith(matched) || matched.startsWith(term));
  });
  const start = Math.max(0, (at === -1 ? 0 : at) - 8);
  const piece = words.slice(start, start + 24).join(' ');
  return `${start > 0 ? '… ' : ''}${piece}${start + 24 < words.length ? ' …' : ''}`;
}
