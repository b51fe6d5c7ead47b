/**
 * The memory's files and what is read of them: each scope's file opened once and its items put in
 * the index, the vectors beside them made in the background when an embedding model is installed,
 * and every save announced to those who listen (search keeps itself up to date that way).
 */
import { AsyncCache, Emitter } from '../../../shared/async';
import type { MemoryItem } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import type { NoteProblem } from '../Diagnostics';
import type { ModelChoice, ModelService } from '../model/ModelService';
import type { Document, Store } from '../store/Store';
import { layout } from '../store/layout';
import type { Shard, VectorShard } from './memoryDocuments';
import { MemoryIndex, shardKey } from './recall';

export class MemoryStore {
  readonly index = new MemoryIndex();
  private readonly shards = new AsyncCache<string, Document<Shard>>();
  private readonly vectorShards = new AsyncCache<string, Document<VectorShard>>();
  private allLoaded = false;
  private readonly changed = new Emitter();

  constructor(
    private readonly store: Store,
    private readonly models: ModelService,
    private readonly choice: (spaceId: string) => Promise<ModelChoice>,
    private readonly noteProblem: NoteProblem,
  ) {}

  /** Hears whenever memories were added, changed or forgotten; returns what stops it hearing. */
  onChanged(listener: () => void): () => void {
    return this.changed.subscribe(listener);
  }

  async find(memoryId: string): Promise<MemoryItem> {
    let item = this.index.get(memoryId);
    if (!item) {
      await this.loadAll();
      item = this.index.get(memoryId);
    }
    if (!item) throw new KeelError('not-found', 'That memory no longer exists.', { field: 'memoryId' });
    return item;
  }

  /** One scope's file (`everywhere` or `space-<id>`), its items put in the index when first opened. */
  shard(key: string): Promise<Document<Shard>> {
    return this.shards.get(key, () =>
      this.store
        .document(layout.memories.path(key), layout.memories.spec(key), layout.memories.defaults())
        .then((document) => {
          this.index.putAll(document.data.items);
          return document;
        }),
    );
  }

  vectorShard(key: string): Promise<Document<VectorShard>> {
    return this.vectorShards.get(key, () =>
      this.store.document(
        layout.memoryVectors.path(key),
        layout.memoryVectors.spec(key),
        layout.memoryVectors.defaults(),
      ),
    );
  }

  /** Every scope's file, read once. */
  async loadAll(): Promise<void> {
    if (this.allLoaded) return;
    const keys = new Set([
      'everywhere',
      ...this.store.catalog.data.spaces.map((space) => `space-${space.id}`),
    ]);
    await Promise.all([...keys].map((key) => this.shard(key)));
    this.allLoaded = true;
  }

  /** Saves a scope's file; when that fails, `revert` undoes the change in memory. */
  async saveShard(shard: Document<Shard>, revert: () => void): Promise<void> {
    try {
      await shard.save();
    } catch (error) {
      revert();
      throw error;
    }
    this.changed.emit();
  }

  /** Computes an item's vector in the background when an embedding model is installed. */
  embedLater(item: MemoryItem): void {
    const spaceId = item.scope.type === 'everywhere' ? '' : item.scope.spaceId;
    const key = shardKey(item.scope);
    void (async () => {
      const model = (await this.choice(spaceId)).embeddingModel;
      if (!(await this.models.canEmbed(model))) return;
      const [vector] = await this.models.embed(model, [item.text]);
      if (!vector || !this.index.get(item.id)) return;
      const shard = await this.vectorShard(key);
      if (shard.data.model !== model) shard.data.vectors = {};
      shard.data.model = model;
      shard.data.vectors[item.id] = vector;
      await shard.save();
    })().catch((error: unknown) => this.noteProblem('the meaning vector of a memory', error));
  }

  async dropVector(key: string, id: string): Promise<void> {
    const shard = await this.vectorShard(key);
    if (!(id in shard.data.vectors)) return;
    const { [id]: _gone, ...rest } = shard.data.vectors;
    shard.data.vectors = rest;
    await shard.save();
  }
}
