/** The daily backup: made when the newest backup is a day old, checked at opening and every hour. */
import type { Sequencer } from '../../../shared/async';
import type { NoteProblem } from '../Diagnostics';
import type { Backups } from '../store/Backups';
import type { Workspace } from '../Workspace';

/** A daily backup is due when the newest one is older than this. */
const backupInterval = 24 * 3600_000;
const checkEveryMs = 3600_000;

export class BackupScheduler {
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly deps: {
      backups: Backups;
      /** The open workspace, or undefined once it closed (or the engine is closing). */
      workspace: () => Workspace | undefined;
      /** Whole-folder operations run one at a time: a backup never has files pulled from under it. */
      exclusive: Sequencer;
      /** How many backups to keep. */
      keep: () => number;
      noteProblem: NoteProblem;
      firstDelayMs: number;
    },
  ) {}

  /** Checks after the first delay, then every hour while the workspace stays open. */
  start(): void {
    this.stop();
    const loop = () => {
      this.check()
        .catch((error: unknown) => this.deps.noteProblem('the daily backup', error))
        .finally(() => {
          if (this.deps.workspace()) this.wait(loop, checkEveryMs);
        });
    };
    this.wait(loop, this.deps.firstDelayMs);
  }

  stop(): void {
    clearTimeout(this.timer);
  }

  private wait(then: () => void, ms: number): void {
    this.timer = setTimeout(then, ms);
    this.timer.unref();
  }

  private async check(): Promise<void> {
    const { backups, workspace, exclusive, keep } = this.deps;
    const open = workspace();
    if (!open) return;
    const newest = (await backups.list())[0];
    const hasData = open.store.catalog.data.spaces.length > 0;
    if (hasData && (!newest || Date.now() - Date.parse(newest.createdAt) > backupInterval)) {
      await exclusive.run(async () => {
        const still = workspace();
        if (!still) return;
        await still.flush();
        await backups.create('daily', keep());
      });
    }
  }
}
