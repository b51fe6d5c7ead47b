/**
 * The person's own documents as shared context. A source belongs to a space (or to one loop of it);
 * it is read on this machine, cut into located passages, indexed for full-text search (and embedded
 * when an embedding model is installed), and a copy of the original kept in the data folder. Before
 * each move, the passages relevant to the loop are retrieved from the sources in its scope only:
 * its own and its space's, never another space's.
 * Its files are described in `sourceDocuments.ts`.
 */
import { createHash } from 'node:crypto';
import MiniSearch from 'minisearch';
import type { CallArgs } from '../../../shared/contract';
import {
  passageRefSchema,
  type PassageRef,
  type Source,
  type SourceFormat,
  type SourcePassage,
  type SourceProgress,
} from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import type { EventHub } from '../EventHub';
import { newId, now } from '../ids';
import type { LoopService } from '../loops/LoopService';
import { cosine } from '../memory/recall';
import { indexTerm, rawWords } from '../memory/words';
import type { ModelService } from '../model/ModelService';
import type { Document, Store } from '../store/Store';
import { fitPassages, passageKey, sourceOf } from './fitPassages';
import {
  filePath,
  fileSpec,
  listPath,
  listSpec,
  passagesPath,
  passagesSpec,
  type SourceList,
  type SourceRecord,
  type StoredPassages,
} from './sourceDocuments';
import { sourceMimeTypes } from '../../../shared/sourceFormats';
import { formatOf, unreadable } from './parse';
import { defaultSourceReadLimits, readInWorker, type SourceReadLimits } from './readInWorker';

/** A passage given to a move: where it is, what it says, and what the source is called. */
export interface GivenPassage {
  ref: PassageRef;
  name: string;
  text: string;
}

/** The most distinct words of a request that full-text retrieval matches. */
const maxQueryTerms = 24;

type PassageIndex = MiniSearch<{ id: string; text: string; section: string }>;

export interface SourceServiceOptions {
  /** The largest file read, in bytes. */
  maxBytes: number;
  /** Deletes files from every backup (a removed source must not live on there). */
  purgeBackups: (relativePaths: readonly string[]) => Promise<unknown>;
  /** The bytes of an uploaded file, by the id the upload gave (each serves one call). */
  takeUpload: (id: string) => Promise<Buffer>;
  /** What reading one file may take (tests lower them; default `defaultSourceReadLimits`). */
  readLimits?: Partial<SourceReadLimits>;
}

export class SourceService {
  /** Each space's full-text index over its sources' passages, made when first needed. */
  private readonly indexes = new Map<string, Promise<PassageIndex>>();
  /** Passages (and vectors) of the sources whose space was indexed. */
  private readonly passages = new Map<string, StoredPassages>();
  /** Adds and removals run one at a time, so a file added twice at once is still found a repeat. */
  private queue: Promise<unknown> = Promise.resolve();
  /** Sources whose vectors are being made in the background. */
  private readonly embedding = new Map<string, Promise<void>>();
  /** Each space's list of sources, once opened (and cleared of entries without content). */
  private readonly lists = new Map<string, Promise<Document<SourceList>>>();
  /** Set on close: what is under way stops, and nothing new starts. */
  private closing = false;
  /** Ends the workers reading files when Keel closes. */
  private readonly reading = new AbortController();
  private readonly changedListeners = new Set<(spaceId: string) => void>();

  constructor(
    private readonly store: Store,
    private readonly loops: LoopService,
    private readonly models: ModelService,
    private readonly events: EventHub,
    private readonly embeddingModel: (spaceId: string) => Promise<string>,
    private readonly options: SourceServiceOptions,
  ) {}

  /** Called whenever a space's sources change (added, renamed, removed). */
  onSourcesChanged(listener: (spaceId: string) => void): void {
    this.changedListeners.add(listener);
  }

  // ---- adding --------------------------------------------------------------------------------------

  async add(input: CallArgs<'addSource'>): Promise<{ source: Source; alreadyAdded: boolean }> {
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
    const vectors = await this.embedAll(model, stored.passages, (done) =>
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
      try {
        await this.store.writeDetached(filePath(id), fileSpec(fileName), {
          version: 1,
          fileName,
          mimeType: record.mimeType,
          base64: bytes.toString('base64'),
        });
        await this.store.writeDetached(passagesPath(id), passagesSpec(fileName), stored);
        list.data.sources.push(record);
        await list.save().catch((error: unknown) => {
          list.data.sources.pop();
          throw error;
        });
      } catch (error) {
        await this.deleteFiles(id);
        throw error;
      }
      await this.indexSource(record, stored);
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

  /** Stops what is under way (between pages and batches) and waits for the last writes. */
  async close(): Promise<void> {
    this.closing = true;
    this.reading.abort();
    await this.queue;
    await Promise.all(this.embedding.values());
  }

  private assertOpen(fileName: string): void {
    if (this.closing) {
      throw new KeelError(
        'busy',
        `Keel was locked or closed while “${fileName}” was being added, so it was not added. Add it again.`,
      );
    }
  }

  /** Vectors for every passage, in batches with progress; undefined without an embedding model. */
  private async embedAll(
    model: string,
    passages: readonly { text: string }[],
    progress: (done: number) => void,
  ): Promise<number[][] | undefined> {
    if (!(await this.models.canEmbed(model))) return undefined;
    const vectors: number[][] = [];
    try {
      for (let start = 0; start < passages.length; start += 16) {
        const batch = passages.slice(start, start + 16).map((passage) => passage.text);
        vectors.push(...(await this.models.embed(model, batch)));
        progress(vectors.length);
      }
    } catch {
      // Search by meaning is a bonus: without vectors the source is still found by its words.
      return undefined;
    }
    return vectors.length === passages.length ? vectors : undefined;
  }

  // ---- reading and managing -------------------------------------------------------------------------

  /** A space's sources (with `loopId`: those the loop draws from), oldest first. */
  async list({ spaceId, loopId }: CallArgs<'listSources'>): Promise<Source[]> {
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
    const stored = await this.store.readDetached(filePath(sourceId), fileSpec(record.name));
    if (!stored) {
      throw new KeelError(
        'not-found',
        `The copy of “${record.name}” is missing from the data folder. Its passages are still here; add the file again to keep a copy.`,
      );
    }
    return { fileName: stored.fileName, mimeType: stored.mimeType, base64: stored.base64 };
  }

  async rename({ sourceId, name }: CallArgs<'renameSource'>): Promise<Source> {
    return this.change(sourceId, (record) => {
      const before = record.name;
      record.name = name;
      return () => (record.name = before);
    });
  }

  async setInLoop({ sourceId, loopId, state }: CallArgs<'setSourceInLoop'>): Promise<Source> {
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
      await this.unindex(record);
      await this.deleteFiles(sourceId);
      await this.options.purgeBackups([passagesPath(sourceId), filePath(sourceId)]);
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
          if (!turn.passages?.some((ref) => ref.sourceId === sourceId)) continue;
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

  /**
   * The passages a move in a loop is given: from the sources in its scope only (its own and its
   * space's, minus those left out of it). Passages of pinned sources come first (a whole source
   * when it fits the budget); the rest are ranked by full-text relevance, fused with similarity of
   * meaning when vectors exist, and fitted to `budgetTokens`. Labelled P1, P2… in the order given.
   */
  async passagesFor(
    loopId: string,
    spaceId: string,
    query: string,
    budgetTokens: number,
    useEmbeddings: boolean,
  ): Promise<GivenPassage[]> {
    const list = await this.list_(spaceId);
    const inScope = list.data.sources.filter(
      (record) =>
        (record.loopId === undefined || record.loopId === loopId) && !record.leftOutOf.includes(loopId),
    );
    if (inScope.length === 0) return [];
    const ranks = await this.rank(spaceId, inScope, query, useEmbeddings);
    const chosen = fitPassages(
      inScope.map((record) => ({ record, passages: this.passages.get(record.id)?.passages ?? [] })),
      loopId,
      ranks,
      budgetTokens,
    );
    // Known at once, not when the turn ends: a source removed while the answer streams must still
    // find this loop's citations to wipe.
    for (const { record } of chosen)
      if (!record.usedInLoops.includes(loopId)) record.usedInLoops.push(loopId);
    return chosen.map(({ record, passage }, at) => ({
      ref: passageRefSchema.parse({
        label: `P${at + 1}`,
        sourceId: record.id,
        index: passage.index,
        ...(passage.page !== undefined ? { page: passage.page } : {}),
        ...(passage.section !== undefined ? { section: passage.section } : {}),
      }),
      name: record.name,
      text: passage.text,
    }));
  }

  /**
   * How relevant each passage of these sources is to the query (by passage key): full-text ranks
   * fused with similarity ranks when the passages have vectors (reciprocal rank fusion).
   */
  private async rank(
    spaceId: string,
    inScope: readonly SourceRecord[],
    query: string,
    useEmbeddings: boolean,
  ): Promise<Map<string, number>> {
    const index = await this.index(spaceId);
    const scopeIds = new Set(inScope.map((record) => record.id));
    const fused = new Map<string, number>();
    const addRanking = (keys: readonly string[]) =>
      keys.forEach((key, rank) => fused.set(key, (fused.get(key) ?? 0) + 1 / (60 + rank)));
    const terms = [...new Set(rawWords(query).filter((word) => indexTerm(word) !== null))].slice(
      0,
      maxQueryTerms,
    );
    if (terms.length > 0) {
      const hits = index.search(terms.join(' '), {
        prefix: false,
        filter: (hit) => scopeIds.has(sourceOf(String(hit.id))),
      });
      addRanking(hits.map((hit) => String(hit.id)));
    }
    const model = await this.embeddingModel(spaceId);
    if (!useEmbeddings || !(await this.models.canEmbed(model))) return fused;
    const withVectors = inScope.filter((record) => this.passages.get(record.id)?.model === model);
    // Sources added before this embedding model was installed (or chosen) get their vectors now,
    // in the background; until then their words alone find them.
    for (const record of inScope) if (!withVectors.includes(record)) this.embedLater(record, model);
    if (withVectors.length === 0) return fused;
    try {
      const [queryVector] = await this.models.embed(model, [query]);
      const similar: { key: string; similarity: number }[] = [];
      for (const record of withVectors) {
        this.passages.get(record.id)!.vectors?.forEach((vector, at) => {
          const similarity = cosine(queryVector!, vector);
          if (similarity > 0.2) similar.push({ key: passageKey(record.id, at), similarity });
        });
      }
      similar.sort((a, b) => b.similarity - a.similarity);
      addRanking(similar.slice(0, 50).map((entry) => entry.key));
    } catch {
      // Without the query's vector, the words alone decide.
    }
    return fused;
  }

  /** Gives a source's passages vectors from `model`, once at a time per source, and saves them. */
  private embedLater(record: SourceRecord, model: string): void {
    if (this.embedding.has(record.id)) return;
    const stored = this.passages.get(record.id);
    if (!stored) return;
    const done = (async () => {
      const vectors = await this.embedAll(model, stored.passages, () => this.assertOpen(record.name));
      if (!vectors) return;
      await this.oneAtATime(async () => {
        // Removed meanwhile, or embedded since: nothing to save.
        if (this.passages.get(record.id) !== stored) return;
        const embedded: StoredPassages = { ...stored, model, vectors };
        await this.store.writeDetached(passagesPath(record.id), passagesSpec(record.name), embedded);
        this.passages.set(record.id, embedded);
        const before = record.embeddedWith;
        record.embeddedWith = model;
        await (await this.list_(record.spaceId)).save().catch(() => (record.embeddedWith = before));
      });
    })()
      .catch(() => undefined)
      .finally(() => this.embedding.delete(record.id));
    this.embedding.set(record.id, done);
  }

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
    let opened = this.lists.get(spaceId);
    if (!opened) {
      opened = (async () => {
        const list = await this.store.document(listPath(spaceId), listSpec(spaceId), {
          version: 1,
          sources: [],
        });
        const present = await Promise.all(
          list.data.sources.map((record) => this.store.exists(passagesPath(record.id))),
        );
        if (present.includes(false)) {
          list.data.sources = list.data.sources.filter((_, at) => present[at]);
          await list.save();
        }
        return list;
      })();
      opened.catch(() => this.lists.delete(spaceId));
      this.lists.set(spaceId, opened);
    }
    return opened;
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
    for (const listener of this.changedListeners) listener(spaceId);
  }

  private async passagesOf(record: SourceRecord): Promise<StoredPassages> {
    const known = this.passages.get(record.id);
    if (known) return known;
    const stored = await this.store.readDetached(passagesPath(record.id), passagesSpec(record.name));
    if (!stored) {
      throw new KeelError(
        'not-found',
        `The passages of “${record.name}” are missing from the data folder. Remove the source and add the file again.`,
      );
    }
    return stored;
  }

  /** A space's passage index, with every source's passages read once. */
  private index(spaceId: string): Promise<PassageIndex> {
    let index = this.indexes.get(spaceId);
    if (!index) {
      index = (async () => {
        const made: PassageIndex = new MiniSearch({
          fields: ['text', 'section'],
          storeFields: [],
          processTerm: indexTerm,
          searchOptions: { combineWith: 'OR', processTerm: indexTerm, boost: { section: 0.5 } },
        });
        const list = await this.list_(spaceId);
        for (const record of [...list.data.sources]) {
          // A source whose passages cannot be read is left out of retrieval, not a reason to fail the move.
          const stored = await this.passagesOf(record).catch(() => undefined);
          if (!stored) continue;
          this.passages.set(record.id, stored);
          await made.addAllAsync(entries(record.id, stored), { chunkSize: 50 });
        }
        return made;
      })();
      index.catch(() => this.indexes.delete(spaceId));
      this.indexes.set(spaceId, index);
    }
    return index;
  }

  private async indexSource(record: SourceRecord, stored: StoredPassages): Promise<void> {
    const index = this.indexes.get(record.spaceId);
    // A space not indexed yet reads this source with the others when it first is.
    if (!index) return;
    const made = await index;
    // The index may have been made meanwhile, this source with the rest.
    if (this.passages.has(record.id)) return;
    this.passages.set(record.id, stored);
    await made.addAllAsync(entries(record.id, stored), { chunkSize: 50 });
  }

  private async unindex(record: SourceRecord): Promise<void> {
    const stored = this.passages.get(record.id);
    this.passages.delete(record.id);
    const index = this.indexes.get(record.spaceId);
    if (!index || !stored) return;
    const made = await index;
    for (const passage of stored.passages) made.discard(passageKey(record.id, passage.index));
  }

  private async deleteFiles(sourceId: string): Promise<void> {
    await this.store.deleteDocument(passagesPath(sourceId));
    await this.store.deleteDocument(filePath(sourceId));
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
      try {
        await this.store.writeDetached(filePath(record.id), fileSpec(record.fileName), {
          version: 1,
          ...synced.file,
        });
        await this.store.writeDetached(passagesPath(record.id), passagesSpec(record.name), stored);
        list.data.sources.push(record);
        await list.save().catch((error: unknown) => {
          list.data.sources.pop();
          throw error;
        });
      } catch (error) {
        await this.deleteFiles(record.id);
        throw error;
      }
      await this.indexSource(record, stored);
      this.changed(spaceId);
    });
  }

  private oneAtATime<T>(run: () => Promise<T>): Promise<T> {
    const next = this.queue.then(run, run);
    this.queue = next.catch(() => undefined);
    return next;
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

function entries(sourceId: string, stored: StoredPassages) {
  return stored.passages.map((passage) => ({
    id: passageKey(sourceId, passage.index),
    text: passage.text,
    section: passage.section ?? '',
  }));
}

function countSections(passages: StoredPassages['passages']): number {
  return new Set(passages.map((passage) => `${passage.page ?? ''}|${passage.section ?? ''}`)).size;
}

/** Pasted text is Markdown when its title says so, plain text otherwise. */
function pastedFormat(title: string): SourceFormat {
  return /\.(md|markdown)$/i.test(title) ? 'markdown' : 'text';
}

function megabytes(bytes: number): string {
  const value = bytes / (1024 * 1024);
  return `${value < 10 ? value.toFixed(1) : Math.round(value)} MB`;
}

/**
 * Progress events, at most about ten a second (the first and last of each stage always go). Each
 * step first asks `goOn`, which throws to stop the work (Keel is closing).
 */
function progressReporter(events: EventHub, uploadId: string, name: string, goOn: () => void) {
  let last = 0;
  let lastStage = '';
  return (stage: SourceProgress['stage'], done: number, total: number) => {
    goOn();
    const at = Date.now();
    if (stage === lastStage && at - last < 100 && done !== total) return;
    last = at;
    lastStage = stage;
    events.emit({ type: 'source.progress', progress: { uploadId, name, stage, done, total } });
  };
}
