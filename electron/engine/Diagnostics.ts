/**
 * Work that runs in the background (backups, indexing, vectors, the idle lock) has no caller to
 * hand its failure to. It is noted here instead: the most recent problems, kept while Keel runs and
 * listed in Settings → Diagnostics, so a failure is never silent; each also goes to the log.
 */
import type { BackgroundProblem } from '../../shared/domain';

/** How a service reports a failure of its background work: what it was doing, and the error. */
export type NoteProblem = (what: string, error: unknown) => void;

/** The most problems kept; older ones give way. */
const kept = 50;

export class Diagnostics {
  private readonly problems: BackgroundProblem[] = [];

  /** Notes a failure of background work (`what`: what Keel was doing, in words). */
  readonly note: NoteProblem = (what, error) => {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`Keel: ${what} failed`, error);
    this.problems.push({ at: new Date().toISOString(), what, message });
    if (this.problems.length > kept) this.problems.shift();
  };

  /** The problems noted, newest first. */
  recent(): BackgroundProblem[] {
    return this.problems.map((problem) => ({ ...problem })).reverse();
  }
}
