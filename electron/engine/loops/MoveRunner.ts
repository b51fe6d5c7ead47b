/**
 * Runs the AI's moves: creates the AI turn, streams the model's answer into it token by token as
 * events, and ends it as complete, stopped (the partial text kept) or failed (the error's code and
 * message on the turn, the partial text kept). One move at a time per loop; loops run independently,
 * each stream with its own abort.
 */
import {
  isAiMove,
  type AiMove,
  type ContextUsage,
  type DecisionInput,
  type MoveRequest,
  type PassageRef,
  type Turn,
  type TurnStats,
} from '../../../shared/domain';
import { KeelError, toErrorInfo } from '../../../shared/errors';
import type { NoteProblem } from '../Diagnostics';
import type { EventHub } from '../EventHub';
import { newId, now } from '../ids';
import type { ModelService } from '../model/ModelService';
import { versionsOf } from '../../../shared/loopLogic';
import type { JournalEntry } from './journal';
import type { LoopDocument } from '../store/documents';
import type { SourceService } from '../sources/SourceService';
import { describeDecision } from './DecisionService';
import type { LoopService } from './LoopService';
import { locationWords } from '../../../shared/passages';
import { buildPrompt, type Prompt } from './prompt';
import { aiTurn } from './SteeringService';

export interface MoveTimeouts {
  firstTokenTimeoutMs: number;
  stallTimeoutMs: number;
  /** How often the partial text of a long answer is saved while it streams. */
  checkpointMs: number;
}

/** What moves need from memory: recall before, a note of use after. */
export interface MoveMemory {
  recallFor(
    loopId: string,
    spaceId: string,
    query: string,
    budgetTokens: number,
    useEmbeddings: boolean,
  ): Promise<{ item: { id: string; kind: string; text: string }; pinned: boolean }[]>;
  queryFor(loopId: string, beforeIndex?: number, steer?: string): Promise<string>;
  noteUse(loopId: string, turnId: string, ids: readonly string[]): Promise<void>;
}

/** What moves need from the person's sources: passages before, a note of use after. */
export type MoveSources = Pick<SourceService, 'passagesFor' | 'noteUse'>;

/** The journal entries of a space in a period, for the patterns move. */
export type JournalReader = (
  spaceId: string,
  period: { from: string; to: string },
) => Promise<JournalEntry[]>;

/** The AI's moves in a loop: asked, asked again, stopped, and how full the context would be. */
export interface Moves {
  request(move: MoveRequest): Promise<Turn>;
  regenerate(which: { loopId: string; turnId: string; steer?: string }): Promise<Turn>;
  stop(which: { loopId: string; turnId: string }): Promise<Turn>;
  contextUsage(loopId: string): Promise<ContextUsage>;
}

interface ActiveMove {
  turnId: string;
  controller: AbortController;
  done: Promise<Turn>;
}

export class MoveRunner implements Moves {
  private readonly active = new Map<string, ActiveMove>();

  constructor(
    private readonly loops: LoopService,
    private readonly models: ModelService,
    private readonly events: EventHub,
    private readonly modelChoice: (spaceId: string) => Promise<{ chatModel: string; keepAlive: string }>,
    private readonly timeouts: MoveTimeouts,
    private readonly context: {
      memory?: MoveMemory;
      journal?: JournalReader;
      sources?: MoveSources;
      /** Where a failure to note what a turn used is reported (the turn itself is kept). */
      noteProblem?: NoteProblem;
    } = {},
  ) {}

  async request({ loopId, move, steer, decision, period }: MoveRequest): Promise<Turn> {
    if (decision && move !== 'challenge') {
      throw new KeelError('invalid-input', 'Only a challenge can question a decision before you record it.', {
        field: 'decision',
      });
    }
    if (period && period.from > period.to) {
      throw new KeelError('invalid-input', 'The period ends before it starts.', { field: 'period' });
    }
    return this.begin(loopId, (document) => ({
      turn: {
        move,
        ...(steer ? { steer } : {}),
        ...(decision ? { challengedDecision: describeDecision(withDefaults(decision)) } : {}),
        ...(move === 'patterns' ? { period: period ?? lastDays(30) } : {}),
      },
      earlier: [...document.turns],
    }));
  }

  /** Asks for the same move again; the new version sits beside the earlier ones and becomes the one shown. */
  async regenerate({
    loopId,
    turnId,
    steer,
  }: {
    loopId: string;
    turnId: string;
    steer?: string;
  }): Promise<Turn> {
    return this.begin(loopId, (document) => {
      const original = aiTurn(document, turnId);
      if (original.status === 'streaming') {
        throw new KeelError('busy', 'The AI is still writing this turn. Stop it or wait, then ask again.');
      }
      const group = versionsOf(document.turns, turnId);
      const root = group[0]!;
      const newSteer = steer ?? original.steer;
      return {
        turn: {
          move: original.move,
          versionOf: root.id,
          ...(newSteer ? { steer: newSteer } : {}),
          ...(original.challengedDecision ? { challengedDecision: original.challengedDecision } : {}),
          ...(original.period ? { period: original.period } : {}),
        },
        earlier: document.turns.slice(0, document.turns.indexOf(root)),
      };
    });
  }

  /**
   * Creates the AI turn a move will stream into, saves it, and starts the stream. `plan` reads the
   * loop and says what the turn is and which turns the model sees (`insertTurn` says where it goes).
   */
  private async begin(
    loopId: string,
    plan: (document: LoopDocument) => {
      turn: Pick<Turn, 'move'> & Partial<Pick<Turn, 'steer' | 'versionOf' | 'challengedDecision' | 'period'>>;
      earlier: Turn[];
    },
  ): Promise<Turn> {
    const busy = () =>
      new KeelError('busy', 'The AI is still writing in this loop. Stop it or wait for it to finish first.');
    if (this.active.has(loopId)) throw busy();
    const { summary, document } = await this.loops.open(loopId);
    if (this.active.has(loopId)) throw busy();
    const { turn: shape, earlier } = plan(document.data);
    const model = (await this.modelChoice(summary.spaceId)).chatModel;
    const at = now();
    const turn: Turn = {
      id: newId('tn'),
      loopId,
      author: 'ai',
      ...shape,
      text: '',
      status: 'streaming',
      model,
      ...(shape.move === 'refine' ? { refineBase: document.data.draft } : {}),
      createdAt: at,
      updatedAt: at,
    };
    const controller = new AbortController();
    const slot: ActiveMove = { turnId: turn.id, controller, done: Promise.resolve(turn) };
    this.active.set(loopId, slot);
    // The model request is prepared and sent while the new turn's first save is on its way (the
    // disk's flush would otherwise come before the first token); nothing of the answer is told or
    // saved until the turn itself is on disk and announced.
    let announce!: (started: boolean) => void;
    const announced = new Promise<boolean>((resolve) => (announce = resolve));
    const saved = this.loops.appendTurn(loopId, turn);
    slot.done = this.stream(turn, earlier, controller.signal, announced).finally(() =>
      this.release(loopId, turn.id),
    );
    try {
      await saved;
    } catch (error) {
      controller.abort();
      announce(false);
      this.active.delete(loopId);
      throw error;
    }
    this.events.emit({ type: 'turn.started', loopId, turn: { ...turn } });
    announce(true);
    return { ...turn };
  }

  async stop({ loopId, turnId }: { loopId: string; turnId: string }): Promise<Turn> {
    const slot = this.active.get(loopId);
    if (slot && slot.turnId === turnId) {
      slot.controller.abort();
      return { ...(await slot.done) };
    }
    const { document } = await this.loops.open(loopId);
    const turn = document.data.turns.find((candidate) => candidate.id === turnId);
    if (!turn) throw new KeelError('not-found', 'That turn no longer exists.', { field: 'turnId' });
    return { ...turn };
  }

  /** Stops every stream (on close) and waits for their turns to be saved. */
  async stopAll(): Promise<void> {
    const slots = [...this.active.values()];
    for (const slot of slots) slot.controller.abort();
    await Promise.allSettled(slots.map((slot) => slot.done));
  }

  private async stream(
    turn: Turn,
    earlier: Turn[],
    signal: AbortSignal,
    announced: Promise<boolean>,
  ): Promise<Turn> {
    const { summary, document } = await this.loops.open(turn.loopId);
    let lastCheckpoint = Date.now();
    const choice = await this.modelChoice(summary.spaceId);
    const model = turn.model ?? choice.chatModel;
    try {
      const details = await this.models.assertCan(model, 'chat');
      if (!isAiMove(turn.move)) throw new Error(`Not a move the AI makes: ${turn.move}`);
      const prompt = await this.prompt(turn.loopId, turn.move, turn.steer, {
        earlier,
        decisionToChallenge: turn.challengedDecision,
        draft: turn.refineBase,
        period: turn.period,
        useEmbeddings: true,
      });
      if (prompt.memoriesUsed.length > 0) turn.memoriesUsed = prompt.memoriesUsed;
      if (prompt.passages) turn.passages = prompt.passages;
      const chat = this.models.chat({
        model,
        messages: prompt.messages,
        numCtx: prompt.numCtx,
        signal,
        keepAlive: choice.keepAlive,
        ...(details.capabilities.includes('thinking') ? { think: true } : {}),
        ...this.timeouts,
      });
      // The request goes out now and its answer is read as it comes; it is told and saved once the
      // turn is known to be on disk.
      const answer = readAhead(chat);
      if (!(await announced)) {
        await answer.return(undefined as never).catch(() => undefined);
        return turn;
      }
      for (;;) {
        const next = await answer.next();
        if (next.done) {
          const truncated = detectTruncation(next.value, prompt);
          turn.stats = {
            ...next.value,
            ...(prompt.omittedTurns > 0 ? { omittedTurns: prompt.omittedTurns } : {}),
            ...(truncated ? { truncated } : {}),
          };
          break;
        }
        turn.text += next.value.content;
        if (next.value.thinking) turn.thinking = (turn.thinking ?? '') + next.value.thinking;
        this.events.emit({
          type: 'turn.delta',
          loopId: turn.loopId,
          turnId: turn.id,
          text: next.value.content,
          ...(next.value.thinking ? { thinking: next.value.thinking } : {}),
        });
        if (Date.now() - lastCheckpoint > this.timeouts.checkpointMs) {
          lastCheckpoint = Date.now();
          turn.updatedAt = now();
          document.save().catch(() => undefined);
        }
      }
      turn.status = 'complete';
    } catch (error) {
      if (signal.aborted) {
        turn.status = 'stopped';
      } else {
        turn.status = 'failed';
        const info = toErrorInfo(error);
        turn.error = { code: info.code, message: info.message };
      }
    }
    // A turn whose first save failed was never announced: there is nothing to finish.
    if (!(await announced)) return turn;
    turn.updatedAt = now();
    try {
      await document.save();
      this.loops.refreshSummary(summary, document.data);
    } catch (error) {
      // The answer stays on screen; the person sees why it could not be kept.
      turn.status = 'failed';
      turn.error = { code: 'storage-failed', message: toErrorInfo(error).message };
    }
    const { memory, sources, noteProblem = () => undefined } = this.context;
    if (turn.memoriesUsed && memory) {
      const ids = turn.memoriesUsed.map((used) => used.id);
      await memory
        .noteUse(turn.loopId, turn.id, ids)
        .catch((error: unknown) => noteProblem('noting which memories a turn used', error));
    }
    if (turn.passages && turn.passages.length > 0 && sources) {
      const ids = turn.passages.map((ref) => ref.sourceId);
      await sources
        .noteUse(turn.loopId, summary.spaceId, ids)
        .catch((error: unknown) => noteProblem('noting which sources a turn used', error));
    }
    // Free the loop before saying so: the person may ask for the next move the moment this arrives.
    this.release(turn.loopId, turn.id);
    this.events.emit({ type: 'turn.finished', loopId: turn.loopId, turn: { ...turn } });
    return turn;
  }

  /** How full the model's context would be for the loop's next move (the context meter). */
  async contextUsage(loopId: string): Promise<ContextUsage> {
    const prompt = await this.prompt(loopId, 'explore', undefined);
    return {
      model: prompt.model,
      numCtx: prompt.numCtx,
      estimatedTokens: prompt.estimatedTokens,
      reserveForAnswer: prompt.reserveForAnswer,
      omittedTurns: prompt.omittedTurns,
    };
  }

  /** The prompt a move would send now, fitted to the model's context. */
  async prompt(
    loopId: string,
    move: AiMove,
    steer: string | undefined,
    context: {
      earlier?: readonly Turn[];
      decisionToChallenge?: string | undefined;
      draft?: string | undefined;
      period?: { from: string; to: string } | undefined;
      /** Embed the query for recall (a real move); the context meter's estimate does without. */
      useEmbeddings?: boolean;
    } = {},
  ): Promise<
    Prompt & {
      numCtx: number;
      reserveForAnswer: number;
      model: string;
      memoriesUsed: { id: string; pinned: boolean }[];
      /** The passages given (an empty list when none was), or undefined when moves have no sources. */
      passages: PassageRef[] | undefined;
    }
  > {
    const { summary, document } = await this.loops.open(loopId);
    const model = (await this.modelChoice(summary.spaceId)).chatModel;
    const numCtx = await this.models.numCtxFor(model);
    const reserveForAnswer = Math.min(2048, Math.floor(numCtx / 4));
    const earlier = context.earlier ?? document.data.turns;
    const { memory, sources } = this.context;
    const query = memory ? await memory.queryFor(loopId, earlier.length, steer) : (steer ?? '');
    const useEmbeddings = context.useEmbeddings ?? false;
    // Memories and passages are looked up together: each may wait on the embedding model.
    const [recalled, passages] = await Promise.all([
      memory
        ? memory.recallFor(
            loopId,
            summary.spaceId,
            query,
            Math.min(1500, Math.floor(numCtx * 0.15)),
            useEmbeddings,
          )
        : [],
      sources
        ? sources.passagesFor(
            loopId,
            summary.spaceId,
            query,
            Math.min(3000, Math.floor(numCtx * 0.25)),
            useEmbeddings,
          )
        : undefined,
    ]);
    const journal =
      move === 'patterns' && this.context.journal
        ? await this.context.journal(summary.spaceId, context.period ?? lastDays(30))
        : undefined;
    const prompt = buildPrompt({
      move,
      steer,
      intent: document.data.intent,
      draft: context.draft ?? document.data.draft,
      turns: earlier,
      decisionToChallenge: context.decisionToChallenge,
      memories: recalled.map(({ item }) => item),
      ...(passages
        ? {
            passages: passages.map(({ ref, name, text }) => ({
              label: ref.label,
              name,
              location: locationWords(ref),
              text,
            })),
          }
        : {}),
      ...(journal ? { journal } : {}),
      numCtx,
      reserveForAnswer,
    });
    const memoriesUsed = recalled.map(({ item, pinned }) => ({ id: item.id, pinned }));
    return {
      ...prompt,
      numCtx,
      reserveForAnswer,
      model,
      memoriesUsed,
      passages: passages?.map(({ ref }) => ref),
    };
  }

  private release(loopId: string, turnId: string): void {
    if (this.active.get(loopId)?.turnId === turnId) this.active.delete(loopId);
  }
}

/**
 * Ollama cuts silently: it drops the front of a prompt that does not fit num_ctx and still answers.
 * Its own count then fills the whole window (or falls short of a prompt we know was larger); an
 * answer that stopped at the length limit says so in `done_reason`.
 */
export function detectTruncation(
  stats: TurnStats,
  prompt: { estimatedTokens: number; numCtx: number },
): TurnStats['truncated'] {
  if (stats.doneReason === 'length') return 'answer';
  const counted = stats.promptTokens;
  if (counted === undefined) return undefined;
  if (counted >= prompt.numCtx - 8) return 'prompt';
  if (prompt.estimatedTokens > prompt.numCtx && counted < prompt.estimatedTokens) return 'prompt';
  return undefined;
}

function withDefaults(decision: Partial<DecisionInput>): DecisionInput {
  return {
    choice: decision.choice ?? '',
    rationale: decision.rationale ?? '',
    optionsSetAside: decision.optionsSetAside ?? '',
    confidence: decision.confidence ?? 50,
    prediction: decision.prediction ?? '',
    reviewDate: decision.reviewDate ?? '',
    forecasts: decision.forecasts ?? [],
  };
}

/** The last `days` days up to today, as `YYYY-MM-DD` dates. */
function lastDays(days: number): { from: string; to: string } {
  const to = new Date();
  const from = new Date(to.getTime() - (days - 1) * 86_400_000);
  return { from: from.toISOString().slice(0, 10), to: to.toISOString().slice(0, 10) };
}

/**
 * Reads a stream eagerly from now on and keeps what it yields until it is asked for, so that what
 * arrived before a failure is never lost (a failing HTTP body drops what it had queued).
 */
export function readAhead<T, R>(source: AsyncGenerator<T, R>): AsyncGenerator<T, R> {
  const queue: T[] = [];
  let end: { value: R } | { error: unknown } | undefined;
  let wake: (() => void) | undefined;
  void (async () => {
    try {
      for (;;) {
        const next = await source.next();
        if (next.done) {
          end = { value: next.value };
          break;
        }
        queue.push(next.value);
        wake?.();
      }
    } catch (error) {
      end = { error };
    }
    wake?.();
  })();
  return (async function* () {
    for (;;) {
      while (queue.length > 0) yield queue.shift()!;
      if (end) {
        if ('error' in end) throw end.error;
        return end.value;
      }
      await new Promise<void>((resolve) => (wake = resolve));
      wake = undefined;
    }
  })();
}
