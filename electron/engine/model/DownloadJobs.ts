/**
 * What Ollama's pulls and the built-in runtime's downloads share, so a person sees one progress bar
 * behave the same for both: one download per model at a time (asking again while it runs answers
 * with its progress); cancelling aborts only that download and waits for its last word; progress goes
 * out as `pull.progress` events (a new status line at once, byte counts a few times a second), with
 * speed and time left over the last few seconds; and it ends done, cancelled or failed in one way.
 */
import type { PullProgress } from '../../../shared/domain';
import { toErrorInfo, type KeelError } from '../../../shared/errors';
import type { EventHub } from '../EventHub';

/** How often byte-count updates go out at most; a new status line and the last event always do. */
const eventIntervalMs = 150;
/** The window over which speed is measured, so one slow second does not swing the estimate. */
const speedWindowMs = 3000;

/** What a running download reports its progress through. */
export interface DownloadJob {
  readonly progress: PullProgress;
  /** Aborted when the person cancels this download (or Keel closes). */
  readonly signal: AbortSignal;
  /** Sends the progress out: at once when `force`, else only if the last event is a moment old. */
  emit(force?: boolean): void;
  /** The bytes so far out of `totalBytes` (0 while unknown): percent, speed and time left follow. */
  advance(completedBytes: number, totalBytes: number, force?: boolean): void;
}

/** One download, as its service prepares it. */
export interface Download {
  /** Where it starts (state `pulling`). */
  progress: PullProgress;
  /** Fetches it whole, reporting through `job`; throws when it fails or is cancelled. */
  run(job: DownloadJob): Promise<void>;
  /** A failure in words a person understands. */
  failure(error: unknown): KeelError;
}

interface ActiveDownload {
  controller: AbortController;
  progress: PullProgress;
  done: Promise<PullProgress>;
}

export class DownloadJobs {
  private readonly active = new Map<string, ActiveDownload>();

  /** `cancelledStatus`: the status line of a cancelled download (what is kept, how to resume). */
  constructor(
    private readonly events: EventHub,
    private readonly cancelledStatus: string,
  ) {}

  /** Starts the download `prepare` gives, unless one for `key` runs already; its progress so far. */
  start(key: string, prepare: () => Download): PullProgress {
    const running = this.active.get(key);
    if (running) return { ...running.progress };
    const download = prepare();
    const slot: ActiveDownload = {
      controller: new AbortController(),
      progress: download.progress,
      done: Promise.resolve(download.progress),
    };
    this.active.set(key, slot);
    slot.done = this.run(slot, download).finally(() => this.active.delete(key));
    return { ...slot.progress };
  }

  /** Cancels the download of `key` and answers with its last progress; `notRunning` when there is none. */
  async cancel(key: string, notRunning: () => KeelError): Promise<PullProgress> {
    const running = this.active.get(key);
    if (!running) throw notRunning();
    running.controller.abort();
    return { ...(await running.done) };
  }

  /** Cancels every download (on close) and waits until each has said how it ended. */
  async cancelAll(): Promise<void> {
    const all = [...this.active.values()];
    all.forEach((download) => download.controller.abort());
    await Promise.allSettled(all.map((download) => download.done));
  }

  private async run({ progress, controller }: ActiveDownload, download: Download): Promise<PullProgress> {
    const samples: SpeedSample[] = [];
    let lastEmit = 0;
    const emit = (force = false) => {
      const at = Date.now();
      if (!force && at - lastEmit < eventIntervalMs) return;
      lastEmit = at;
      this.events.emit({ type: 'pull.progress', progress: { ...progress } });
    };
    const advance = (completedBytes: number, totalBytes: number, force = false) => {
      progress.completedBytes = completedBytes;
      progress.totalBytes = totalBytes;
      if (totalBytes > 0) progress.percent = Math.min(100, (completedBytes / totalBytes) * 100);
      measureSpeed(progress, samples);
      emit(force);
    };
    emit(true);
    try {
      await download.run({ progress, signal: controller.signal, emit, advance });
      progress.state = 'done';
      progress.status = 'success';
      progress.percent = 100;
      delete progress.secondsLeft;
    } catch (error) {
      if (controller.signal.aborted) {
        progress.state = 'cancelled';
        progress.status = this.cancelledStatus;
      } else {
        progress.state = 'failed';
        progress.error = toErrorInfo(download.failure(error));
      }
    }
    emit(true);
    return { ...progress };
  }
}

interface SpeedSample {
  at: number;
  bytes: number;
}

/** Speed and time left from the bytes so far, over the last few seconds. */
function measureSpeed(progress: PullProgress, samples: SpeedSample[]): void {
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
