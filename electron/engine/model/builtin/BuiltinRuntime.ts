/**
 * The engine's side of the built-in runtime: starts `runtimeHost.ts` in a child process on the first
 * request, passes chat and embedding requests to it, streams the answer back, and turns a crash of the
 * child into a clear error. The next request after a crash starts a fresh child.
 *
 * Self-contained for now: nothing in the engine uses it yet (the model interface will).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { KeelError } from '../../../../shared/errors';
import { isHostReply, type ChatMessage, type HostReply, type HostRequest } from './protocol';

export interface BuiltinRuntimeOptions {
  modelPath: string;
  threads?: number;
  contextSize?: number;
  /** How long the child may take to start and load the model. */
  loadTimeoutMs?: number;
}

export interface ChatOptions {
  maxTokens?: number;
  seed?: number;
  temperature?: number;
  format?: object;
  signal?: AbortSignal;
  onDelta?: (text: string) => void;
}

export interface ChatAnswer {
  text: string;
  stopReason: 'stop' | 'length' | 'abort';
}

interface Pending {
  resolve: (reply: HostReply) => void;
  reject: (error: Error) => void;
  onDelta?: (text: string) => void;
}

const HOST_PATH = fileURLToPath(new URL('./runtimeHost.ts', import.meta.url));
const STDERR_TAIL = 2000;
const HEAP_MB = 256;

export class BuiltinRuntime {
  private readonly options: Required<BuiltinRuntimeOptions>;
  private child: ChildProcess | undefined;
  private starting: Promise<ChildProcess> | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** How many times a child has been started; a test reads it to see a restart. */
  starts = 0;

  constructor(options: BuiltinRuntimeOptions) {
    this.options = { threads: 1, contextSize: 2048, loadTimeoutMs: 60_000, ...options };
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
    const abort = () => child.connected && child.send({ type: 'abort', id } satisfies HostRequest);
    options.signal?.addEventListener('abort', abort, { once: true });
    try {
      const reply = await this.ask(child, request, options.onDelta);
      if (reply.type !== 'done')
        throw new KeelError('internal', 'The built-in model gave an unexpected reply.');
      return { text: reply.text, stopReason: reply.stopReason };
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
    const child = this.child;
    this.child = undefined;
    this.starting = undefined;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill();
      await exited;
    }
  }

  private ask(child: ChildProcess, request: HostRequest & { id: number }, onDelta?: (text: string) => void) {
    return new Promise<HostReply>((resolve, reject) => {
      this.pending.set(request.id, { resolve, reject, ...(onDelta ? { onDelta } : {}) });
      child.send(request);
    });
  }

  private start(): Promise<ChildProcess> {
    if (this.child && this.child.connected) return Promise.resolve(this.child);
    this.starting ??= this.spawn().finally(() => {
      this.starting = undefined;
    });
    return this.starting;
  }

  private spawn(): Promise<ChildProcess> {
    this.starts++;
    const child = fork(HOST_PATH, [], {
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
      // The weights live outside the JavaScript heap; a small heap cap stops node-llama-cpp's GGUF reader
      // from eating the machine's memory on a hostile file (a "GGUF" header with a bogus version makes it
      // read on and grow, about 35 MB a second, in 3.22.1).
      execArgv: [
        ...process.execArgv.filter((arg) => !arg.startsWith('--max-old-space-size')),
        `--max-old-space-size=${HEAP_MB}`,
      ],
    });
    // A send to a child that just died fails here; its exit handler below reports it.
    child.on('error', () => child.kill('SIGKILL'));
    let stderr = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      stderr = (stderr + chunk).slice(-STDERR_TAIL);
    });

    return new Promise<ChildProcess>((resolve, reject) => {
      let loaded = false;
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new KeelError('model-unsuitable', 'The built-in model took too long to load.'));
      }, this.options.loadTimeoutMs);

      child.on('message', (raw: unknown) => {
        // A confused child is treated like a crashed one.
        if (!isHostReply(raw)) {
          child.kill('SIGKILL');
          return;
        }
        if (raw.type === 'loaded') {
          loaded = true;
          clearTimeout(timer);
          this.child = child;
          resolve(child);
        } else if (raw.type === 'load-failed') {
          clearTimeout(timer);
          child.kill();
          reject(new KeelError('model-unsuitable', `Keel could not load the built-in model: ${raw.message}`));
        } else {
          const waiting = this.pending.get(raw.id);
          if (!waiting) return;
          if (raw.type === 'delta') waiting.onDelta?.(raw.text);
          else {
            this.pending.delete(raw.id);
            if (raw.type === 'failed') {
              waiting.reject(
                new KeelError('internal', `The built-in model could not answer: ${raw.message}`),
              );
            } else waiting.resolve(raw);
          }
        }
      });

      child.on('exit', (code, signal) => {
        clearTimeout(timer);
        if (this.child === child) this.child = undefined;
        const how = signal ? `signal ${signal}` : `exit code ${code}`;
        const why = stderr.trim() ? ` Its last words: ${stderr.trim().split('\n').at(-1)}` : '';
        if (!loaded) {
          reject(
            new KeelError('model-unsuitable', `The built-in model stopped while loading (${how}).${why}`),
          );
        }
        // Every request still waiting on this child fails now, with words a person understands.
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
      });

      child.send({
        type: 'load',
        modelPath: this.options.modelPath,
        threads: this.options.threads,
        contextSize: this.options.contextSize,
      } satisfies HostRequest);
    });
  }
}
