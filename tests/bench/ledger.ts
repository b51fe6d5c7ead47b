/**
 * The decision ledger at the size the issue names: 5,000 decisions with 15,000 forecasts (generated,
 * never committed). Measures what the ledger page does once the data is loaded: computing the page
 * (filter, sort, scores, bins, due list) with the pure functions in shared/ledger.ts, and rendering
 * the whole page to markup with React in a child process (Node has no layout or paint, so this is
 * the page's React work, not the browser's).
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { LedgerRow, SpaceKind } from '../../shared/domain';
import { emptyLedgerFilter, ledgerPage } from '../../shared/ledger';

type Line = (name: string, figure: string, target: string, met: boolean | undefined) => void;

const kinds: SpaceKind[] = ['client', 'plan', 'journal', 'general'];

/** A ledger of `decisions` decisions with three forecasts each: about half resolved, a third updated. */
export function generateLedger(decisions = 5_000): LedgerRow[] {
  let seed = 42;
  const random = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const start = Date.UTC(2025, 0, 1);
  const day = 24 * 60 * 60 * 1000;
  const rows: LedgerRow[] = [];
  for (let i = 0; i < decisions; i += 1) {
    const decided = start + Math.floor(random() * 600) * day;
    const space = i % 40;
    const forecasts = Array.from({ length: 3 }, (_, f) => {
      const probability = 1 + Math.floor(random() * 99);
      const resolveBy = new Date(decided + (30 + Math.floor(random() * 300)) * day)
        .toISOString()
        .slice(0, 10);
      const updated = random() < 0.33;
      const resolved = random() < 0.5;
      const outcome = random() < 0.05 ? 'ambiguous' : random() * 100 < probability ? 'yes' : 'no';
      return {
        id: `fc-${i}-${f}`,
        statement: `Forecast ${f} of decision ${i}: churn under ${f + 2} % by the quarter`,
        probability,
        resolveBy,
        criteria: 'Resolves yes if the board pack says so',
        createdAt: new Date(decided).toISOString(),
        updates: updated
          ? [
              {
                probability: Math.max(1, Math.min(99, probability + 10)),
                reason: 'Renewals came in early',
                at: new Date(decided + 10 * day).toISOString(),
              },
            ]
          : [],
        ...(resolved
          ? {
              resolution: {
                outcome: outcome as 'yes' | 'no' | 'ambiguous',
                note: 'From the board pack',
                at: new Date(decided + 40 * day).toISOString(),
              },
            }
          : {}),
      };
    });
    rows.push({
      loopId: `lp-${i}`,
      spaceId: `sp-${space}`,
      spaceName: `Client ${space}`,
      spaceKind: kinds[space % kinds.length]!,
      title: `Decision loop ${i}`,
      current: true,
      entry: {
        choice: `Choice ${i}: raise the price by ${i % 10} %`,
        confidence: Math.floor(random() * 101),
        decidedAt: new Date(decided).toISOString(),
        reviewDate: '',
        reviewed: false,
        ...(i % 17 === 0
          ? {
              grade: {
                process: 'good' as const,
                outcome: 'bad' as const,
                note: '',
                at: new Date(decided).toISOString(),
              },
            }
          : {}),
        forecasts,
      },
    });
  }
  return rows;
}

function median(samples: number[]): number {
  const sorted = [...samples].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? NaN;
}

export async function benchLedger(line: Line): Promise<void> {
  const rows = generateLedger();
  const forecasts = rows.reduce((sum, row) => sum + row.entry.forecasts.length, 0);
  const today = '2026-06-01';
  const compute: number[] = [];
  const filtered: number[] = [];
  for (let i = 0; i < 30; i += 1) {
    // A fresh load each round (new row objects, as getLedger gives): the page's per-row work is
    // timed in full; the filtered call after it is a filter changed on the loaded page.
    const loaded = structuredClone(rows);
    // The round before left a ledger's worth of garbage: collected here, not inside the timing.
    (globalThis as { gc?: () => void }).gc?.();
    let started = performance.now();
    ledgerPage(loaded, emptyLedgerFilter, { key: 'decided', descending: true }, today);
    compute.push(performance.now() - started);
    started = performance.now();
    ledgerPage(
      loaded,
      { ...emptyLedgerFilter, kind: 'client', words: 'churn' },
      { key: 'brier', descending: false },
      today,
    );
    filtered.push(performance.now() - started);
  }
  line(
    `ledger page data, ${rows.length} decisions/${forecasts} forecasts`,
    `${median(compute).toFixed(1)} ms`,
    '< 100 ms',
    median(compute) < 100,
  );
  line(
    '  filtered by kind and words, sorted by Brier',
    `${median(filtered).toFixed(1)} ms`,
    '< 100 ms',
    median(filtered) < 100,
  );

  // React in a child process with the workspace's own TypeScript settings (JSX), as the page renders it.
  const output = execFileSync(
    process.execPath,
    ['--expose-gc', '--import', 'tsx', join(import.meta.dirname, 'ledgerRender.ts')],
    {
      // React's production build, as the workspace ships it (the development one checks every element).
      env: {
        ...process.env,
        NODE_ENV: 'production',
        TSX_TSCONFIG_PATH: join(import.meta.dirname, '../../tsconfig.web.json'),
      },
      encoding: 'utf8',
    },
  );
  const render = JSON.parse(output.trim().split('\n').at(-1)!) as {
    page: number;
    pageCpu: number;
    chart: number;
  };
  // The figure the issue sets: from the rows in the store to the whole page (scores, due forms,
  // table, chart) as markup, the page's own data work included.
  line(
    '  ledger page and chart ready after data loaded (React, median)',
    `${render.page.toFixed(1)} ms`,
    '< 100 ms',
    render.page < 100,
  );
  line(
    "  the same, CPU time of the page's own process (median)",
    `${render.pageCpu.toFixed(1)} ms`,
    'none set',
    undefined,
  );
  line(
    '  calibration chart rendered (median)',
    `${render.chart.toFixed(1)} ms`,
    '< 100 ms',
    render.chart < 100,
  );
}
