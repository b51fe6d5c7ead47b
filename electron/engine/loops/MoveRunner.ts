/**
 * Runs the AI's moves: creates the AI turn, streams the model's answer into it token by token as
 * events, and ends it as complete, stopped (the partial text kept) or failed (the error's code and
 * message on the turn, the partial text kept). One move at a time per loop; loops run independently,
 * each stream with its own abort.
 */
import type { CallArgs } from '../../../shared/contract';
import type { AiMove, Turn, TurnStats } from '../../../shared/domain';
import { KeelError, toErrorInfo } from '../../../shared/errors';
import type { EventHub } from '../EventHub';
import { newId, now } from '../ids';
import type { ModelService } from '../model/ModelService';
import type { LoopService } from './LoopService';
import { buildPrompt, type Prompt } from './prompt';

export interface MoveTimeouts {
  firstTokenTimeoutMs: number;
  stallTimeoutMs: number;
  /** How often the partial text of a long answer is saved while it streams. */
  checkpointMs: number;
}

interface ActiveMove {
  turnId: string;
  controller: AbortController;
  done: Promise<Turn>;
}

export class MoveRunner {
  private readonly active = new Map<string, ActiveMove>();

  constructor(
    private readonly loops: LoopService,
    private readonly models: ModelService,
    private readonly events: EventHub,
    private readonly modelChoice: (spaceId: string) => { chatModel: string; keepAlive: string },
    private readonly timeouts: MoveTimeouts,
  ) {}

  async request({ loopId, move, steer }: CallArgs<'requestMove'>): Promise<Turn> {
    if (this.active.has(loopId)) {
      throw new KeelError(
        'busy',
        'The AI is still writing in this loop. Stop it or wait for it to finish first.',
      );
    }
    const { summary, document } = await this.loops.open(loopId);
    if (this.active.has(loopId)) {
      throw new KeelError(
        'busy',
        'The AI is still writing in this loop. Stop it or wait for it to finish first.',
      );
    }
    const model = this.modelChoice(summary.spaceId).chatModel;
    const at = now();
    const turn: Turn = {
      id: newId('tn'),
      loopId,
      author: 'ai',
      move,
      text: '',
      status: 'streaming',
      model,
      createdAt: at,
      updatedAt: at,
      ...(steer ? { steer } : {}),
    };
    const earlier = [...document.data.turns];
    const controller = new AbortController();
    const slot: ActiveMove = { turnId: turn.id, controller, done: Promise.resolve(turn) };
    this.active.set(loopId, slot);
    try {
      await this.loops.appendTurn(loopId, turn);
    } catch (error) {
      this.active.delete(loopId);
      throw error;
    }
    this.events.emit({ type: 'turn.started', loopId, turn: { ...turn } });
    slot.done = this.stream(turn, move, earlier, controller.signal).finally(() =>
      this.release(loopId, turn.id),
    );
    return { ...turn };
  }

  async stop({ loopId, turnId }: CallArgs<'stopMove'>): Promise<Turn> {
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

  private async stream(turn: Turn, move: AiMove, earlier: Turn[], signal: AbortSignal): Promise<Turn> {
    const { summary, document } = await this.loops.open(turn.loopId);
    let lastCheckpoint = Date.now();
    const model = turn.model ?? this.modelChoice(summary.spaceId).chatModel;
    try {
      const details = await this.models.assertCan(model, 'chat');
      const prompt = await this.prompt(turn.loopId, move, turn.steer, earlier);
      const chat = this.models.client().chat({
        model,
        messages: prompt.messages,
        numCtx: prompt.numCtx,
        signal,
        keepAlive: this.modelChoice(summary.spaceId).keepAlive,
        ...(details.capabilities.includes('thinking') ? { think: true } : {}),
        ...this.timeouts,
      });
      for (;;) {
        const next = await chat.next();
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
    turn.updatedAt = now();
    try {
      await document.save();
      this.loops.refreshSummary(summary, document.data);
    } catch (error) {
      // The answer stays on screen; the person sees why it could not be kept.
      turn.status = 'failed';
      turn.error = { code: 'storage-failed', message: toErrorInfo(error).message };
    }
    // Free the loop before saying so: the person may ask for the next move the moment this arrives.
    this.release(turn.loopId, turn.id);
    this.events.emit({ type: 'turn.finished', loopId: turn.loopId, turn: { ...turn } });
    return turn;
  }

  /** The prompt a move would send now, fitted to the model's context. */
  async prompt(
    loopId: string,
    move: AiMove,
    steer: string | undefined,
    earlier?: readonly Turn[],
  ): Promise<Prompt & { numCtx: number; reserveForAnswer: number; model: string }> {
    const { summary, document } = await this.loops.open(loopId);
    const model = this.modelChoice(summary.spaceId).chatModel;
    const numCtx = await this.models.numCtxFor(model);
    const reserveForAnswer = Math.min(2048, Math.floor(numCtx / 4));
    const prompt = buildPrompt({
      move,
      steer,
      intent: document.data.intent,
      draft: document.data.draft,
      turns: earlier ?? document.data.turns,
      numCtx,
      reserveForAnswer,
    });
    return { ...prompt, numCtx, reserveForAnswer, model };
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
