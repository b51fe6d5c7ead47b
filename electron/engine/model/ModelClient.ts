/**
 * Keel's model client: the official `ollama` client, one instance per request so that stopping one
 * stream never stops another (`client.abort()` aborts every stream of a client), every request
 * through the outbound fetch, and silence watched so that a stuck stream fails instead of hanging.
 */
import { Ollama, type ChatResponse } from 'ollama';
import type { InstalledModel, TurnStats } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import { toModelError } from './modelErrors';
import type { OllamaHost } from './ollamaHost';
import type {
  ChatPart,
  ChatStreamRequest,
  ModelDetails,
  ModelRuntime,
  StructuredRequest,
} from './ModelRuntime';
import { createOutboundFetch, type OutboundLog } from './outboundFetch';

export type { ChatPart, ChatStreamRequest, ModelDetails };

export class ModelClient implements ModelRuntime {
  readonly kind = 'ollama';
  private readonly fetch: typeof fetch;

  constructor(
    readonly host: OllamaHost,
    log: OutboundLog,
  ) {
    this.fetch = createOutboundFetch(host.origin, log);
  }

  async version(timeoutMs = 3000): Promise<string> {
    const response = await this.fetch(`${this.host.origin}/api/version`, {
      signal: AbortSignal.timeout(timeoutMs),
    });
    const body: unknown = await response.json();
    if (!response.ok || typeof body !== 'object' || body === null || !('version' in body)) {
      throw new KeelError(
        'ollama-unreachable',
        `${this.host.origin} answered, but it does not look like Ollama.`,
      );
    }
    return String(body.version);
  }

  async list(): Promise<InstalledModel[]> {
    const { models } = await this.client().list();
    return models.map((model) => ({
      name: model.name,
      size: model.size,
      family: model.details?.family ?? '',
      parameterSize: model.details?.parameter_size ?? '',
      quantization: model.details?.quantization_level ?? '',
    }));
  }

  async show(model: string): Promise<ModelDetails> {
    try {
      const shown = await this.client().show({ model });
      const info = (shown.model_info ?? {}) as unknown as Record<string, unknown>;
      const key = Object.keys(info).find((name) => name.endsWith('.context_length'));
      const contextLength = key !== undefined && typeof info[key] === 'number' ? info[key] : undefined;
      return { contextLength, capabilities: shown.capabilities ?? [] };
    } catch (error) {
      throw toModelError(error, this.host, model);
    }
  }

  /** Loads a model into memory (a chat request with no messages) and keeps it for `keepAlive`. */
  async load(model: string, keepAlive: string, numCtx: number): Promise<void> {
    await this.client().chat({
      model,
      messages: [],
      keep_alive: keepAliveValue(keepAlive),
      options: { num_ctx: numCtx },
    });
  }

  /** Unloads a model at once (a request with `keep_alive` 0). */
  async unload(model: string): Promise<void> {
    await this.client().chat({ model, messages: [], keep_alive: 0 });
  }

  /** Embeds texts with an embedding model (Ollama's /api/embed); one vector per input. */
  async embed(model: string, input: string[], signal?: AbortSignal): Promise<number[][]> {
    const { embeddings } = await this.client(signal).embed({ model, input, truncate: true });
    return embeddings;
  }

  /**
   * One answer shaped by a JSON schema (Ollama's structured output, `format`), not streamed. The
   * JSON is returned parsed; checking it against the schema is the caller's job.
   */
  async structured(request: StructuredRequest): Promise<unknown> {
    const response = await this.client(request.signal).chat({
      model: request.model,
      messages: request.messages,
      stream: false,
      format: request.format,
      options: { num_ctx: request.numCtx, temperature: 0 },
      ...(request.keepAlive === undefined ? {} : { keep_alive: keepAliveValue(request.keepAlive) }),
    });
    try {
      return JSON.parse(response.message.content) as unknown;
    } catch {
      throw new KeelError('ollama-error', 'The model did not answer in the shape Keel asked for. Try again.');
    }
  }

  /** Streams one chat answer; returns Ollama's figures when the answer is complete. */
  async *chat(request: ChatStreamRequest): AsyncGenerator<ChatPart, TurnStats> {
    const watch = new SilenceWatch(request.signal);
    watch.arm(request.firstTokenTimeoutMs);
    const client = this.client(watch.signal);
    let stats: TurnStats = { numCtx: request.numCtx };
    try {
      const stream = await client.chat({
        model: request.model,
        messages: request.messages,
        stream: true,
        options: { num_ctx: request.numCtx },
        ...(request.think === undefined ? {} : { think: request.think }),
        ...(request.keepAlive === undefined ? {} : { keep_alive: keepAliveValue(request.keepAlive) }),
      });
      for await (const part of stream) {
        watch.arm(request.stallTimeoutMs);
        if (part.done) stats = statsOf(part, request.numCtx);
        const content = part.message?.content ?? '';
        const thinking = part.message?.thinking ?? '';
        if (content !== '' || thinking !== '') yield { content, thinking };
      }
      return stats;
    } catch (error) {
      if (watch.stalled) {
        throw new KeelError(
          'stream-stalled',
          `The model stopped sending for ${Math.round(watch.lastTimeoutMs / 1000)} seconds, so Keel ended the request. What arrived is kept; retry to ask again.`,
        );
      }
      throw toModelError(error, this.host, request.model);
    } finally {
      watch.dispose();
    }
  }

  /** The outbound fetch, also aborted by `signal`: one abort per request, whatever the client does. */
  fetchWith(signal?: AbortSignal): typeof fetch {
    const outbound = this.fetch;
    return (input, init) =>
      outbound(input, {
        ...init,
        signal:
          signal && init?.signal ? AbortSignal.any([signal, init.signal]) : (signal ?? init?.signal ?? null),
      });
  }

  private client(signal?: AbortSignal): Ollama {
    return new Ollama({ host: this.host.origin, fetch: this.fetchWith(signal) });
  }
}

/** Ollama reads a bare number as seconds (`0` unloads at once, `-1` keeps the model loaded) and a string as a Go duration. */
export function keepAliveValue(keepAlive: string): string | number {
  return /^-?\d+$/.test(keepAlive) ? Number(keepAlive) : keepAlive;
}

/** Aborts when the caller aborts, or when nothing arrived within the armed time. */
class SilenceWatch {
  private readonly controller = new AbortController();
  private timer: NodeJS.Timeout | undefined;
  stalled = false;
  lastTimeoutMs = 0;

  constructor(private readonly outer: AbortSignal) {
    outer.addEventListener('abort', this.onAbort);
    if (outer.aborted) this.controller.abort();
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  arm(timeoutMs: number): void {
    clearTimeout(this.timer);
    this.lastTimeoutMs = timeoutMs;
    this.timer = setTimeout(() => {
      this.stalled = true;
      this.controller.abort();
    }, timeoutMs);
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.outer.removeEventListener('abort', this.onAbort);
  }

  private readonly onAbort = (): void => this.controller.abort();
}

function statsOf(part: ChatResponse, numCtx: number): TurnStats {
  const ms = (ns: number | undefined) => (typeof ns === 'number' ? Math.round(ns / 1e6) : undefined);
  return {
    numCtx,
    promptTokens: part.prompt_eval_count,
    outputTokens: part.eval_count,
    totalMs: ms(part.total_duration),
    loadMs: ms(part.load_duration),
    doneReason: part.done_reason,
  };
}
