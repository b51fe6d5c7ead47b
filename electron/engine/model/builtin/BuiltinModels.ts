/**
 * Keel's built-in runtime behind the model interface: the installed models are the GGUF files in the
 * models folder of the data folder (`<dataDir>/models/`) and the files the person pointed Keel at;
 * each model runs in a process of its own (`BuiltinRuntime`), started on its first request and kept
 * until it is unloaded or the engine closes.
 */
import { readdir, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { InstalledModel, TurnStats } from '../../../../shared/domain';
import { KeelError } from '../../../../shared/errors';
import type {
  ChatMessage,
  ChatPart,
  ChatStreamRequest,
  ModelDetails,
  ModelRuntime,
  StructuredRequest,
} from '../ModelRuntime';
import { BuiltinRuntime } from './BuiltinRuntime';
import { readGgufInfo, type GgufInfo } from './ggufInfo';
import type { RuntimeGpuChoice } from './gpu';
import type { RuntimeLauncher } from './launcher';

export interface BuiltinModelsOptions {
  /** The models folder (`<dataDir>/models`); created by whoever downloads into it. */
  folder: string;
  /** GGUF files elsewhere on disk the person pointed Keel at (absolute paths). */
  modelFiles: () => readonly string[];
  /** Starts each model's process; default: a Node child process. */
  launcher?: RuntimeLauncher;
  /** llama.cpp threads per model (default 1 under test, else half the cores the engine sees). */
  threads?: number;
  loadTimeoutMs?: number;
  /** Whether models run on the graphics processor; default: on the processor. */
  gpu?: RuntimeGpuChoice;
}

const roles = new Set(['system', 'user', 'assistant']);
const defaultKeepAlive = '10m';

/** Ollama's keep_alive in milliseconds: undefined keeps the model for good ("-1", any negative). */
export function keepAliveMs(keepAlive: string): number | undefined {
  const match = /^(-?\d+(?:\.\d+)?)(s|m|h)?$/.exec(keepAlive.trim());
  if (!match) return 10 * 60_000;
  const value = Number(match[1]);
  if (value < 0) return undefined;
  const unit = match[2] === 'h' ? 3_600_000 : match[2] === 'm' ? 60_000 : 1000;
  return Math.round(value * unit);
}

export class BuiltinModels implements ModelRuntime {
  readonly kind = 'builtin';
  private readonly runtimes = new Map<string, BuiltinRuntime>();
  private readonly infos = new Map<string, { mtimeMs: number; info: Promise<GgufInfo> }>();
  private readonly idle = new Map<BuiltinRuntime, NodeJS.Timeout>();
  /** Requests under way per model's process: it is let go only when none is. */
  private readonly busy = new Map<BuiltinRuntime, number>();

  constructor(private readonly options: BuiltinModelsOptions) {}

  /** Always available: the runtime ships with Keel. */
  version(): Promise<string> {
    return Promise.resolve('built-in (llama.cpp)');
  }

  /** The installed models by name (the file's name), the models folder first. */
  async files(): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    const names = await readdir(this.options.folder).catch(() => [] as string[]);
    for (const name of names.sort()) {
      const path = join(this.options.folder, name);
      if (name.toLowerCase().endsWith('.gguf') && (await stat(path).catch(() => undefined))?.isFile()) {
        found.set(name, path);
      }
    }
    for (const path of this.options.modelFiles()) {
      const name = basename(path);
      if (!found.has(name) && (await stat(path).catch(() => undefined))?.isFile()) found.set(name, path);
    }
    return found;
  }

  /**
   * Checks a GGUF file the person points Keel at (it must be a model llama.cpp can read) and gives
   * the name it is listed under; remembering the path is the caller's (settings).
   */
  async useModelFile(path: string): Promise<{ name: string; details: ModelDetails }> {
    const details = await this.detailsAt(path).catch((error: unknown) => {
      throw new KeelError(
        'invalid-input',
        `Keel cannot use ${basename(path)} as a model: ${error instanceof Error ? error.message : String(error)}`,
      );
    });
    return { name: basename(path), details };
  }

  async list(): Promise<InstalledModel[]> {
    const models: InstalledModel[] = [];
    for (const [name, path] of await this.files()) {
      const size = (await stat(path).catch(() => undefined))?.size ?? 0;
      const family = await this.info(path)
        .then((info) => info.architecture)
        .catch(() => '');
      models.push({ name, size, family, parameterSize: '', quantization: '' });
    }
    return models;
  }

  async show(model: string): Promise<ModelDetails> {
    return this.detailsAt(await this.pathOf(model));
  }

  async load(model: string, keepAlive: string, numCtx: number): Promise<void> {
    const runtime = await this.runtime(model, numCtx);
    try {
      await runtime.start();
    } finally {
      this.keep(runtime, keepAlive);
    }
  }

  async unload(model: string): Promise<void> {
    const path = await this.pathOf(model);
    const runtime = this.runtimes.get(path);
    this.runtimes.delete(path);
    await runtime?.close();
  }

  async embed(model: string, input: string[]): Promise<number[][]> {
    const runtime = await this.runtime(model);
    try {
      return await runtime.embed(input);
    } finally {
      this.keep(runtime, defaultKeepAlive);
    }
  }

  async structured(request: StructuredRequest): Promise<unknown> {
    const runtime = await this.runtime(request.model, request.numCtx);
    const answer = await runtime
      .chat(messagesOf(request.messages), {
        format: request.format,
        temperature: 0,
        maxTokens: request.numCtx,
        ...(request.signal ? { signal: request.signal } : {}),
      })
      .finally(() => this.keep(runtime, request.keepAlive ?? defaultKeepAlive));
    try {
      return JSON.parse(answer.text) as unknown;
    } catch {
      throw new KeelError('ollama-error', 'The model did not answer in the shape Keel asked for. Try again.');
    }
  }

  async *chat(request: ChatStreamRequest): AsyncGenerator<ChatPart, TurnStats> {
    const started = Date.now();
    const runtime = await this.runtime(request.model, request.numCtx);
    // The process pushes pieces as they come; the generator hands them on as the caller reads.
    const parts: ChatPart[] = [];
    let wake: (() => void) | undefined;
    let finished = false;
    // A runtime that goes silent (loading for ever, a stuck llama.cpp) is stopped, not waited on.
    let stalledAfterMs = 0;
    let timer: NodeJS.Timeout | undefined;
    const arm = (timeoutMs: number) => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        stalledAfterMs = timeoutMs;
        void runtime.close();
      }, timeoutMs);
    };
    arm(request.firstTokenTimeoutMs);
    const answer = runtime
      .chat(messagesOf(request.messages), {
        maxTokens: request.numCtx,
        signal: request.signal,
        onDelta: (text, thought) => {
          arm(request.stallTimeoutMs);
          parts.push(thought ? { content: '', thinking: text } : { content: text, thinking: '' });
          wake?.();
        },
      })
      .finally(() => {
        clearTimeout(timer);
        finished = true;
        this.keep(runtime, request.keepAlive ?? defaultKeepAlive);
        wake?.();
      });
    answer.catch(() => undefined);
    try {
      for (;;) {
        while (parts.length > 0) yield parts.shift()!;
        if (finished) break;
        await new Promise<void>((resolve) => (wake = resolve));
        wake = undefined;
      }
    } finally {
      clearTimeout(timer);
    }
    const done = await answer.catch((error: unknown) => {
      if (stalledAfterMs > 0) {
        throw new KeelError(
          'stream-stalled',
          `The built-in model sent nothing for ${Math.round(stalledAfterMs / 1000)} seconds, so Keel stopped it. What arrived is kept; retry to ask again.`,
        );
      }
      throw error;
    });
    if (done.stopReason === 'abort') {
      const error = new Error('The answer was stopped.');
      error.name = 'AbortError';
      throw error;
    }
    return {
      numCtx: request.numCtx,
      ...(done.tokens === undefined ? {} : { outputTokens: done.tokens }),
      totalMs: Date.now() - started,
      doneReason: done.stopReason,
    };
  }

  /**
   * Keeps a model's process for `keepAlive` after its last request (the "Keep model loaded" setting,
   * in Ollama's words: "10m", "1h", "0" at once, "-1" always), then lets it go to free the memory.
   */
  private keep(runtime: BuiltinRuntime, keepAlive: string): void {
    const busy = (this.busy.get(runtime) ?? 1) - 1;
    if (busy > 0) {
      this.busy.set(runtime, busy);
      return;
    }
    this.busy.delete(runtime);
    const ms = keepAliveMs(keepAlive);
    if (ms === undefined) return;
    const drop = () => {
      this.idle.delete(runtime);
      if (this.runtimes.get(runtime.modelPath) === runtime) this.runtimes.delete(runtime.modelPath);
      void runtime.close();
    };
    if (ms === 0) drop();
    else this.idle.set(runtime, setTimeout(drop, ms).unref());
  }

  /** Stops every model's process. */
  async close(): Promise<void> {
    for (const timer of this.idle.values()) clearTimeout(timer);
    this.idle.clear();
    const running = [...this.runtimes.values()];
    this.runtimes.clear();
    await Promise.all(running.map((runtime) => runtime.close()));
  }

  private async runtime(model: string, numCtx = 2048): Promise<BuiltinRuntime> {
    const path = await this.pathOf(model);
    let runtime = this.runtimes.get(path);
    if (!runtime) {
      runtime = new BuiltinRuntime({
        modelPath: path,
        contextSize: numCtx,
        threads: this.options.threads ?? 1,
        ...(this.options.loadTimeoutMs === undefined ? {} : { loadTimeoutMs: this.options.loadTimeoutMs }),
        ...(this.options.launcher ? { launcher: this.options.launcher } : {}),
        ...(this.options.gpu ? gpuOptions(this.options.gpu) : {}),
      });
      this.runtimes.set(path, runtime);
    }
    clearTimeout(this.idle.get(runtime));
    this.idle.delete(runtime);
    this.busy.set(runtime, (this.busy.get(runtime) ?? 0) + 1);
    return runtime;
  }

  private async pathOf(model: string): Promise<string> {
    const path = (await this.files()).get(model);
    if (path === undefined) {
      throw new KeelError(
        'model-missing',
        `The model ${model} is not in Keel's models folder (${this.options.folder}). Download it again or pick another model in Settings.`,
      );
    }
    return path;
  }

  private async detailsAt(path: string): Promise<ModelDetails> {
    const info = await this.info(path);
    return { contextLength: info.contextLength, capabilities: info.capabilities };
  }

  private async info(path: string): Promise<GgufInfo> {
    const stats = await stat(path);
    // A pipe or a device named .gguf would block the reader: only plain files are models.
    if (!stats.isFile()) throw new Error('This is not a model file.');
    const { mtimeMs } = stats;
    const known = this.infos.get(path);
    if (known && known.mtimeMs === mtimeMs) return known.info;
    const info = readGgufInfo(path);
    info.catch(() => this.infos.delete(path));
    this.infos.set(path, { mtimeMs, info });
    return info;
  }
}

function messagesOf(messages: readonly ChatMessage[]): ChatMessage[] {
  return messages.map((message) => {
    if (!roles.has(message.role))
      throw new KeelError('internal', `A message of role ${message.role} cannot go to the built-in model.`);
    return { role: message.role, content: message.content };
  });
}

function gpuOptions(choice: RuntimeGpuChoice) {
  return {
    gpu: () => choice.choose(),
    onGpuFailed: (gpu: Parameters<RuntimeGpuChoice['failedWith']>[0], reason: string) =>
      choice.failedWith(gpu, reason),
  };
}
