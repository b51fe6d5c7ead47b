/**
 * Downloads models into Ollama (`/api/pull`, streamed) and turns Ollama's progress lines into what
 * a progress bar needs: bytes over all layers, percent, speed and time left, and Ollama's current
 * status line. One download per model at a time; cancelling aborts only that download, and asking
 * again resumes it (Ollama keeps the partial layers).
 */
import { Ollama } from 'ollama';
import type { PullProgress } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import type { EventHub } from '../EventHub';
import { DownloadJobs, type DownloadJob } from './DownloadJobs';
import type { ModelService } from './ModelService';
import { toModelError } from './modelErrors';

/** Ollama models the person downloads (pulls), as the workspace's calls start and cancel them. */
export interface ModelPulls {
  /** Starts (or resumes) pulling a model; progress follows as `pull.progress` events. */
  start(model: string): PullProgress;
  cancel(model: string): Promise<PullProgress>;
}

export class PullService implements ModelPulls {
  private readonly jobs: DownloadJobs;

  constructor(
    private readonly models: ModelService,
    events: EventHub,
  ) {
    this.jobs = new DownloadJobs(
      events,
      'cancelled: what was downloaded is kept, and pulling again resumes from there',
    );
  }

  start(model: string): PullProgress {
    return this.jobs.start(model, () => {
      const client = this.models.client();
      return {
        progress: { model, state: 'pulling', status: 'starting', completedBytes: 0, totalBytes: 0 },
        run: (job) => this.pull(model, client.host.origin, client.fetchWith(job.signal), job),
        failure: (error) => pullError(error, model, this.models),
      };
    });
  }

  cancel(model: string): Promise<PullProgress> {
    return this.jobs.cancel(
      model,
      () => new KeelError('not-found', `${model} is not being downloaded.`, { field: 'model' }),
    );
  }

  cancelAll(): Promise<void> {
    return this.jobs.cancelAll();
  }

  private async pull(model: string, host: string, fetchWith: typeof fetch, job: DownloadJob): Promise<void> {
    const { progress } = job;
    const layers = new Map<string, { total: number; completed: number }>();
    const client = new Ollama({ host, fetch: fetchWith });
    const stream = await client.pull({ model, stream: true });
    for await (const part of stream) {
      const statusChanged = progress.status !== part.status;
      progress.status = part.status;
      if (part.digest && typeof part.total === 'number' && part.total > 0) {
        layers.set(part.digest, { total: part.total, completed: part.completed ?? 0 });
      }
      const totals = [...layers.values()];
      // A new status line always goes out; byte counts only a few times a second.
      job.advance(
        totals.reduce((sum, layer) => sum + layer.completed, 0),
        totals.reduce((sum, layer) => sum + layer.total, 0),
        statusChanged,
      );
    }
  }
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
