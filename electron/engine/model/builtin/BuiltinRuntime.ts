/**
 * The engine's side of the built-in runtime for one model file: starts `runtimeHost.ts` in its own
 * process on the first request (a child process, or Electron's utilityProcess through the launcher
 * the shell passes), passes chat and embedding requests to it, streams the answer back, and turns a
 * crash of the process into a clear error. The next request after a crash starts a fresh process.
 */
import { KeelError } from '../../../../shared/errors';
import { childProcessLauncher, type RuntimeLauncher, type RuntimeProcess } from './launcher';
import type { RuntimeGpu } from './gpu';
import { isHostReply, type ChatMessage, type HostReply, type HostRequest } from './protocol';
import { runtimeHostPath } from './runtimeHostPath';

export interface BuiltinRuntimeOptions {
  modelPath: string;
  threads?: number;
  contextSize?: number;
  /** How long the child may take to start and load the model. */
  loadTimeoutMs?: number;
  /** Starts the runtime's process; default: a Node child process. */
  launcher?: RuntimeLauncher;
  /** The GPU build to run on, asked at each start; default: the processor. */
  gpu?: () => Promise<RuntimeGpu>;
  /** The GPU build failed (the model then runs on the processor, or starts again on it). */
  onGpuFailed?: (gpu: Exclude<RuntimeGpu, false>, reason: string) => void;
}

export interface ChatOptions {
  maxTokens?: number;
  seed?: number;
  temperature?: number;
  format?: object;
  signal?: AbortSignal;
  /** Each piece of the answer as it comes; `thought` marks the model's thinking. */
  onDelta?: (text: string, thought: boolean) => void;
}

export interface ChatAnswer {
  text: string;
  stopReason: 'stop' | 'length' | 'abort';
  tokens?: number;
}

interface Pending {
  resolve: (reply: HostReply) => void;
  reject: (error: Error) => void;
  onDelta?: (text: string, thought: boolean) => void;
}
const STDERR_TAIL = 2000;
const HEAP_MB = 256;

export class BuiltinRuntime {
  private readonly options: Required<Omit<BuiltinRuntimeOptions, 'launcher' | 'gpu' | 'onGpuFailed'>>;
  private readonly launcher: RuntimeLauncher;
  private readonly gpu: BuiltinRuntimeOptions['gpu'];
  private readonly onGpuFailed: BuiltinRuntimeOptions['onGpuFailed'];
  private child: RuntimeProcess | undefined;
  private exited: Promise<void> | undefined;
  private starting: Promise<RuntimeProcess> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** How many times a child has been started; a test reads it to see a restart. */
  starts = 0;

  constructor(options: BuiltinRuntimeOptions) {
    const { launcher, gpu, onGpuFailed, ...rest } = options;
    this.options = { threads: 1, contextSize: 2048, loadTimeoutMs: 60_000, ...rest };
    this.launcher = launcher ?? childProcessLauncher(runtimeHostPath);
    this.gpu = gpu;
    this.onGpuFailed = onGpuFailed;
  }

  get modelPath(): string {
    return this.options.modelPath;
  }

  /** Whether a process runs with the model loaded. */
  get loaded(): boolean {
    return this.child !== undefined;
  }

  /** The process id of the running child, if one runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  async chat(messages: ChatMessage[], options: ChatOptions = {}): Promise<ChatAnswer> {
    const child = await this.start();
    const id = this.nextId++;
    const request: HostRequest = {
      type: 'chat',
      id,
      messages,
      maxTokens: options.maxTokens ?? 512,
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      ...(options.temperature === undefined ? {} : { temperature: options.temperature }),
      ...(options.format === undefined ? {} : { format: options.format }),
    };
    const abort = () => child.send({ type: 'abort', id });
    options.signal?.addEventListener('abort', abort, { once: true });
    try {
      const reply = await this.ask(child, request, options.onDelta);
      if (reply.type !== 'done')
        throw new KeelError('internal', 'The built-in model gave an unexpected reply.');
      return {
        text: reply.text,
        stopReason: reply.stopReason,
        ...(reply.tokens === undefined ? {} : { tokens: reply.tokens }),
      };
    } finally {
      options.signal?.removeEventListener('abort', abort);
    }
  }

  async embed(texts: string[]): Promise<number[][]> {
    const child = await this.start();
    const reply = await this.ask(child, { type: 'embed', id: this.nextId++, texts });
    if (reply.type !== 'embedded')
      throw new KeelError('internal', 'The built-in model gave an unexpected reply.');
    return reply.vectors;
  }

  /** Stops the child; the next request starts a new one. */
  async close(): Promise<void> {
    const starting = this.starting;
    if (starting) await starting.catch(() => undefined);
    const child = this.child;
    const exited = this.exited;
    this.child = undefined;
    if (child) {
      child.kill();
      await exited;
    }
  }

  private ask(
    child: RuntimeProcess,
    request: HostRequest & { id: number },
    onDelta?: (text: string, thought: boolean) => void,
  ) {
    return new Promise<HostReply>((resolve, reject) => {
      this.pending.set(request.id, { resolve, reject, ...(onDelta ? { onDelta } : {}) });
      child.send(request);
    });
  }

  /** Starts the process and loads the model, unless that is done. */
  start(): Promise<RuntimeProcess> {
    if (this.child) return Promise.resolve(this.child);
    this.starting ??= this.startOnGpu().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  /**
   * Starts on the GPU build chosen, if any. A process that dies while loading on the GPU (a graphics
   * driver's crash) is started once more on the processor, and the GPU is reported as failed.
   */
  private async startOnGpu(): Promise<RuntimeProcess> {
    const gpu = (await this.gpu?.().catch((): RuntimeGpu => false)) ?? false;
    if (gpu === false) return this.spawn(false);
    try {
      return await this.spawn(gpu);
    } catch (error) {
      if (!(error instanceof StoppedWhileLoading)) throw error;
      this.onGpuFailed?.(gpu, `The runtime's process stopped while loading the model on it (${error.how}).`);
      return this.spawn(false);
    }
  }

  private spawn(gpu: RuntimeGpu): Promise<RuntimeProcess> {
    this.starts++;
    let stderr = '';
    let loaded = false;
    let settle: { resolve: (child: RuntimeProcess) => void; reject: (error: Error) => void } | undefined;
    let markExited: () => void = () => undefined;
    const exited = new Promise<void>((resolve) => (markExited = resolve));
    let timer: NodeJS.Timeout | undefined;
    // The weights live outside the JavaScript heap; a small heap cap stops node-llama-cpp's GGUF reader
    // from eating the machine's memory on a hostile file (a "GGUF" header with a bogus version makes it
    // read on and grow, about 35 MB a second).
    const child: RuntimeProcess = this.launcher(
      { heapMb: HEAP_MB },
      {
        stderr: (chunk) => {
          stderr = (stderr + chunk).slice(-STDERR_TAIL);
        },
        message: (raw) => {
          // A confused child is treated like a crashed one.
          if (!isHostReply(raw)) {
            child.kill();
            return;
          }
          if (raw.type === 'loaded') {
            if (gpu !== false && raw.gpuProblem !== undefined) {
              this.onGpuFailed?.(gpu, `Its build did not load: ${raw.gpuProblem}.`);
            }
            loaded = true;
            clearTimeout(timer);
            this.child = child;
            this.exited = exited;
            settle?.resolve(child);
          } else if (raw.type === 'load-failed') {
            clearTimeout(timer);
            child.kill();
            settle?.reject(
              new KeelError('model-unsuitable', `Keel could not load the built-in model: ${raw.message}`),
            );
          } else {
            const waiting = this.pending.get(raw.id);
            if (!waiting) return;
            if (raw.type === 'delta') waiting.onDelta?.(raw.text, raw.thought === true);
            else {
              this.pending.delete(raw.id);
              if (raw.type === 'failed') {
                waiting.reject(
                  new KeelError('internal', `The built-in model could not answer: ${raw.message}`),
                );
              } else waiting.resolve(raw);
            }
          }
        },
        exit: (how) => {
          clearTimeout(timer);
          markExited();
          if (this.child === child) this.child = undefined;
          const why = stderr.trim() ? ` Its last words: ${stderr.trim().split('\n').at(-1)}` : '';
          if (!loaded) {
            settle?.reject(
              new StoppedWhileLoading(`The built-in model stopped while loading (${how}).${why}`, how),
            );
          }
          // Every request still waiting on this process fails now, with words a person understands.
          for (const [id, waiting] of this.pending) {
            this.pending.delete(id);
            waiting.reject(
              new KeelError(
                'stream-interrupted',
                `The built-in model stopped unexpectedly (${how}); the answer is incomplete. ` +
                  `Keel starts it again with the next request.${why}`,
              ),
            );
          }
        },
      },
    );
    return new Promise<RuntimeProcess>((resolve, reject) => {
      settle = { resolve, reject };
      timer = setTimeout(() => {
        child.kill();
        reject(new KeelError('model-unsuitable', 'The built-in model took too long to load.'));
      }, this.options.loadTimeoutMs);
      child.send({
        type: 'load',
        modelPath: this.options.modelPath,
        threads: this.options.threads,
        contextSize: this.options.contextSize,
        gpu,
      });
    });
  }
}

/** The process ended before its model was loaded (a crash, not a refusal in words). */
class StoppedWhileLoading extends KeelError {
  constructor(
    message: string,
    readonly how: string,
  ) {
    super('model-unsuitable', message);
  }
}
