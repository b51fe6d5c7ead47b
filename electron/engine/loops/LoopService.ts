/**
 * Spaces, loops and the person's turns. The catalog lists every space and loop; each loop's
 * turns, intent and draft live in the loop's own file, opened when the loop is.
 */
import { Emitter } from '../../../shared/async';
import type {
  Intent,
  Loop,
  LoopLayout,
  LoopLayoutChange,
  LoopSummary,
  LoopTemplate,
  NewLoop,
  NewSpace,
  PersonTurnInput,
  Space,
  SpaceModels,
  Turn,
} from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import { deriveStage } from '../../../shared/loopLogic';
import { insertTurn } from '../../../shared/turnPlacement';
import { builtInTemplates } from '../../../shared/templates';
import type { NoteProblem } from '../Diagnostics';
import { newId, now } from '../ids';
import type { Document, Store } from '../store/Store';
import { decisionCopy, type LoopDocument } from '../store/documents';
import { ledgerEntries } from './DecisionService';

/** Spaces, loops and the person's turns, as the workspace's calls use them. */
export interface Loops {
  listSpaces(filter: { includeArchived?: boolean }): Space[];
  createSpace(space: NewSpace): Promise<Space>;
  renameSpace(change: { spaceId: string; name: string }): Promise<Space>;
  archiveSpace(change: { spaceId: string; archived: boolean }): Promise<Space>;
  listLoops(filter: { spaceId?: string; includeArchived?: boolean }): LoopSummary[];
  createLoop(loop: NewLoop): Promise<Loop>;
  getLoop(which: { loopId: string }): Promise<Loop>;
  renameLoop(change: { loopId: string; title: string }): Promise<LoopSummary>;
  archiveLoop(change: { loopId: string; archived: boolean }): Promise<LoopSummary>;
  updateIntent(change: { loopId: string; intent: Partial<Intent> }): Promise<Loop>;
  setLoopLayout(change: { loopId: string; layout: LoopLayoutChange }): Promise<LoopLayout>;
  addTurn(turn: PersonTurnInput): Promise<Turn>;
}

export class LoopService implements Loops {
  /** Loops opened since this engine started; a turn still streaming in a loop's file when it is first opened was cut off by a crash. */
  private readonly opened = new Set<string>();
  private catalogTimer: NodeJS.Timeout | undefined;
  private readonly loopChanged = new Emitter<string>();

  constructor(
    private readonly store: Store,
    private readonly noteProblem: NoteProblem,
  ) {}

  /** Hears of every change to a loop (its file or its catalog entry), e.g. to keep search up to date. */
  onLoopChanged(listener: (loopId: string) => void): () => void {
    return this.loopChanged.subscribe(listener);
  }

  private changed(loopId: string): void {
    this.loopChanged.emit(loopId);
  }

  listSpaces({ includeArchived }: { includeArchived?: boolean }): Space[] {
    return this.store.catalog.data.spaces.filter((space) => includeArchived || !space.archived);
  }

  async createSpace({ name, kind, description }: NewSpace): Promise<Space> {
    const at = now();
    const space: Space = {
      id: newId('sp'),
      name,
      kind: kind ?? 'general',
      description: description ?? '',
      archived: false,
      createdAt: at,
      updatedAt: at,
    };
    await this.changeCatalog(() => this.store.catalog.data.spaces.push(space));
    return space;
  }

  async renameSpace({ spaceId, name }: { spaceId: string; name: string }): Promise<Space> {
    return this.changeSpace(spaceId, (space) => (space.name = name));
  }

  async archiveSpace({ spaceId, archived }: { spaceId: string; archived: boolean }): Promise<Space> {
    return this.changeSpace(spaceId, (space) => (space.archived = archived));
  }

  async setSpaceModels({ spaceId, chatModel, embeddingModel, runtime }: SpaceModels): Promise<Space> {
    return this.changeSpace(spaceId, (space) => {
      if (chatModel === null) delete space.chatModel;
      else if (chatModel !== undefined) space.chatModel = chatModel;
      if (embeddingModel === null) delete space.embeddingModel;
      else if (embeddingModel !== undefined) space.embeddingModel = embeddingModel;
      if (runtime === null) delete space.runtime;
      else if (runtime !== undefined) space.runtime = runtime;
    });
  }

  listLoops({ spaceId, includeArchived }: { spaceId?: string; includeArchived?: boolean }): LoopSummary[] {
    return this.store.catalog.data.loops
      .filter(
        (loop) => (spaceId === undefined || loop.spaceId === spaceId) && (includeArchived || !loop.archived),
      )
      .sort((a, b) => b.updatedAt.localeCompare(a.updatedAt));
  }

  async createLoop({ spaceId, title, intent, templateId }: NewLoop): Promise<Loop> {
    this.space(spaceId);
    const template = templateId === undefined ? undefined : this.template(templateId);
    if (template?.spaceId !== undefined && template.spaceId !== spaceId) {
      throw new KeelError('invalid-input', 'That template belongs to another space.', {
        field: 'templateId',
      });
    }
    const at = now();
    const summary: LoopSummary = {
      id: newId('lp'),
      spaceId,
      title,
      archived: false,
      stage: 'frame',
      turnCount: 0,
      decided: false,
      ledger: [],
      createdAt: at,
      updatedAt: at,
    };
    const document: LoopDocument = {
      version: 3,
      id: summary.id,
      intent: {
        goal: '',
        context: '',
        constraints: '',
        goodLooksLike: '',
        ...template?.intent,
        ...definedOnly(intent ?? {}),
      },
      turns: [],
      draft: '',
      draftVersions: [],
      pastDecisions: [],
      ...(template ? { suggestedMove: template.firstMove } : {}),
    };
    // The loop's file first: a catalog entry must never point at a file that is not there.
    const opened = await this.store.createLoop(document, title);
    await this.changeCatalog(() => this.store.catalog.data.loops.push(summary));
    this.changed(summary.id);
    return toLoop(summary, opened.data);
  }

  async getLoop({ loopId }: { loopId: string }): Promise<Loop> {
    const { summary, document } = await this.open(loopId);
    return toLoop(summary, document.data);
  }

  async renameLoop({ loopId, title }: { loopId: string; title: string }): Promise<LoopSummary> {
    return this.changeSummary(loopId, (summary) => (summary.title = title));
  }

  async archiveLoop({ loopId, archived }: { loopId: string; archived: boolean }): Promise<LoopSummary> {
    return this.changeSummary(loopId, (summary) => (summary.archived = archived));
  }

  async updateIntent({ loopId, intent }: { loopId: string; intent: Partial<Intent> }): Promise<Loop> {
    const { summary, document } = await this.open(loopId);
    Object.assign(document.data.intent, definedOnly(intent));
    await document.save();
    await this.touch(summary);
    this.changed(loopId);
    return toLoop(summary, document.data);
  }

  /**
   * Keeps the loop's layout. It is how the loop is shown, not what it holds: the loop's time and
   * place in the list stay as they are, and search has nothing new to index.
   */
  async setLoopLayout({ loopId, layout }: { loopId: string; layout: LoopLayoutChange }): Promise<LoopLayout> {
    const { document } = await this.open(loopId);
    const before = document.data.layout;
    const { draftWidth, ...parts } = layout;
    const next: LoopLayout = { ...before, ...parts };
    if (draftWidth === null) delete next.draftWidth;
    else if (draftWidth !== undefined) next.draftWidth = draftWidth;
    document.data.layout = next;
    try {
      await document.save();
    } catch (error) {
      document.data.layout = before;
      throw error;
    }
    return { ...document.data.layout };
  }

  async addTurn(
    { loopId, text, move }: PersonTurnInput,
    extra: Pick<Partial<Turn>, 'id' | 'remembered'> = {},
  ): Promise<Turn> {
    const at = now();
    const turn: Turn = {
      ...extra,
      id: extra.id ?? newId('tn'),
      loopId,
      author: 'person',
      move: move ?? 'say',
      text,
      status: 'complete',
      createdAt: at,
      updatedAt: at,
    };
    await this.appendTurn(loopId, turn);
    return turn;
  }

  /**
   * Adds a turn where `insertTurn` places it (a regenerated version after its group, which then
   * forgets the version kept before) and resolves once the loop file (and then the catalog) holds it
   * on disk. If it cannot be saved, the timeline is put back whole, the kept version included.
   */
  async appendTurn(loopId: string, turn: Turn): Promise<void> {
    const { summary, document } = await this.open(loopId);
    const before = document.data.turns;
    document.data.turns = insertTurn(before, turn);
    try {
      await document.save();
    } catch (error) {
      document.data.turns = before;
      throw error;
    }
    this.refreshSummary(summary, document.data);
  }

  /**
   * Changes a loop's file and resolves once the change is on disk. If it cannot be saved, `revert`
   * puts the loop back as it was, so what the person sees is what the disk holds.
   */
  async change<T>(
    loopId: string,
    apply: (document: LoopDocument, summary: LoopSummary) => { result: T; revert: () => void },
  ): Promise<T> {
    const { summary, document } = await this.open(loopId);
    const { result, revert } = apply(document.data, summary);
    try {
      await document.save();
    } catch (error) {
      revert();
      throw error;
    }
    this.refreshSummary(summary, document.data);
    return result;
  }

  /** A template by id: a built-in one or one of the person's own. */
  template(templateId: string): LoopTemplate {
    const template =
      builtInTemplates.find((candidate) => candidate.id === templateId) ??
      this.store.templates.data.templates.find((candidate) => candidate.id === templateId);
    if (!template)
      throw new KeelError('not-found', 'That template no longer exists.', { field: 'templateId' });
    return template;
  }

  /**
   * Brings the loop's catalog entry up to date with its file. The loop file is the truth and is
   * already on disk; the catalog's copy (count, stage, time) is written behind it, at most once a
   * second, so saving a turn costs one durable write of its own loop, whatever the library's size.
   * A crash in between leaves a catalog a little behind, which opening the loop corrects.
   */
  refreshSummary(summary: LoopSummary, document: LoopDocument): void {
    summary.turnCount = document.turns.length;
    summary.decided = document.decision !== undefined;
    const due = document.decision && !document.decision.review ? document.decision.reviewDate : '';
    if (due) summary.reviewDue = due;
    else delete summary.reviewDue;
    summary.ledger = ledgerEntries(document);
    summary.stage = deriveStage(document.turns, summary.decided);
    summary.updatedAt = document.turns.at(-1)?.updatedAt ?? summary.updatedAt;
    this.changed(summary.id);
    this.catalogTimer ??= setTimeout(() => {
      this.catalogTimer = undefined;
      void this.saveCatalogBehind();
    }, 1000);
    this.catalogTimer.unref();
  }

  /** Writes the catalog now, e.g. once the ledger indexed loops it had not seen. */
  async flushCatalog(): Promise<void> {
    if (this.catalogTimer) clearTimeout(this.catalogTimer);
    this.catalogTimer = undefined;
    await this.saveCatalogBehind();
  }

  /** Writes the catalog now if a summary change is waiting (on close). */
  async flush(): Promise<void> {
    if (!this.catalogTimer) return;
    clearTimeout(this.catalogTimer);
    this.catalogTimer = undefined;
    await this.saveCatalogBehind();
  }

  private async saveCatalogBehind(): Promise<void> {
    // Not saved now is not lost: the next save writes it.
    await this.store.catalog
      .save()
      .catch((error: unknown) => this.noteProblem('updating the list of loops', error));
  }

  /** Opens a loop: its catalog summary and its file. Turns left streaming by a crash are marked interrupted. */
  async open(loopId: string): Promise<{ summary: LoopSummary; document: Document<LoopDocument> }> {
    const summary = this.store.catalog.data.loops.find((loop) => loop.id === loopId);
    if (!summary) throw new KeelError('not-found', 'That loop no longer exists.', { field: 'loopId' });
    const document = await this.store.openLoop(loopId, summary.title);
    if (!this.opened.has(loopId)) {
      this.opened.add(loopId);
      await markInterrupted(document);
      if (summary.turnCount !== document.data.turns.length) this.refreshSummary(summary, document.data);
    }
    return { summary, document };
  }

  async touch(summary: LoopSummary): Promise<void> {
    await this.changeCatalog(() => (summary.updatedAt = now()));
  }

  /**
   * Takes a space as another computer has it (sync): its name, kind, description and archiving; the
   * models chosen for it stay this computer's own.
   */
  async putSyncedSpace(synced: Omit<Space, 'chatModel' | 'embeddingModel'>): Promise<void> {
    const space = this.store.catalog.data.spaces.find((candidate) => candidate.id === synced.id);
    await this.changeCatalog(() => {
      if (space) Object.assign(space, synced);
      else this.store.catalog.data.spaces.push({ ...synced });
    });
  }

  /**
   * Takes a loop as merged with another computer's copy (sync), written like any change: the
   * loop's file atomically first, then its catalog entry. The merge is applied without a pause in
   * between, so no turn being saved meanwhile can be lost, and turn objects a move is still
   * streaming into stay in place.
   */
  async putSyncedLoop(
    spaceId: string,
    synced: { title: string; archived: boolean; createdAt: string; document: Omit<LoopDocument, 'layout'> },
    merge: (
      current: { title: string; archived: boolean; createdAt: string; document: LoopDocument } | undefined,
    ) =>
      | { title: string; archived: boolean; createdAt: string; document: Omit<LoopDocument, 'layout'> }
      | undefined,
  ): Promise<void> {
    const summary = this.store.catalog.data.loops.find((loop) => loop.id === synced.document.id);
    if (!summary) {
      const merged = merge(undefined) ?? synced;
      const created: LoopSummary = {
        id: merged.document.id,
        spaceId,
        title: merged.title,
        archived: merged.archived,
        stage: 'frame',
        turnCount: 0,
        decided: false,
        ledger: [],
        createdAt: merged.createdAt,
        updatedAt: merged.createdAt,
      };
      const opened = await this.store.createLoop({ ...merged.document, version: 3 }, merged.title);
      await this.changeCatalog(() => this.store.catalog.data.loops.push(created));
      this.refreshSummary(created, opened.data);
      return;
    }
    const document = await this.store.openLoop(summary.id, summary.title);
    const before = { ...document.data, turns: [...document.data.turns] };
    const merged = merge({
      title: summary.title,
      archived: summary.archived,
      createdAt: summary.createdAt,
      document: document.data,
    });
    // Nothing new for this computer.
    if (!merged) return;
    const { turns, ...rest } = merged.document;
    // The decisions come from the person's own calls on either computer, merged, never made up here.
    Object.assign(document.data, rest);
    if (rest.decision === undefined) delete (document.data as { decision?: unknown }).decision;
    document.data.turns.splice(0, document.data.turns.length, ...turns);
    try {
      await document.save();
    } catch (error) {
      document.data.turns.splice(0, document.data.turns.length, ...before.turns);
      Object.assign(document.data, before);
      throw error;
    }
    if (summary.title !== merged.title || summary.archived !== merged.archived) {
      await this.changeCatalog(() => {
        summary.title = merged.title;
        summary.archived = merged.archived;
      });
    }
    this.refreshSummary(summary, document.data);
  }

  private space(spaceId: string): Space {
    const space = this.store.catalog.data.spaces.find((candidate) => candidate.id === spaceId);
    if (!space) throw new KeelError('not-found', 'That space no longer exists.', { field: 'spaceId' });
    return space;
  }

  private async changeSpace(spaceId: string, change: (space: Space) => void): Promise<Space> {
    const space = this.space(spaceId);
    await this.changeCatalog(() => {
      change(space);
      space.updatedAt = now();
    });
    return space;
  }

  private async changeSummary(loopId: string, change: (summary: LoopSummary) => void): Promise<LoopSummary> {
    const summary = this.store.catalog.data.loops.find((loop) => loop.id === loopId);
    if (!summary) throw new KeelError('not-found', 'That loop no longer exists.', { field: 'loopId' });
    await this.changeCatalog(() => {
      change(summary);
      summary.updatedAt = now();
    });
    this.changed(loopId);
    return summary;
  }

  private async changeCatalog(change: () => void): Promise<void> {
    change();
    await this.store.catalog.save();
  }
}

async function markInterrupted(document: Document<LoopDocument>): Promise<void> {
  const cut = document.data.turns.filter((turn) => turn.status === 'streaming');
  if (cut.length === 0) return;
  for (const turn of cut) {
    turn.status = 'interrupted';
    turn.updatedAt = now();
  }
  await document.save();
}

export function toLoop(summary: LoopSummary, document: LoopDocument): Loop {
  const aiHasMoved = document.turns.some((turn) => turn.author === 'ai');
  const { ledger: _ledger, ...rest } = summary;
  return {
    ...rest,
    intent: { ...document.intent },
    turns: document.turns.map((turn) => ({ ...turn })),
    draft: document.draft,
    draftVersions: document.draftVersions.map((version) => ({ ...version })),
    pastDecisions: document.pastDecisions.map(decisionCopy),
    ...(document.decision ? { decision: decisionCopy(document.decision) } : {}),
    ...(document.suggestedMove && !aiHasMoved ? { suggestedMove: document.suggestedMove } : {}),
    ...(document.layout ? { layout: { ...document.layout } } : {}),
  };
}

function definedOnly(intent: Partial<Intent>): Partial<Intent> {
  return Object.fromEntries(Object.entries(intent).filter(([, value]) => value !== undefined));
}
