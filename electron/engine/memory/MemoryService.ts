/**
 * Keel's learning memory: what the person prefers, holds as principles, knows about each client and
 * has learned from past decisions. Items live in small files in the data folder, one per scope
 * (`memory/everywhere.json`, `memory/space-<id>.json`, loop-scoped items in their space's file),
 * with their vectors beside them (`*.vectors.json`). Every capture is consolidated (merge, supersede
 * or add, each visible to the person); recall respects scope as a wall.
 */
import type {
  AcceptedLesson,
  LessonProposal,
  MemoryChange,
  MemoryFilter,
  MemoryItem,
  MemoryKind,
  MemoryOrigin,
  MemoryOutcome,
  MemoryScope,
  MemorySuggestion,
  NotRelevantNote,
  PersonTurnInput,
  RememberInput,
  Turn,
} from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import { currentVersionIds, reachesModel } from '../../../shared/loopLogic';
import type { NoteProblem } from '../Diagnostics';
import { newId, now } from '../ids';
import type { LoopService } from '../loops/LoopService';
import type { ModelChoice, ModelService } from '../model/ModelService';
import { contentWords } from '../retrieval/words';
import type { Store } from '../store/Store';
import { closeCallPrompt, lexicalVerdict, parseRelation, relationSchema } from './consolidate';
import { proposeLessons } from './lessons';
import { MemoryStore } from './MemoryStore';
import { inScope, recall, shardKey, shardsFor, type MemoryIndex, type Recalled } from './recall';
import { SteeringSignals } from './SteeringSignals';

export interface CaptureInput {
  text: string;
  kind?: MemoryKind | undefined;
  scope: MemoryScope;
  origin: MemoryOrigin;
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

/** Memory as the workspace's calls use it. */
export interface Memories {
  list(filter: MemoryFilter): Promise<MemoryItem[]>;
  get(memoryId: string): Promise<MemoryItem>;
  remember(input: RememberInput): Promise<MemoryOutcome>;
  update(change: MemoryChange): Promise<MemoryItem>;
  markNotRelevant(note: NotRelevantNote): Promise<MemoryItem>;
  proposeLessons(loopId: string): Promise<LessonProposal[]>;
  acceptLesson(lesson: AcceptedLesson): Promise<MemoryOutcome>;
  suggestions(): Promise<MemorySuggestion[]>;
  dismissSuggestion(suggestionId: string): Promise<{ dismissed: string }>;
  /** The person's turn; "remember …" in it also becomes a memory. */
  addTurn(turn: PersonTurnInput): Promise<Turn>;
}

export class MemoryService implements Memories {
  /** The files, the index over them, and the vectors beside them. */
  private readonly files: MemoryStore;
  private readonly index: MemoryIndex;
  private readonly signals: SteeringSignals;

  /** Hears whenever memories were added, changed or forgotten, e.g. to keep search up to date. */
  onMemoryChanged(listener: () => void): () => void {
    return this.files.onChanged(listener);
  }

  /** Every memory item (all files read), for indexing. */
  async everything(): Promise<MemoryItem[]> {
    await this.files.loadAll();
    return [...this.index.all()];
  }

  /** One memory if it exists (without throwing). */
  async lookup(memoryId: string): Promise<MemoryItem | undefined> {
    return this.files.find(memoryId).catch(() => undefined);
  }

  constructor(
    store: Store,
    private readonly loops: LoopService,
    private readonly models: ModelService,
    private readonly choice: (spaceId: string) => Promise<ModelChoice>,
    noteProblem: NoteProblem,
  ) {
    this.files = new MemoryStore(store, models, choice, noteProblem);
    this.index = this.files.index;
    this.signals = new SteeringSignals(store);
  }

  // ---- capture and consolidation -------------------------------------------------------------

  /**
   * The person's own turn. "Remember …" in the composer is said outright: it becomes a memory of the
   * loop's space as well as the turn, which notes what was remembered.
   */
  async addTurn(input: PersonTurnInput): Promise<Turn> {
    const said = rememberedText(input.text);
    if (!said) return this.loops.addTurn(input);
    const { summary } = await this.loops.open(input.loopId);
    const turnId = newId('tn');
    const outcome = await this.capture({
      text: said,
      scope: { type: 'space', spaceId: summary.spaceId },
      origin: 'said',
      loopId: input.loopId,
      turnIds: [turnId],
    });
    return this.loops.addTurn(input, {
      id: turnId,
      remembered: { id: outcome.item.id, action: outcome.action },
    });
  }

  /** Remembers what the person said outright (or accepted from a suggestion, which then goes). */
  async remember({
    text,
    kind,
    scope,
    origin,
    loopId,
    turnId,
    suggestionId,
  }: RememberInput): Promise<MemoryOutcome> {
    const outcome = await this.capture({
      text,
      kind,
      scope,
      origin: origin ?? 'said',
      loopId,
      turnIds: turnId ? [turnId] : undefined,
    });
    if (suggestionId) await this.resolveSuggestion(suggestionId);
    return outcome;
  }

  async capture(input: CaptureInput): Promise<MemoryOutcome> {
    const key = shardKey(input.scope);
    const shard = await this.files.shard(key);
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
        target.origin = originOf(input);
      }
      target.revisedAt = at;
      await this.files.saveShard(shard, () => Object.assign(target, before));
      this.index.put(target);
      this.files.embedLater(target);
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
      origin: originOf(input),
      createdAt: at,
      revisedAt: at,
      useCount: 0,
      pinned: false,
      history: [],
      notRelevant: [],
      usedIn: [],
    };
    shard.data.items.push(item);
    await this.files.saveShard(shard, () => shard.data.items.splice(shard.data.items.indexOf(item), 1));
    this.index.put(item);
    this.files.embedLater(item);
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

  async list({ spaceId, kind, origin, query }: MemoryFilter): Promise<MemoryItem[]> {
    await (spaceId === undefined
      ? this.files.loadAll()
      : Promise.all([this.files.shard('everywhere'), this.files.shard(`space-${spaceId}`)]));
    let items = [...this.index.all()].filter(
      (item) =>
        (spaceId === undefined || item.scope.type === 'everywhere' || item.scope.spaceId === spaceId) &&
        (kind === undefined || item.kind === kind) &&
        (origin === undefined || item.origin.type === origin),
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
    return structuredClone(await this.files.find(memoryId));
  }

  async update({ memoryId, text, kind, scope, pinned }: MemoryChange): Promise<MemoryItem> {
    const item = await this.files.find(memoryId);
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
      const from = await this.files.shard(oldKey);
      const to = await this.files.shard(newKey);
      to.data.items.push(item);
      await this.files.saveShard(to, () => to.data.items.splice(to.data.items.indexOf(item), 1));
      from.data.items.splice(from.data.items.indexOf(item), 1);
      await this.files.saveShard(from, () => from.data.items.push(item));
      await this.files.dropVector(oldKey, item.id);
    } else {
      await this.files.saveShard(await this.files.shard(oldKey), () => Object.assign(item, before));
    }
    this.index.put(item);
    if (text !== undefined || newKey !== oldKey) this.files.embedLater(item);
    return structuredClone(item);
  }

  /** Deletes the item and its vector from their files for good. */
  async forget(memoryId: string): Promise<{ forgotten: string }> {
    const item = await this.files.find(memoryId);
    const key = shardKey(item.scope);
    const shard = await this.files.shard(key);
    const at = shard.data.items.indexOf(item);
    shard.data.items.splice(at, 1);
    await this.files.saveShard(shard, () => shard.data.items.splice(at, 0, item));
    this.index.remove(memoryId);
    await this.files.dropVector(key, memoryId);
    return { forgotten: memoryId };
  }

  async markNotRelevant({ memoryId, loopId, turnId }: NotRelevantNote): Promise<MemoryItem> {
    const item = await this.files.find(memoryId);
    const { document } = await this.loops.open(loopId);
    const turn = document.data.turns.find((candidate) => candidate.id === turnId);
    if (!turn) throw new KeelError('not-found', 'That turn no longer exists.', { field: 'turnId' });
    const query = await this.queryFor(loopId, document.data.turns.indexOf(turn));
    item.notRelevant.push({ loopId, terms: [...contentWords(query)].slice(0, 40), at: now() });
    if (item.notRelevant.length > 50) item.notRelevant.shift();
    await this.files.saveShard(await this.files.shard(shardKey(item.scope)), () => item.notRelevant.pop());
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
    await Promise.all([this.files.shard('everywhere'), this.files.shard(`space-${spaceId}`)]);
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
          const shard = await this.files.vectorShard(key);
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
    for (const key of touched) await (await this.files.shard(key)).save();
  }

  // ---- Learn: lessons proposed by the AI, accepted by the person -------------------------------

  proposeLessons(loopId: string): Promise<LessonProposal[]> {
    return proposeLessons(this.loops, this.models, this.choice, loopId);
  }

  async acceptLesson({ loopId, kind, text, scope, turnIds }: AcceptedLesson): Promise<MemoryOutcome> {
    const { summary } = await this.loops.open(loopId);
    const outcome = await this.capture({
      text,
      kind,
      scope: scopeFor(scope, summary.spaceId, loopId),
      origin: 'learn',
      loopId,
      turnIds,
    });
    // The timeline shows what was learned; a decided loop moves to its Learn stage.
    await this.loops.addTurn({ loopId, text: `Learned: ${text}`, move: 'learn' });
    return outcome;
  }

  // ---- steering feedback -----------------------------------------------------------------------

  /** Notes a turn set aside with a reason (see `SteeringSignals`). */
  noteSetAside(spaceId: string, loopId: string, turnId: string, reason: string): Promise<void> {
    return this.signals.noteSetAside(spaceId, loopId, turnId, reason);
  }

  suggestions(): Promise<MemorySuggestion[]> {
    return this.signals.suggestions();
  }

  dismissSuggestion(suggestionId: string): Promise<{ dismissed: string }> {
    return this.signals.dismiss(suggestionId);
  }

  /** Accepting a suggestion removes it from the list (it became memory). */
  resolveSuggestion(suggestionId: string): Promise<void> {
    return this.signals.resolve(suggestionId);
  }

  // ---- sync ------------------------------------------------------------------------------------

  /** The memories kept for one space (its own and its loops'), as stored: what sync sends. */
  async spaceItems(spaceId: string): Promise<MemoryItem[]> {
    return structuredClone((await this.files.shard(`space-${spaceId}`)).data.items);
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
    const shard = await this.files.shard(key);
    const before = shard.data.items;
    const items = merge(structuredClone(before));
    if (!items) return;
    const previous = new Map(before.map((item) => [item.id, item]));
    shard.data.items = items;
    await this.files.saveShard(shard, () => (shard.data.items = before));
    const kept = new Set(items.map((item) => item.id));
    for (const item of before) {
      if (kept.has(item.id)) continue;
      this.index.remove(item.id);
      await this.files.dropVector(key, item.id);
    }
    this.index.putAll(items);
    for (const item of items) if (previous.get(item.id)?.text !== item.text) this.files.embedLater(item);
  }
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

function originOf(input: CaptureInput): MemoryItem['origin'] {
  return {
    type: input.origin,
    ...(input.loopId ? { loopId: input.loopId } : {}),
    ...(input.turnIds && input.turnIds.length > 0 ? { turnIds: input.turnIds } : {}),
  };
}
