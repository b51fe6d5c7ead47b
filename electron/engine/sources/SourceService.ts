/**
 * The person's own documents as shared context. A source belongs to a space (or to one loop of it);
 * it is read on this machine, cut into located passages, indexed for full-text search (and embedded
 * when an embedding model is installed), and a copy of the original kept in the data folder. Before
 * each move, the passages relevant to the loop are retrieved from the sources in its scope only:
 * its own and its space's, never another space's.
 * Its files are described in `sourceDocuments.ts` and placed by `store/layout.ts`.
 */
import { createHash } from 'node:crypto';
import { AsyncCache, Emitter, Sequencer } from '../../../shared/async';
import type { FileContent, NewSource, Source, SourceInLoop, SourcePassage } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import type { NoteProblem } from '../Diagnostics';
import type { EventHub } from '../EventHub';
import { newId, now } from '../ids';
import type { LoopService } from '../loops/LoopService';
import type { ModelService } from '../model/ModelService';
import { layout } from '../store/layout';
import type { Document, Store } from '../store/Store';
import { countSections, embedPassages, megabytes, pastedFormat, progressReporter } from './ingest';
import { PassageRetrieval } from './PassageRetrieval';
import { type SourceList, type SourceRecord, type StoredFile, type StoredPassages } from './sourceDocuments';
import { sourceMimeTypes } from '../../../shared/sourceFormats';
import { formatOf, unreadable } from './parse';
import { defaultSourceReadLimits, readInWorker, type SourceReadLimits } from './readInWorker';

export interface SourceServiceOptions {
  /** The largest file read, in bytes. */
  maxBytes: number;
  /** Deletes files from every backup (a removed source must not live on there). */
  purgeBackups: (relativePaths: readonly string[]) => Promise<unknown>;
  /** The bytes of an uploaded file, by the id the upload gave (each serves one call). */
  takeUpload: (id: string) => Promise<Buffer>;
  /** Where background work (vectors made later) reports a failure. */
  noteProblem: NoteProblem;
  /** What reading one file may take (tests lower them; default `defaultSourceReadLimits`). */
  readLimits?: Partial<SourceReadLimits>;
}

/** The person's documents as the workspace's calls use them. */
export interface Sources {
  add(source: NewSource): Promise<{ source: Source; alreadyAdded: boolean }>;
  list(which: { spaceId: string; loopId?: string }): Promise<Source[]>;
  read(sourceId: string): Promise<{ source: Source; passages: SourcePassage[] }>;
  file(sourceId: string): Promise<FileContent>;
  rename(change: { sourceId: string; name: string }): Promise<Source>;
  setInLoop(change: SourceInLoop): Promise<Source>;
}

export class SourceService implements Sources {
  /** The passages given to moves, and the index that finds them. */
  private readonly retrieval: PassageRetrieval;
  /** Adds and removals run one at a time, so a file added twice at once is still found a repeat. */
  private readonly queue = new Sequencer();
  /** Each space's list of sources, once opened (and cleared of entries without content). */
  private readonly lists = new AsyncCache<string, Document<SourceList>>();
  /** Set on close: what is under way stops, and nothing new starts. */
  private closing = false;
  /** Ends the workers reading files when Keel closes. */
  private readonly reading = new AbortController();
  private readonly sourcesChanged = new Emitter<string>();

  constructor(
    private readonly store: Store,
    private readonly loops: LoopService,
    private readonly models: ModelService,
    private readonly events: EventHub,
    private readonly embeddingModel: (spaceId: string) => Promise<string>,
    private readonly options: SourceServiceOptions,
  ) {
    this.retrieval = new PassageRetrieval({
      store,
      models,
      embeddingModel,
      list: (spaceId) => this.list_(spaceId),
      passagesOf: (record) => this.passagesOf(record),
      embedAll: (model, passages, progress) => embedPassages(models, model, passages, progress),
      oneAtATime: (run) => this.oneAtATime(run),
      assertOpen: (fileName) => this.assertOpen(fileName),
      noteProblem: options.noteProblem,
    });
  }

  /** Called whenever a space's sources change (added, renamed, removed); returns what stops it. */
  onSourcesChanged(listener: (spaceId: string) => void): () => void {
    return this.sourcesChanged.subscribe(listener);
  }

  // ---- adding --------------------------------------------------------------------------------------

  async add(input: NewSource): Promise<{ source: Source; alreadyAdded: boolean }> {
    const { spaceId, loopId, fileName, uploadId = '' } = input;
    const space = this.loops.listSpaces({ includeArchived: true }).find((s) => s.id === spaceId);
    if (!space) throw new KeelError('not-found', 'That space no longer exists.', { field: 'spaceId' });
    if (loopId !== undefined) {
      const loop = this.loops.listLoops({ spaceId, includeArchived: true }).find((l) => l.id === loopId);
      if (!loop) throw new KeelError('not-found', 'That loop is not in this space.', { field: 'loopId' });
    }
    const format = input.format ?? (input.text !== undefined ? pastedFormat(fileName) : formatOf(fileName));
    const bytes =
      input.file !== undefined
        ? await this.options.takeUpload(input.file)
        : Buffer.from(input.text ?? '', 'utf8');
    if (bytes.length > this.options.maxBytes) {
      throw unreadable(
        fileName,
        `it is ${megabytes(bytes.length)}, over the ${megabytes(this.options.maxBytes)} limit for one source. Split it, or add only the part you need`,
      );
    }
    if (bytes.length === 0 || (input.text !== undefined && input.text.trim() === '')) {
      throw unreadable(fileName, 'it is empty');
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    this.assertOpen(fileName);
    // A file already here is not read again. Reading and embedding happen outside the one-at-a-time
    // queue, so a removal never waits behind a long file; the check is made again inside it.
    const known = (await this.list_(spaceId)).data.sources.some((record) => record.sha256 === sha256);
    if (known) {
      const kept = await this.oneAtATime(() => this.keepOnce(spaceId, loopId, sha256));
      if (kept) return kept;
    }

    const report = progressReporter(this.events, uploadId, fileName, () => this.assertOpen(fileName));
    report('reading', 0, 0);
    const parsed = await readInWorker(
      bytes,
      format,
      fileName,
      (done, total) => report('reading', done, total),
      { ...defaultSourceReadLimits, ...this.options.readLimits },
      this.reading.signal,
    ).catch((error: unknown) => {
      // Stopped because Keel is closing: that is the reason to give, not the reader's.
      this.assertOpen(fileName);
      throw error;
    });
    const chunks = parsed.chunks;
    if (chunks.length === 0) throw unreadable(fileName, 'it has no text in it');
    report('indexing', 0, chunks.length);
    const stored: StoredPassages = {
      version: 1,
      passages: chunks.map((chunk, index) => ({ index, ...chunk })),
    };
    const model = await this.embeddingModel(spaceId);
    const vectors = await embedPassages(this.models, model, stored.passages, (done) =>
      report('embedding', done, chunks.length),
    );
    if (vectors) Object.assign(stored, { model, vectors });

    return this.oneAtATime(async () => {
      this.assertOpen(fileName);
      const kept = await this.keepOnce(spaceId, loopId, sha256);
      if (kept) return kept;
      const list = await this.list_(spaceId);
      const id = newId('sr');
      const record: SourceRecord = {
        id,
        spaceId,
        ...(loopId !== undefined ? { loopId } : {}),
        name: fileName,
        fileName,
        format,
        mimeType: input.mimeType || sourceMimeTypes[format],
        bytes: bytes.length,
        sha256,
        ...(parsed.pages !== undefined ? { pages: parsed.pages } : {}),
        sections: countSections(stored.passages),
        passages: stored.passages.length,
        addedAt: now(),
        usedInTurns: 0,
        pinnedIn: [],
        leftOutOf: [],
        usedInLoops: [],
        ...(vectors ? { embeddedWith: model } : {}),
      };
      report('saving', chunks.length, chunks.length);
      await this.keep(
        list,
        record,
        { fileName, mimeType: record.mimeType, base64: bytes.toString('base64') },
        stored,
      );
      this.changed(spaceId);
      return { source: toSource(record), alreadyAdded: false };
    });
  }

  /**
   * The same file is kept once where the loop or space can already see it: the answer when it is
   * (undefined when it is not). Added to the whole space while one loop has it, that loop's copy
   * becomes the space's; added to another loop, that loop gets its own (a loop's sources are not
   * another loop's).
   */
  private async keepOnce(
    spaceId: string,
    loopId: string | undefined,
    sha256: string,
  ): Promise<{ source: Source; alreadyAdded: true } | undefined> {
    const list = await this.list_(spaceId);
    const same = list.data.sources.filter((record) => record.sha256 === sha256);
    const visible = same.find((record) => record.loopId === undefined || record.loopId === loopId);
    if (visible) return { source: toSource(visible), alreadyAdded: true };
    const inALoop = same[0];
    if (!inALoop || loopId !== undefined) return undefined;
    const before = inALoop.loopId;
    delete inALoop.loopId;
    await list.save().catch((error: unknown) => {
      inALoop.loopId = before;
      throw error;
    });
    this.changed(spaceId);
    return { source: toSource(inALoop), alreadyAdded: true };
  }

  /**
   * Writes a source's copy and passages, then lists it (errors name the copy by its file name and
   * the passages by the source's name); a failure on the way leaves none of its files behind. Then
   * its passages are indexed.
   */
  private async keep(
    list: Document<SourceList>,
    record: SourceRecord,
    file: Omit<StoredFile, 'version'>,
    stored: StoredPassages,
  ): Promise<void> {
    try {
      await this.store.writeDetached(
        layout.sourceFile.path(record.id),
        layout.sourceFile.spec(record.fileName),
        {
          version: 1,
          ...file,
        },
      );
      await this.store.writeDetached(
        layout.sourcePassages.path(record.id),
        layout.sourcePassages.spec(record.name),
        stored,
      );
      list.data.sources.push(record);
      await list.save().catch((error: unknown) => {
        list.data.sources.pop();
        throw error;
      });
    } catch (error) {
      await this.deleteFiles(record.id);
      throw error;
    }
    await this.retrieval.indexSource(record, stored);
  }

  /** Stops what is under way (between pages and batches) and waits for the last writes. */
  async close(): Promise<void> {
    this.closing = true;
    this.reading.abort();
    await this.queue.idle();
    await this.retrieval.close();
  }

  private assertOpen(fileName: string): void {
    if (this.closing) {
      throw new KeelError(
        'busy',
        `Keel was locked or closed while “${fileName}” was being added, so it was not added. Add it again.`,
      );
    }
  }

  // ---- reading and managing -------------------------------------------------------------------------

  /** A space's sources (with `loopId`: those the loop draws from), oldest first. */
  async list({ spaceId, loopId }: { spaceId: string; loopId?: string }): Promise<Source[]> {
    const list = await this.list_(spaceId);
    return list.data.sources
      .filter((record) => loopId === undefined || record.loopId === undefined || record.loopId === loopId)
      .map(toSource);
  }

  async read(sourceId: string): Promise<{ source: Source; passages: SourcePassage[] }> {
    const record = await this.find(sourceId);
    const stored = await this.passagesOf(record);
    return {
      source: toSource(record),
      passages: stored.passages.map((passage) => ({ sourceId, ...passage })),
    };
  }

  async file(sourceId: string): Promise<{ fileName: string; mimeType: string; base64: string }> {
    const record = await this.find(sourceId);
    const stored = await this.store.readDetached(
      layout.sourceFile.path(sourceId),
      layout.sourceFile.spec(record.name),
    );
    if (!stored) {
      throw new KeelError(
        'not-found',
        `The copy of “${record.name}” is missing from the data folder. Its passages are still here; add the file again to keep a copy.`,
      );
    }
    return { fileName: stored.fileName, mimeType: stored.mimeType, base64: stored.base64 };
  }

  async rename({ sourceId, name }: { sourceId: string; name: string }): Promise<Source> {
    return this.change(sourceId, (record) => {
      const before = record.name;
      record.name = name;
      return () => (record.name = before);
    });
  }

  async setInLoop({ sourceId, loopId, state }: SourceInLoop): Promise<Source> {
    const record = await this.find(sourceId);
    const loop = this.loops
      .listLoops({ spaceId: record.spaceId, includeArchived: true })
      .find((candidate) => candidate.id === loopId);
    if (!loop || (record.loopId !== undefined && record.loopId !== loopId)) {
      throw new KeelError('invalid-input', `“${record.name}” is not a source of that loop.`, {
        field: 'loopId',
      });
    }
    return this.change(sourceId, (changing) => {
      const before = { pinnedIn: changing.pinnedIn, leftOutOf: changing.leftOutOf };
      changing.pinnedIn = changing.pinnedIn.filter((id) => id !== loopId);
      changing.leftOutOf = changing.leftOutOf.filter((id) => id !== loopId);
      if (state === 'pinned') changing.pinnedIn.push(loopId);
      if (state === 'left-out') changing.leftOutOf.push(loopId);
      return () => Object.assign(changing, before);
    });
  }

  /**
   * Removes a source for good: its entry, passages, vectors and copy, from the data folder and
   * every backup; it leaves the index; turns that cited it keep only that a removed source was given.
   */
  async remove(sourceId: string): Promise<{ removed: string }> {
    return this.oneAtATime(async () => {
      const record = await this.find(sourceId);
      // Its content goes first and its entry last: a removal cut short (a full disk, a locked
      // backup) leaves the source listed, and removing it again finishes the job.
      await this.retrieval.unindex(record);
      await this.deleteFiles(sourceId);
      await this.options.purgeBackups([
        layout.sourcePassages.path(sourceId),
        layout.sourceFile.path(sourceId),
      ]);
      for (const loopId of record.usedInLoops) await this.forgetCitations(loopId, sourceId);
      const list = await this.list_(record.spaceId);
      const at = list.data.sources.indexOf(record);
      list.data.sources.splice(at, 1);
      await list.save().catch((error: unknown) => {
        list.data.sources.splice(at, 0, record);
        throw error;
      });
      this.changed(record.spaceId);
      return { removed: sourceId };
    });
  }

  /** Keeps, on the turns of a loop that cited a removed source, only that a removed source was given. */
  private async forgetCitations(loopId: string, sourceId: string): Promise<void> {
    try {
      await this.loops.change(loopId, (document) => {
        for (const turn of document.turns) {
          if (turn.author !== 'ai' || !turn.passages?.some((ref) => ref.sourceId === sourceId)) continue;
          turn.passages = turn.passages.map((ref) =>
            ref.sourceId === sourceId
              ? { label: ref.label, sourceId, index: ref.index, removed: true as const }
              : ref,
          );
        }
        return { result: undefined, revert: () => undefined };
      });
    } catch (error) {
      // A loop deleted or damaged since holds nothing more to wipe; a disk that fails stops the removal.
      if (error instanceof KeelError && (error.code === 'not-found' || error.code === 'storage-corrupt'))
        return;
      throw error;
    }
  }

  // ---- retrieval for moves ------------------------------------------------------------------------

  /** The passages a move in a loop is given (see `PassageRetrieval.passagesFor`). */
  readonly passagesFor: PassageRetrieval['passagesFor'] = (...request) =>
    this.retrieval.passagesFor(...request);

  /** Records that a turn was given passages of these sources. */
  async noteUse(loopId: string, spaceId: string, sourceIds: readonly string[]): Promise<void> {
    const list = await this.list_(spaceId);
    const at = now();
    let touched = false;
    for (const sourceId of new Set(sourceIds)) {
      const record = list.data.sources.find((candidate) => candidate.id === sourceId);
      if (!record) continue;
      record.usedInTurns += 1;
      record.lastUsedAt = at;
      if (!record.usedInLoops.includes(loopId)) record.usedInLoops.push(loopId);
      touched = true;
    }
    if (touched) await list.save();
  }

  /** Every source of every space. */
  async everySource(): Promise<Source[]> {
    const all: Source[] = [];
    for (const space of this.loops.listSpaces({ includeArchived: true }))
      all.push(...(await this.list_(space.id)).data.sources.map(toSource));
    return all;
  }

  // ---- internals ---------------------------------------------------------------------------------

  /**
   * A space's list of sources. When first opened, entries whose passages are missing are dropped:
   * a source removed since a backup that is then restored (its files were purged from the backup
   * too) must not come back as a name without content.
   */
  private list_(spaceId: string): Promise<Document<SourceList>> {
    return this.lists.get(spaceId, async () => {
      const list = await this.store.document(
        layout.sourceList.path(spaceId),
        layout.sourceList.spec(spaceId),
        layout.sourceList.defaults(),
      );
      const present = await Promise.all(
        list.data.sources.map((record) => this.store.exists(layout.sourcePassages.path(record.id))),
      );
      if (present.includes(false)) {
        list.data.sources = list.data.sources.filter((_, at) => present[at]);
        await list.save();
      }
      return list;
    });
  }

  private async find(sourceId: string): Promise<SourceRecord> {
    for (const space of this.loops.listSpaces({ includeArchived: true })) {
      const list = await this.list_(space.id);
      const record = list.data.sources.find((candidate) => candidate.id === sourceId);
      if (record) return record;
    }
    throw new KeelError('not-found', 'That source is no longer here: it was removed.', { field: 'sourceId' });
  }

  private async change(sourceId: string, apply: (record: SourceRecord) => () => void): Promise<Source> {
    const record = await this.find(sourceId);
    const list = await this.list_(record.spaceId);
    const revert = apply(record);
    await list.save().catch((error: unknown) => {
      revert();
      throw error;
    });
    this.changed(record.spaceId);
    return toSource(record);
  }

  private changed(spaceId: string): void {
    this.sourcesChanged.emit(spaceId);
  }

  private async passagesOf(record: SourceRecord): Promise<StoredPassages> {
    const known = this.retrieval.known(record.id);
    if (known) return known;
    const stored = await this.store.readDetached(
      layout.sourcePassages.path(record.id),
      layout.sourcePassages.spec(record.name),
    );
    if (!stored) {
      throw new KeelError(
        'not-found',
        `The passages of “${record.name}” are missing from the data folder. Remove the source and add the file again.`,
      );
    }
    return stored;
  }

  private async deleteFiles(sourceId: string): Promise<void> {
    await this.store.deleteDocument(layout.sourcePassages.path(sourceId));
    await this.store.deleteDocument(layout.sourceFile.path(sourceId));
  }

  // ---- sync ------------------------------------------------------------------------------------------

  /** A space's source entries (what sync compares). */
  async syncedRecords(spaceId: string): Promise<SourceRecord[]> {
    return structuredClone((await this.list_(spaceId)).data.sources);
  }

  /** A source whole, as sync sends it: its entry, its passages (vectors are made on each computer) and its file. */
  async syncedSource(
    spaceId: string,
    sourceId: string,
  ): Promise<
    | {
        record: SourceRecord;
        passages: StoredPassages['passages'];
        file: { fileName: string; mimeType: string; base64: string };
      }
    | undefined
  > {
    const record = (await this.list_(spaceId)).data.sources.find((candidate) => candidate.id === sourceId);
    if (!record) return undefined;
    const stored = await this.passagesOf(record);
    const file = await this.file(sourceId);
    return { record: structuredClone(record), passages: stored.passages, file };
  }

  /**
   * Takes a source from another computer (sync): a new one is written like an added file (its copy
   * and passages first, its entry last) and indexed; a known one takes the merged entry.
   */
  async putSyncedSource(
    spaceId: string,
    synced: {
      record: SourceRecord;
      passages?: StoredPassages['passages'];
      file?: { fileName: string; mimeType: string; base64: string };
    },
    merge: (current: SourceRecord) => SourceRecord,
  ): Promise<void> {
    await this.oneAtATime(async () => {
      const list = await this.list_(spaceId);
      const current = list.data.sources.find((candidate) => candidate.id === synced.record.id);
      if (current) {
        const merged = merge(structuredClone(current));
        const before = structuredClone(current);
        Object.assign(current, merged);
        await list.save().catch((error: unknown) => {
          Object.assign(current, before);
          throw error;
        });
        this.changed(spaceId);
        return;
      }
      if (!synced.passages || !synced.file) return;
      const record: SourceRecord = { ...synced.record, spaceId, usedInTurns: 0, usedInLoops: [] };
      delete record.embeddedWith;
      const stored: StoredPassages = { version: 1, passages: synced.passages };
      await this.keep(list, record, synced.file, stored);
      this.changed(spaceId);
    });
  }

  private oneAtATime<T>(run: () => Promise<T>): Promise<T> {
    return this.queue.run(run);
  }
}

function toSource(record: SourceRecord): Source {
  const { sha256: _sha, usedInLoops: _loops, embeddedWith, ...source } = record;
  return {
    ...source,
    pinnedIn: [...record.pinnedIn],
    leftOutOf: [...record.leftOutOf],
    embedded: embeddedWith !== undefined,
  };
}
