/**
 * Downloads models into Ollama (`/api/pull`, streamed) and turns Ollama's progress lines into what
 * a progress bar needs: bytes over all layers, percent, speed and time left, and Ollama's current
 * status line. One download per model at a time; cancelling aborts only that download, and asking
 * again resumes it (Ollama keeps the partial layers).
 */
import { Ollama } from 'ollama';
import type { PullProgress } from '../../../shared/domain';
import { KeelError, toErrorInfo } from '../../../shared/errors';
import type { EventHub } from '../EventHub';
import type { ModelService } from './ModelService';
import { toModelError } from './modelErrors';

interface ActivePull {
  controller: AbortController;
  progress: PullProgress;
  done: Promise<PullProgress>;
}

/** How often byte-count updates go out at most; a new status line and the last event always do. */
const eventIntervalMs = 150;
/** The window over which speed is measured, so one slow second does not swing the estimate. */
const speedWindowMs = 3000;

export class PullService {
  private readonly active = new Map<string, ActivePull>();

  constructor(
    private readonly models: ModelService,
    private readonly events: EventHub,
  ) {}

  start(model: string): PullProgress {
    const running = this.active.get(model);
    if (running) return { ...running.progress };
    const client = this.models.client();
    const controller = new AbortController();
    const progress: PullProgress = {
      model,
      state: 'pulling',
      status: 'starting',
      completedBytes: 0,
      totalBytes: 0,
    };
    const slot: ActivePull = { controller, progress, done: Promise.resolve(progress) };
    this.active.set(model, slot);
    slot.done = this.run(model, client.host.origin, client.fetchWith(controller.signal), slot).finally(() =>
      this.active.delete(model),
    );
    return { ...progress };
  }

  async cancel(model: string): Promise<PullProgress> {
    const running = this.active.get(model);
    if (!running) throw new KeelError('not-found', `${model} is not being downloaded.`, { field: 'model' });
    running.controller.abort();
    return { ...(await running.done) };
  }

  async cancelAll(): Promise<void> {
    const all = [...this.active.values()];
    for (const pull of all) pull.controller.abort();
    await Promise.allSettled(all.map((pull) => pull.done));
  }

  private async run(
    model: string,
    host: string,
    fetchWith: typeof fetch,
    slot: ActivePull,
  ): Promise<PullProgress> {
    const { progress } = slot;
    const layers = new Map<string, { total: number; completed: number }>();
    const samples: { at: number; bytes: number }[] = [];
    let lastEmit = 0;
    const emit = (force = false) => {
      const at = Date.now();
      if (!force && at - lastEmit < eventIntervalMs) return;
      lastEmit = at;
      this.events.emit({ type: 'pull.progress', progress: { ...progress } });
    };
    emit(true);
    try {
      const client = new Ollama({ host, fetch: fetchWith });
      const stream = await client.pull({ model, stream: true });
      for await (const part of stream) {
        const statusChanged = progress.status !== part.status;
        progress.status = part.status;
        if (part.digest && typeof part.total === 'number' && part.total > 0) {
          layers.set(part.digest, { total: part.total, completed: part.completed ?? 0 });
        }
        const totals = [...layers.values()];
        progress.totalBytes = totals.reduce((sum, layer) => sum + layer.total, 0);
        progress.completedBytes = totals.reduce((sum, layer) => sum + layer.completed, 0);
        if (progress.totalBytes > 0) {
          progress.percent = Math.min(100, (progress.completedBytes / progress.totalBytes) * 100);
        }
        measureSpeed(progress, samples);
        // A new status line always goes out; byte counts only a few times a second.
        emit(statusChanged);
      }
      progress.state = 'done';
      progress.status = 'success';
      progress.percent = 100;
      delete progress.secondsLeft;
    } catch (error) {
      if (slot.controller.signal.aborted) {
        progress.state = 'cancelled';
        progress.status = 'cancelled: what was downloaded is kept, and pulling again resumes from there';
      } else {
        progress.state = 'failed';
        progress.error = toErrorInfo(pullError(error, model, this.models));
      }
    }
    emit(true);
    return { ...progress };
  }
}

/** Speed and time left from the bytes so far, over the last few seconds (the built-in downloads use it too). */
export function measureSpeed(progress: PullProgress, samples: { at: number; bytes: number }[]): void {
  const at = Date.now();
  samples.push({ at, bytes: progress.completedBytes });
  while (samples.length > 2 && at - samples[0]!.at > speedWindowMs) samples.shift();
  const first = samples[0]!;
  const seconds = (at - first.at) / 1000;
  if (seconds < 0.2) return;
  const speed = (progress.completedBytes - first.bytes) / seconds;
  if (speed <= 0) return;
  progress.bytesPerSecond = speed;
  if (progress.totalBytes > 0) progress.secondsLeft = (progress.totalBytes - progress.completedBytes) / speed;
}

/** Pull failures in words: a bad name, no internet, or whatever else Ollama said. */
export function pullError(error: unknown, model: string, models: ModelService): KeelError {
  // Keel's own refusals (a host or redirect not allowed) already say what happened.
  if (error instanceof KeelError) return error;
  const text = error instanceof Error ? error.message : String(error);
  if (/file does not exist|not found|invalid model name|manifest unknown/i.test(text)) {
    return new KeelError(
      'invalid-input',
      `Ollama could not find a model named "${model}". Check the spelling against ollama.com/library (for example llama3.2 or qwen3:4b).`,
      { field: 'model' },
    );
  }
  if (
    /dial tcp|no such host|i\/o timeout|connection reset|network is unreachable|TLS handshake/i.test(text)
  ) {
    return new KeelError(
      'ollama-error',
      `Ollama could not download ${model}: the internet connection failed (${text}). Check the connection and press Retry: the download resumes where it stopped.`,
    );
  }
  return toModelError(error, models.host, model);
}
