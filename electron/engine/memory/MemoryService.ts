/**
 * Keel's learning memory: what the person prefers, holds as principles, knows about each client and
 * has learned from past decisions. Items live in small files in the data folder, one per scope
 * (`memory/everywhere.json`, `memory/space-<id>.json`, loop-scoped items in their space's file),
 * with their vectors beside them (`*.vectors.json`). Every capture is consolidated (merge, supersede
 * or add, each visible to the person); recall respects scope as a wall.
 */
import { z } from 'zod';
import type { CallArgs } from '../../../shared/contract';
import {
  memoryItemSchema,
  memoryKinds,
  type LessonProposal,
  type MemoryItem,
  type MemoryKind,
  type MemoryOutcome,
  type MemoryScope,
  type MemorySource,
  type MemorySuggestion,
} from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import { currentVersionIds, reachesModel } from '../../../shared/loopLogic';
import { newId, now } from '../ids';
import type { LoopService } from '../loops/LoopService';
import type { ModelChoice, ModelService } from '../model/ModelService';
import type { DocumentSpec } from '../store/DocumentAdapter';
import type { Document, Store } from '../store/Store';
import { closeCallPrompt, lexicalVerdict, parseRelation, relationSchema } from './consolidate';
import { inScope, MemoryIndex, recall, shardKey, shardsFor, type Recalled } from './recall';
import { contentWords, jaccard } from './words';

const shardSchema = z.object({ version: z.literal(1), items: z.array(memoryItemSchema) });
type Shard = z.infer<typeof shardSchema>;
const shardSpec = (key: string): DocumentSpec<Shard> => ({
  label: `your memories (memory/${key}.json)`,
  schema: shardSchema,
  version: 1,
  migrations: [],
});

const vectorSchema = z.object({
  version: z.literal(1),
  model: z.string(),
  vectors: z.record(z.string(), z.array(z.number())),
});
type VectorShard = z.infer<typeof vectorSchema>;
const vectorSpec = (key: string): DocumentSpec<VectorShard> => ({
  label: `the vectors of your memories (memory/${key}.vectors.json)`,
  schema: vectorSchema,
  version: 1,
  migrations: [],
});

const signalSchema = z.object({
  version: z.literal(1),
  setAside: z.array(
    z.object({
      spaceId: z.string(),
      loopId: z.string(),
      turnId: z.string(),
      reason: z.string(),
      at: z.string(),
    }),
  ),
  suggestions: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(memoryKinds),
      text: z.string(),
      spaceId: z.string(),
      evidence: z.array(z.object({ loopId: z.string(), turnId: z.string(), reason: z.string() })),
    }),
  ),
  /** Reason groups the person dismissed, so they are not suggested again. */
  dismissed: z.array(z.string()),
});
type Signals = z.infer<typeof signalSchema>;
const signalSpec: DocumentSpec<Signals> = {
  label: 'the steering Keel noticed (memory/signals.json)',
  schema: signalSchema,
  version: 1,
  migrations: [],
};

export interface CaptureInput {
  text: string;
  kind?: MemoryKind | undefined;
  scope: MemoryScope;
  source: MemorySource;
  loopId?: string | undefined;
  turnIds?: string[] | undefined;
}

/** "remember that …", "Remember: …" at the start of what the person typed. */
export function rememberedText(text: string): string | undefined {
  const match = /^\s*remember\b[\s:,-]*(?:that\s+)?([\s\S]+)$/i.exec(text);
  const said = match?.[1]?.trim();
  return said ? said.charAt(0).toUpperCase() + said.slice(1) : undefined;
}

/** What kind of memory a sentence is, by its words: a preference, a principle, or context. */
export function guessKind(text: string): MemoryKind {
  if (/\b(i|we)\s+(prefer|like|love|want|hate|dislike|find)\b|\bprefers?\b/i.test(text)) return 'preference';
  if (/\b(always|never|must|should|rule|principle)\b/i.test(text)) return 'principle';
  return 'context';
}

export class MemoryService {
  private readonly index = new MemoryIndex();
  private readonly shards = new Map<string, Promise<Document<Shard>>>();
  private readonly vectorShards = new Map<string, Promise<Document<VectorShard>>>();
  private allLoaded = false;
  private readonly listeners = new Set<() => void>();

  /** Hears whenever memories were added, changed or forgotten, e.g. to keep search up to date. */
  onMemoryChanged(listener: () => void): void {
    this.listeners.add(listener);
  }

  /** Every memory item (all files read), for indexing. */
  async everything(): Promise<MemoryItem[]> {
    await this.loadAll();
    return [...this.index.all()];
  }

  /** One memory if it exists (without throwing). */
  async lookup(memoryId: string): Promise<MemoryItem | undefined> {
    return this.find(memoryId).catch(() => undefined);
  }

  constructor(
    private readonly store: Store,
    private readonly loops: LoopService,
    private readonly models: ModelService,
    private readonly choice: (spaceId: string) => Promise<ModelChoice>,
  ) {}

  // ---- capture and consolidation -------------------------------------------------------------

  async capture(input: CaptureInput): Promise<MemoryOutcome> {
    const key = shardKey(input.scope);
    const shard = await this.shard(key);
    const sameScope = shard.data.items.filter((item) => sameScopeAs(item.scope, input.scope));
    const verdict = lexicalVerdict(input.text, sameScope);
    let relation = verdict.relation;
    let decidedBy: MemoryOutcome['decidedBy'] = 'lexical';
    if (relation === 'close-call') {
      const answer = await this.askModel(verdict.item!.text, input.text, input.scope);
      relation = answer ?? 'new';
      if (answer !== undefined) decidedBy = 'model';
    }
    const at = now();
    const target = verdict.item;
    if ((relation === 'repeat' || relation === 'contradict') && target) {
      const previousText = target.text;
      const before = structuredClone(target);
      if (relation === 'repeat') {
        // The fuller wording wins; the other stays in the history.
        const fuller = input.text.length > target.text.length ? input.text : target.text;
        target.history.push({
          text: fuller === input.text ? target.text : input.text,
          until: at,
          change: 'merged',
        });
        target.text = fuller;
      } else {
        target.history.push({ text: target.text, until: at, change: 'superseded' });
        target.text = input.text;
        target.kind = input.kind ?? target.kind;
        target.source = sourceOf(input);
      }
      target.revisedAt = at;
      await this.saveShard(shard, () => Object.assign(target, before));
      this.index.put(target);
      this.embedLater(target);
      return {
        action: relation === 'repeat' ? 'merged' : 'superseded',
        item: structuredClone(target),
        previousText,
        decidedBy,
      };
    }
    const item: MemoryItem = {
      id: newId('mm'),
      kind: input.kind ?? guessKind(input.text),
      text: input.text,
      scope: input.scope,
      source: sourceOf(input),
      createdAt: at,
      revisedAt: at,
      useCount: 0,
      pinned: false,
      history: [],
      notRelevant: [],
      usedIn: [],
    };
    shard.data.items.push(item);
    await this.saveShard(shard, () => shard.data.items.splice(shard.data.items.indexOf(item), 1));
    this.index.put(item);
    this.embedLater(item);
    return { action: 'added', item: structuredClone(item), decidedBy };
  }

  /** A close call, decided by the chat model with structured output; undefined when it cannot answer. */
  private async askModel(
    existing: string,
    incoming: string,
    scope: MemoryScope,
  ): Promise<'repeat' | 'contradict' | 'new' | undefined> {
    const spaceId = scope.type === 'everywhere' ? '' : scope.spaceId;
    const { chatModel, keepAlive } = await this.choice(spaceId);
    try {
      const answer = await this.models.structured(chatModel, {
        messages: closeCallPrompt(existing, incoming),
        format: relationSchema as unknown as Record<string, unknown>,
        numCtx: 2048,
        keepAlive,
      });
      return parseRelation(answer);
    } catch {
      return undefined;
    }
  }

  // ---- the person's changes --------------------------------------------------------------------

  async list({ spaceId, kind, source, query }: CallArgs<'listMemories'>): Promise<MemoryItem[]> {
    await (spaceId === undefined
      ? this.loadAll()
      : Promise.all([this.shard('everywhere'), this.shard(`space-${spaceId}`)]));
    let items = [...this.index.all()].filter(
      (item) =>
        (spaceId === undefined || item.scope.type === 'everywhere' || item.scope.spaceId === spaceId) &&
        (kind === undefined || item.kind === kind) &&
        (source === undefined || item.source.type === source),
    );
    if (query) {
      const allowed = new Set(items.map((item) => item.id));
      const hits = this.index.textRanking(query, (item) => allowed.has(item.id));
      const words = query.toLowerCase();
      const found = new Set(hits.map((hit) => hit.id));
      for (const item of items) if (item.text.toLowerCase().includes(words)) found.add(item.id);
      items = items.filter((item) => found.has(item.id));
    }
    return items.sort((a, b) => b.revisedAt.localeCompare(a.revisedAt)).map((item) => structuredClone(item));
  }

  async get(memoryId: string): Promise<MemoryItem> {
    return structuredClone(await this.find(memoryId));
  }

  async update({ memoryId, text, kind, scope, pinned }: CallArgs<'updateMemory'>): Promise<MemoryItem> {
    const item = await this.find(memoryId);
    const before = structuredClone(item);
    const oldKey = shardKey(item.scope);
    const at = now();
    if (text !== undefined && text !== item.text) {
      item.history.push({ text: item.text, until: at, change: 'edited' });
      item.text = text;
      item.revisedAt = at;
    }
    if (kind !== undefined) item.kind = kind;
    if (pinned !== undefined) item.pinned = pinned;
    if (scope !== undefined) item.scope = scope;
    const newKey = shardKey(item.scope);
    if (newKey !== oldKey) {
      // Another scope lives in another file: the item moves there.
      const from = await this.shard(oldKey);
      const to = await this.shard(newKey);
      to.data.items.push(item);
      await this.saveShard(to, () => to.data.items.splice(to.data.items.indexOf(item), 1));
      from.data.items.splice(from.data.items.indexOf(item), 1);
      await this.saveShard(from, () => from.data.items.push(item));
      await this.dropVector(oldKey, item.id);
    } else {
      await this.saveShard(await this.shard(oldKey), () => Object.assign(item, before));
    }
    this.index.put(item);
    if (text !== undefined || newKey !== oldKey) this.embedLater(item);
    return structuredClone(item);
  }

  /** Deletes the item and its vector from their files for good. */
  async forget(memoryId: string): Promise<{ forgotten: string }> {
    const item = await this.find(memoryId);
    const key = shardKey(item.scope);
    const shard = await this.shard(key);
    const at = shard.data.items.indexOf(item);
    shard.data.items.splice(at, 1);
    await this.saveShard(shard, () => shard.data.items.splice(at, 0, item));
    this.index.remove(memoryId);
    await this.dropVector(key, memoryId);
    return { forgotten: memoryId };
  }

  async markNotRelevant({
    memoryId,
    loopId,
    turnId,
  }: CallArgs<'markMemoryNotRelevant'>): Promise<MemoryItem> {
    const item = await this.find(memoryId);
    const { document } = await this.loops.open(loopId);
    const turn = document.data.turns.find((candidate) => candidate.id === turnId);
    if (!turn) throw new KeelError('not-found', 'That turn no longer exists.', { field: 'turnId' });
    const query = await this.queryFor(loopId, document.data.turns.indexOf(turn));
    item.notRelevant.push({ loopId, terms: [...contentWords(query)].slice(0, 40), at: now() });
    if (item.notRelevant.length > 50) item.notRelevant.shift();
    await this.saveShard(await this.shard(shardKey(item.scope)), () => item.notRelevant.pop());
    return structuredClone(item);
  }

  // ---- recall ----------------------------------------------------------------------------------

  /**
   * The memories for a move in a loop. With `useEmbeddings`, the query is embedded when the
   * embedding model is installed; without one, full-text alone, with no error.
   */
  async recallFor(
    loopId: string,
    spaceId: string,
    query: string,
    budgetTokens: number,
    useEmbeddings: boolean,
  ): Promise<Recalled[]> {
    await Promise.all([this.shard('everywhere'), this.shard(`space-${spaceId}`)]);
    let queryVector: number[] | undefined;
    let vectors: Map<string, number[]> | undefined;
    const model = (await this.choice(spaceId)).embeddingModel;
    // Nothing to rank (no memory this loop may see, besides pinned ones): no need to embed the request.
    const rankable = [...this.index.in(shardsFor(spaceId))].some(
      (item) => !item.pinned && inScope(item, spaceId, loopId),
    );
    if (useEmbeddings && rankable && (await this.models.canEmbed(model))) {
      try {
        [queryVector] = await this.models.embed(model, [query]);
        vectors = new Map();
        for (const key of ['everywhere', `space-${spaceId}`]) {
          const shard = await this.vectorShard(key);
          if (shard.data.model !== model) continue;
          for (const [id, vector] of Object.entries(shard.data.vectors)) vectors.set(id, vector);
        }
      } catch {
        queryVector = undefined;
      }
    }
    return recall(this.index, vectors, { spaceId, loopId, query, queryVector, budgetTokens });
  }

  /** What a move is about, for recall: the loop's title and goal, the steer, and the latest turns. */
  async queryFor(loopId: string, beforeIndex?: number, steer?: string): Promise<string> {
    const { summary, document } = await this.loops.open(loopId);
    const turns = document.data.turns.slice(0, beforeIndex ?? document.data.turns.length);
    const current = currentVersionIds(turns);
    const recent = turns
      .filter((turn) => reachesModel(turn, current))
      .slice(-3)
      .reverse()
      .map((turn) => turn.text.slice(0, 1000));
    // Newest first: a long request is cut to its first words, and the latest turn matters most.
    const parts = [
      steer ?? '',
      ...recent,
      summary.title,
      document.data.intent.goal,
      document.data.intent.context,
    ];
    return parts.join('\n');
  }

  /** Records that a turn was given these memories. */
  async noteUse(loopId: string, turnId: string, ids: readonly string[]): Promise<void> {
    const at = now();
    const touched = new Set<string>();
    for (const id of ids) {
      const item = this.index.get(id);
      if (!item) continue;
      item.useCount += 1;
      item.lastUsedAt = at;
      item.usedIn.push({ loopId, turnId, at });
      if (item.usedIn.length > 50) item.usedIn.shift();
      touched.add(shardKey(item.scope));
    }
    for (const key of touched) await (await this.shard(key)).save();
  }

  // ---- Learn: lessons proposed by the AI, accepted by the person -------------------------------

  async proposeLessons(loopId: string): Promise<LessonProposal[]> {
    const { summary, document } = await this.loops.open(loopId);
    const current = currentVersionIds(document.data.turns);
    const turns = document.data.turns.filter((turn) => reachesModel(turn, current));
    if (turns.length === 0) {
      throw new KeelError('invalid-input', 'This loop has nothing to learn from yet: work in it first.');
    }
    const refs = new Map(turns.map((turn, index) => [`T${index + 1}`, turn.id]));
    const transcript = turns
      .map(
        (turn, index) =>
          `[T${index + 1}] ${turn.author === 'person' ? 'Me' : `You (${turn.move})`}: ${turn.text.slice(0, 2000)}`,
      )
      .join('\n\n');
    const decision = document.data.decision;
    const { chatModel, keepAlive } = await this.choice(summary.spaceId);
    const answer = await this.models.structured(chatModel, {
      messages: [
        {
          role: 'system',
          content:
            'You help a person draw lessons from a piece of their own work, to remember for later work. Propose at most ' +
            'five short lessons, each one sentence in the first person, specific and reusable: what they prefer, a principle ' +
            'they hold, context about this client or subject, or a lesson from the outcome. For each, name the turns it came ' +
            'from by their labels (T1, T2…) and whether it holds everywhere, in this space, or only this loop. Answer in JSON.',
        },
        {
          role: 'user',
          content: `Loop: ${summary.title}\nGoal: ${document.data.intent.goal}\n${decision ? `Decision: ${decision.choice}\n` : ''}\n${transcript}`,
        },
      ],
      format: lessonsSchema,
      numCtx: await this.models.numCtxFor(chatModel),
      keepAlive,
    });
    const parsed = lessonsAnswer.safeParse(answer);
    if (!parsed.success) {
      throw new KeelError(
        'ollama-error',
        'The model’s lessons did not come in the shape Keel asked for. Try again.',
      );
    }
    return parsed.data.lessons
      .filter((lesson) => lesson.text.trim() !== '')
      .slice(0, 5)
      .map((lesson) => ({
        kind: lesson.kind,
        text: lesson.text.trim(),
        scope: lesson.scope,
        turnIds: lesson.turns
          .map((ref) => refs.get(ref.trim().toUpperCase()))
          .filter((id): id is string => !!id),
      }));
  }

  async acceptLesson({
    loopId,
    kind,
    text,
    scope,
    turnIds,
  }: CallArgs<'acceptLesson'>): Promise<MemoryOutcome> {
    const { summary } = await this.loops.open(loopId);
    return this.capture({
      text,
      kind,
      scope: scopeFor(scope, summary.spaceId, loopId),
      source: 'learn',
      loopId,
      turnIds,
    });
  }

  // ---- steering feedback -----------------------------------------------------------------------

  /**
   * Notes a turn set aside with a reason. When the person has set turns aside for similar reasons
   * more than once in a space, Keel suggests a preference; nothing is stored as memory until accepted.
   */
  async noteSetAside(spaceId: string, loopId: string, turnId: string, reason: string): Promise<void> {
    const signals = await this.signals();
    const data = signals.data;
    data.setAside = data.setAside.filter((entry) => entry.turnId !== turnId);
    data.setAside.push({ spaceId, loopId, turnId, reason, at: now() });
    if (data.setAside.length > 2000) data.setAside.shift();
    const words = contentWords(reason);
    const similar = data.setAside.filter(
      (entry) => entry.spaceId === spaceId && jaccard(words, contentWords(entry.reason)) >= 0.5,
    );
    const group = `${spaceId} ${[...words].sort().join(' ')}`;
    const known = data.suggestions.some(
      (suggestion) => suggestion.spaceId === spaceId && jaccard(words, contentWords(suggestion.text)) >= 0.5,
    );
    if (similar.length >= 2 && !known && !data.dismissed.includes(group)) {
      data.suggestions.push({
        id: `sg-${newId('mm').slice(3)}`,
        kind: 'preference',
        text: `Avoid answers that are ${lowerFirst(reason.trim().replace(/[.!?]+$/, ''))}.`,
        spaceId,
        evidence: similar.map(({ loopId: from, turnId: turn, reason: why }) => ({
          loopId: from,
          turnId: turn,
          reason: why,
        })),
      });
    }
    await signals.save();
  }

  async suggestions(): Promise<MemorySuggestion[]> {
    return structuredClone((await this.signals()).data.suggestions);
  }

  async dismissSuggestion(suggestionId: string): Promise<{ dismissed: string }> {
    const signals = await this.signals();
    const suggestion = signals.data.suggestions.find((candidate) => candidate.id === suggestionId);
    if (!suggestion)
      throw new KeelError('not-found', 'That suggestion is no longer there.', { field: 'suggestionId' });
    signals.data.suggestions = signals.data.suggestions.filter((candidate) => candidate.id !== suggestionId);
    const reason = suggestion.evidence[0]?.reason ?? suggestion.text;
    signals.data.dismissed.push(`${suggestion.spaceId} ${[...contentWords(reason)].sort().join(' ')}`);
    await signals.save();
    return { dismissed: suggestionId };
  }

  /** Accepting a suggestion removes it from the list (it became memory). */
  async resolveSuggestion(suggestionId: string): Promise<void> {
    const signals = await this.signals();
    signals.data.suggestions = signals.data.suggestions.filter((candidate) => candidate.id !== suggestionId);
    await signals.save();
  }

  /** The memories kept for one space (its own and its loops'), as stored: what sync sends. */
  async spaceItems(spaceId: string): Promise<MemoryItem[]> {
    return structuredClone((await this.shard(`space-${spaceId}`)).data.items);
  }

  /**
   * Replaces one space's memories with those merged with another computer's (sync): the search
   * and recall index follow, a forgotten one loses its vector too, and a new or changed text gets
   * a vector in the background.
   */
  async putSyncedItems(
    spaceId: string,
    merge: (current: MemoryItem[]) => MemoryItem[] | undefined,
  ): Promise<void> {
    const key = `space-${spaceId}`;
    const shard = await this.shard(key);
    const before = shard.data.items;
    const items = merge(structuredClone(before));
    if (!items) return;
    const previous = new Map(before.map((item) => [item.id, item]));
    shard.data.items = items;
    await this.saveShard(shard, () => (shard.data.items = before));
    const kept = new Set(items.map((item) => item.id));
    for (const item of before) {
      if (kept.has(item.id)) continue;
      this.index.remove(item.id);
      await this.dropVector(key, item.id);
    }
    this.index.putAll(items);
    for (const item of items) if (previous.get(item.id)?.text !== item.text) this.embedLater(item);
  }

  // ---- files -----------------------------------------------------------------------------------

  private async find(memoryId: string): Promise<MemoryItem> {
    let item = this.index.get(memoryId);
    if (!item) {
      await this.loadAll();
      item = this.index.get(memoryId);
    }
    if (!item) throw new KeelError('not-found', 'That memory no longer exists.', { field: 'memoryId' });
    return item;
  }

  private shard(key: string): Promise<Document<Shard>> {
    let opened = this.shards.get(key);
    if (!opened) {
      opened = this.store
        .document(`memory/${key}.json`, shardSpec(key), { version: 1, items: [] })
        .then((document) => {
          this.index.putAll(document.data.items);
          return document;
        });
      opened.catch(() => this.shards.delete(key));
      this.shards.set(key, opened);
    }
    return opened;
  }

  private vectorShard(key: string): Promise<Document<VectorShard>> {
    let opened = this.vectorShards.get(key);
    if (!opened) {
      opened = this.store.document(`memory/${key}.vectors.json`, vectorSpec(key), {
        version: 1,
        model: '',
        vectors: {},
      });
      opened.catch(() => this.vectorShards.delete(key));
      this.vectorShards.set(key, opened);
    }
    return opened;
  }

  private signals(): Promise<Document<Signals>> {
    return this.store.document('memory/signals.json', signalSpec, {
      version: 1,
      setAside: [],
      suggestions: [],
      dismissed: [],
    });
  }

  private async loadAll(): Promise<void> {
    if (this.allLoaded) return;
    const keys = new Set([
      'everywhere',
      ...this.store.catalog.data.spaces.map((space) => `space-${space.id}`),
    ]);
    await Promise.all([...keys].map((key) => this.shard(key)));
    this.allLoaded = true;
  }

  private async saveShard(shard: Document<Shard>, revert: () => void): Promise<void> {
    try {
      await shard.save();
    } catch (error) {
      revert();
      throw error;
    }
    for (const listener of this.listeners) listener();
  }

  /** Computes an item's vector in the background when an embedding model is installed. */
  private embedLater(item: MemoryItem): void {
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
    })().catch(() => undefined);
  }

  private async dropVector(key: string, id: string): Promise<void> {
    const shard = await this.vectorShard(key);
    if (!(id in shard.data.vectors)) return;
    const { [id]: _gone, ...rest } = shard.data.vectors;
    shard.data.vectors = rest;
    await shard.save();
  }
}

const lessonsSchema = {
  type: 'object',
  properties: {
    lessons: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          kind: { type: 'string', enum: [...memoryKinds] },
          text: { type: 'string' },
          scope: { type: 'string', enum: ['everywhere', 'space', 'loop'] },
          turns: { type: 'array', items: { type: 'string' } },
        },
        required: ['kind', 'text', 'scope', 'turns'],
      },
    },
  },
  required: ['lessons'],
};

const lessonsAnswer = z.object({
  lessons: z.array(
    z.object({
      kind: z.enum(memoryKinds),
      text: z.string(),
      scope: z.enum(['everywhere', 'space', 'loop']),
      turns: z.array(z.string()),
    }),
  ),
});

function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function sameScopeAs(a: MemoryScope, b: MemoryScope): boolean {
  if (a.type !== b.type) return false;
  if (a.type === 'everywhere' || b.type === 'everywhere') return true;
  if (a.spaceId !== b.spaceId) return false;
  return a.type === 'space' || (b.type === 'loop' && a.loopId === b.loopId);
}

export function scopeFor(
  scope: 'everywhere' | 'space' | 'loop',
  spaceId: string,
  loopId: string,
): MemoryScope {
  if (scope === 'everywhere') return { type: 'everywhere' };
  if (scope === 'space') return { type: 'space', spaceId };
  return { type: 'loop', spaceId, loopId };
}

function sourceOf(input: CaptureInput): MemoryItem['source'] {
  return {
    type: input.source,
    ...(input.loopId ? { loopId: input.loopId } : {}),
    ...(input.turnIds && input.turnIds.length > 0 ? { turnIds: input.turnIds } : {}),
  };
}
