/**
 * Passage retrieval for moves: each space's full-text index over its sources' passages (made when
 * first needed, with every source's passages read once), ranked by words and, when vectors exist,
 * by meaning; and the vectors of sources added before an embedding model was there, made later in
 * the background.
 */
import { AsyncCache } from '../../../shared/async';
import { passageRefSchema, type PassageRef } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import type { NoteProblem } from '../Diagnostics';
import type { ModelService } from '../model/ModelService';
import { FullTextIndex } from '../retrieval/FullTextIndex';
import { RankFusion } from '../retrieval/fusion';
import { queryTerms } from '../retrieval/query';
import { mostSimilar } from '../retrieval/vectors';
import { layout } from '../store/layout';
import type { Document, Store } from '../store/Store';
import { fitPassages, passageKey, sourceOf } from './fitPassages';
import { type SourceList, type SourceRecord, type StoredPassages } from './sourceDocuments';

/** A passage given to a move: where it is, what it says, and what the source is called. */
export interface GivenPassage {
  ref: PassageRef;
  name: string;
  text: string;
}

type PassageIndex = FullTextIndex<'text' | 'section'>;

/** What retrieval needs of the library it serves. */
export interface PassageLibrary {
  store: Store;
  models: ModelService;
  embeddingModel: (spaceId: string) => Promise<string>;
  list: (spaceId: string) => Promise<Document<SourceList>>;
  passagesOf: (record: SourceRecord) => Promise<StoredPassages>;
  embedAll: (
    model: string,
    passages: readonly { text: string }[],
    progress: (done: number) => void,
  ) => Promise<number[][] | undefined>;
  /** Runs a change of the library's files after those under way. */
  oneAtATime: <T>(run: () => Promise<T>) => Promise<T>;
  assertOpen: (fileName: string) => void;
  noteProblem: NoteProblem;
}

export class PassageRetrieval {
  /** Each space's full-text index over its sources' passages, made when first needed. */
  private readonly indexes = new AsyncCache<string, PassageIndex>();
  /** Passages (and vectors) of the sources whose space was indexed. */
  private readonly passages = new Map<string, StoredPassages>();
  /** Sources whose vectors are being made in the background. */
  private readonly embedding = new Map<string, Promise<void>>();

  constructor(private readonly library: PassageLibrary) {}

  /** The passages of a source already read for retrieval, if any. */
  known(sourceId: string): StoredPassages | undefined {
    return this.passages.get(sourceId);
  }

  /** Waits for the vectors being made in the background. */
  async close(): Promise<void> {
    await Promise.all(this.embedding.values());
  }

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
    const list = await this.library.list(spaceId);
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
    const fusion = new RankFusion();
    const hits = index.search(queryTerms(query), {
      prefix: false,
      keep: (key) => scopeIds.has(sourceOf(key)),
    });
    fusion.add(hits.map((hit) => hit.id));
    const model = await this.library.embeddingModel(spaceId);
    if (!useEmbeddings || !(await this.library.models.canEmbed(model))) return fusion.scores;
    const withVectors = inScope.filter((record) => this.passages.get(record.id)?.model === model);
    // Sources added before this embedding model was installed (or chosen) get their vectors now,
    // in the background; until then their words alone find them.
    for (const record of inScope) if (!withVectors.includes(record)) this.embedLater(record, model);
    if (withVectors.length === 0) return fusion.scores;
    try {
      const [queryVector] = await this.library.models.embed(model, [query]);
      const candidates = withVectors.flatMap(
        (record) =>
          this.passages.get(record.id)!.vectors?.map((vector, at) => ({
            key: passageKey(record.id, at),
            vector,
          })) ?? [],
      );
      fusion.add(mostSimilar(queryVector!, candidates));
    } catch {
      // Without the query's vector, the words alone decide.
    }
    return fusion.scores;
  }

  /** Gives a source's passages vectors from `model`, once at a time per source, and saves them. */
  private embedLater(record: SourceRecord, model: string): void {
    if (this.embedding.has(record.id)) return;
    const stored = this.passages.get(record.id);
    if (!stored) return;
    const { library } = this;
    const done = (async () => {
      const vectors = await library.embedAll(model, stored.passages, () => library.assertOpen(record.name));
      if (!vectors) return;
      await library.oneAtATime(async () => {
        // Removed meanwhile, or embedded since: nothing to save.
        if (this.passages.get(record.id) !== stored) return;
        const embedded: StoredPassages = { ...stored, model, vectors };
        await library.store.writeDetached(
          layout.sourcePassages.path(record.id),
          layout.sourcePassages.spec(record.name),
          embedded,
        );
        this.passages.set(record.id, embedded);
        const before = record.embeddedWith;
        record.embeddedWith = model;
        await (await library.list(record.spaceId)).save().catch(() => (record.embeddedWith = before));
      });
    })()
      .catch((error: unknown) => {
        // Keel closing stops this on purpose; anything else is worth telling.
        if (!(error instanceof KeelError && error.code === 'busy'))
          library.noteProblem(`the meaning vectors of “${record.name}”`, error);
      })
      .finally(() => this.embedding.delete(record.id));
    this.embedding.set(record.id, done);
  }

  /** A space's passage index, with every source's passages read once. */
  private index(spaceId: string): Promise<PassageIndex> {
    return this.indexes.get(spaceId, async () => {
      const made: PassageIndex = new FullTextIndex({
        fields: ['text', 'section'],
        boost: { section: 0.5 },
      });
      const list = await this.library.list(spaceId);
      for (const record of [...list.data.sources]) {
        // A source whose passages cannot be read is left out of retrieval, not a reason to fail the move.
        const stored = await this.library.passagesOf(record).catch(() => undefined);
        if (!stored) continue;
        this.passages.set(record.id, stored);
        await made.addAllAsync(entries(record.id, stored));
      }
      return made;
    });
  }

  /** Adds a new source's passages to its space's index (when the space was indexed). */
  async indexSource(record: SourceRecord, stored: StoredPassages): Promise<void> {
    const index = this.indexes.peek(record.spaceId);
    // A space not indexed yet reads this source with the others when it first is.
    if (!index) return;
    const made = await index;
    // The index may have been made meanwhile, this source with the rest.
    if (this.passages.has(record.id)) return;
    this.passages.set(record.id, stored);
    await made.addAllAsync(entries(record.id, stored));
  }

  /** Takes a removed source's passages out of the index. */
  async unindex(record: SourceRecord): Promise<void> {
    const stored = this.passages.get(record.id);
    this.passages.delete(record.id);
    const index = this.indexes.peek(record.spaceId);
    if (!index || !stored) return;
    const made = await index;
    for (const passage of stored.passages) made.discard(passageKey(record.id, passage.index));
  }
}

function entries(sourceId: string, stored: StoredPassages) {
  return stored.passages.map((passage) => ({
    id: passageKey(sourceId, passage.index),
    text: passage.text,
    section: passage.section ?? '',
  }));
}
