/**
 * Tells the workspace when forecasts come due: checked from the catalog's ledger entries (no loop
 * file is read) shortly after the workspace opens and then every hour, each forecast announced once
 * per session. The desktop shell turns the event into an operating-system notification; the web
 * page shows the due list on the Decisions page instead. Off when the person turned it off.
 */
import type { DueForecast, LoopSummary } from '../../../shared/domain';
import { forecastStatus } from '../../../shared/ledger';
import type { EventHub } from '../EventHub';

export function dueForecasts(loops: readonly LoopSummary[], today: string): DueForecast[] {
  const due: DueForecast[] = [];
  for (const loop of loops) {
    if (loop.archived) continue;
    for (const entry of loop.ledger ?? []) {
      for (const forecast of entry.forecasts) {
        if (forecastStatus(forecast, today) !== 'due') continue;
        due.push({
          loopId: loop.id,
          title: loop.title,
          forecastId: forecast.id,
          statement: forecast.statement,
          resolveBy: forecast.resolveBy,
        });
      }
    }
  }
  return due;
}

/** Today as `YYYY-MM-DD` in the local time zone, the person's calendar day. */
function localToday(): string {
  const now = new Date();
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${now.getFullYear()}-${pad(now.getMonth() + 1)}-${pad(now.getDate())}`;
}

export class DueForecastWatch {
  private readonly announced = new Set<string>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly loops: () => readonly LoopSummary[],
    private readonly events: EventHub,
    private readonly enabled: () => boolean,
  ) {}

  start(firstDelayMs = 10_000, everyMs = 3600_000): void {
    const run = () => {
      this.check();
      this.timer = setTimeout(run, everyMs);
      this.timer.unref();
    };
    this.timer = setTimeout(run, firstDelayMs);
    this.timer.unref();
  }

  /** Emits the forecasts due and not announced yet; returns them. */
  check(today = localToday()): DueForecast[] {
    if (!this.enabled()) return [];
    const fresh = dueForecasts(this.loops(), today).filter((due) => !this.announced.has(due.forecastId));
    if (fresh.length === 0) return [];
    for (const due of fresh) this.announced.add(due.forecastId);
    this.events.emit({ type: 'forecasts.due', forecasts: fresh });
    return fresh;
  }

  stop(): void {
    clearTimeout(this.timer);
  }
}
