/**
 * The idle lock lives in the engine, not only in the page: with no window open (or a page that
 * stopped counting) the engine still drops its keys once the person's "lock after idle minutes" have
 * passed since the last call, and every window then shows the lock screen.
 */
import { isBackgroundCall } from '../../../shared/contract';
import type { NoteProblem } from '../Diagnostics';

export class IdleLock {
  private lastCallAt = Date.now();
  /** Calls of the person still running: a slow one (a save on a busy disk) is not idleness. */
  private callsRunning = 0;
  private readonly timer: NodeJS.Timeout;

  constructor(
    private readonly deps: {
      /** How long one minute of the setting lasts (tests shorten it). */
      minuteMs: number;
      /** The person's "lock after" minutes while the keys are held and the workspace open; else undefined. */
      lockAfterMinutes: () => number | undefined;
      /** Locks when the wait is still over once it is its turn (a call may have come meanwhile). */
      lock: (stillIdle: () => boolean) => Promise<unknown>;
      noteProblem: NoteProblem;
    },
  ) {
    this.timer = setInterval(
      () => {
        if (!this.idle()) return;
        void deps.lock(() => this.idle()).catch((error: unknown) => deps.noteProblem('the idle lock', error));
      },
      Math.max(20, Math.min(deps.minuteMs / 4, 15_000)),
    );
    this.timer.unref();
  }

  /** Runs one call from outside, which counts as the person's activity unless a page makes it on its own. */
  async counted<T>(name: unknown, run: () => Promise<T>): Promise<T> {
    const counted = typeof name !== 'string' || !isBackgroundCall(name);
    if (counted) this.callsRunning += 1;
    this.note(counted);
    try {
      return await run();
    } finally {
      if (counted) this.callsRunning -= 1;
      this.note(counted);
    }
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private note(counted: boolean): void {
    if (counted) this.lastCallAt = Date.now();
  }

  private idle(): boolean {
    if (this.callsRunning > 0) return false;
    const minutes = this.deps.lockAfterMinutes();
    if (minutes === undefined || minutes <= 0) return false;
    return Date.now() - this.lastCallAt >= minutes * this.deps.minuteMs;
  }
}
