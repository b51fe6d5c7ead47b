/**
 * The decision ledger's arithmetic: Brier scores, calibration bins and the ledger's rows, as pure
 * functions of what the person wrote and resolved. The engine and the ledger page both use these,
 * so every number the page shows can be checked by hand against the person's own forecasts.
 */
import type { LedgerEntry, LedgerRow, SpaceKind } from './domain';

/** One update of a forecast's probability, as the ledger needs it. */
export interface ProbabilityPoint {
  probability: number;
  at: string;
}

/** A forecast as the scoring needs it: the first probability, its updates and how it resolved. */
export interface ScorableForecast {
  probability: number;
  createdAt: string;
  updates: readonly ProbabilityPoint[];
  resolution?: { outcome: 'yes' | 'no' | 'ambiguous'; at: string };
}

/** The Brier score of one probability (a percentage) against what happened: 0 is perfect, 1 the worst. */
export function brier(probability: number, happened: boolean): number {
  const p = probability / 100;
  const o = happened ? 1 : 0;
  return (p - o) ** 2;
}

/** Whether a forecast counts in scores: resolved yes or no (ambiguous and open ones do not). */
export function isScored(
  forecast: ScorableForecast,
): forecast is ScorableForecast & { resolution: { outcome: 'yes' | 'no'; at: string } } {
  return forecast.resolution !== undefined && forecast.resolution.outcome !== 'ambiguous';
}

/** The first probability's (the gut call's) Brier score, or undefined while it is not scored. */
export function firstBrier(forecast: ScorableForecast): number | undefined {
  if (!isScored(forecast)) return undefined;
  return brier(forecast.probability, forecast.resolution.outcome === 'yes');
}

/** The probability in force at the end: the last update's, or the first when never updated. */
export function latestProbability(forecast: ScorableForecast): number {
  return forecast.updates.at(-1)?.probability ?? forecast.probability;
}

/**
 * The time-weighted Brier score: the Brier score of the probability in force, averaged over the
 * forecast's open lifetime (creation to resolution), each probability weighted by how long it stood.
 * Updates made at or after the resolution count for nothing; a lifetime of zero length scores the
 * last probability in force.
 */
export function timeWeightedBrier(forecast: ScorableForecast): number | undefined {
  if (!isScored(forecast)) return undefined;
  const happened = forecast.resolution.outcome === 'yes';
  // Never updated: one probability stood for the whole life, so the weighted mean is its score.
  if (forecast.updates.length === 0) return brier(forecast.probability, happened);
  const start = Date.parse(forecast.createdAt);
  const end = Date.parse(forecast.resolution.at);
  const steps = [{ probability: forecast.probability, at: forecast.createdAt }, ...forecast.updates]
    .map((step) => ({ probability: step.probability, time: Date.parse(step.at) }))
    .sort((a, b) => a.time - b.time);
  if (!(end > start)) {
    const inForce = steps.filter((step) => step.time <= end).at(-1) ?? steps[0]!;
    return brier(inForce.probability, happened);
  }
  let weighted = 0;
  for (let i = 0; i < steps.length; i += 1) {
    const from = Math.max(steps[i]!.time, start);
    const to = Math.min(steps[i + 1]?.time ?? end, end);
    if (to > from) weighted += brier(steps[i]!.probability, happened) * (to - from);
  }
  return weighted / (end - start);
}

/** The mean of a list, or undefined for an empty one (no score rather than a made-up zero). */
export function mean(values: readonly number[]): number | undefined {
  if (values.length === 0) return undefined;
  return values.reduce((sum, value) => sum + value, 0) / values.length;
}

/** The Wilson score interval (95 % by default) for `yes` successes out of `n`. */
export function wilsonInterval(yes: number, n: number, z = 1.959964): { low: number; high: number } {
  if (n === 0) return { low: 0, high: 1 };
  const p = yes / n;
  const z2 = z * z;
  const centre = (p + z2 / (2 * n)) / (1 + z2 / n);
  const half = (z / (1 + z2 / n)) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: Math.max(0, centre - half), high: Math.min(1, centre + half) };
}

/** One 10 %-wide bin of the calibration chart. */
export interface CalibrationBin {
  /** The bin's stated probabilities, as percentages: `from` inclusive, `to` exclusive (the last one includes 100). */
  from: number;
  to: number;
  /** Resolved forecasts (yes or no) whose stated probability falls in the bin. */
  count: number;
  /** How many of them came true. */
  yes: number;
  /** The mean stated probability in the bin (0–1), undefined when it is empty. */
  stated?: number;
  /** How often they came true (0–1), undefined when the bin is empty. */
  observed?: number;
  /** The Wilson 95 % interval on `observed`. */
  low?: number;
  high?: number;
}

/** Bins scored forecasts by their stated (first) probability, 10 % wide, with observed frequency and its interval. */
export function calibrationBins(
  points: readonly { probability: number; happened: boolean }[],
): CalibrationBin[] {
  const bins = Array.from({ length: 10 }, (_, i) => ({
    from: i * 10,
    to: i * 10 + 10,
    count: 0,
    yes: 0,
    sum: 0,
  }));
  for (const point of points) {
    const bin = bins[Math.min(9, Math.floor(point.probability / 10))]!;
    bin.count += 1;
    bin.sum += point.probability;
    if (point.happened) bin.yes += 1;
  }
  return bins.map(({ sum, ...bin }) => {
    if (bin.count === 0) return bin;
    const interval = wilsonInterval(bin.yes, bin.count);
    return {
      ...bin,
      stated: sum / bin.count / 100,
      observed: bin.yes / bin.count,
      low: interval.low,
      high: interval.high,
    };
  });
}

/** Where a forecast stands on a given day. */
export type ForecastStatus = 'open' | 'due' | 'resolved';

export function forecastStatus(
  forecast: { resolveBy: string; resolution?: unknown },
  today: string,
): ForecastStatus {
  if (forecast.resolution !== undefined) return 'resolved';
  return forecast.resolveBy !== '' && forecast.resolveBy <= today ? 'due' : 'open';
}

/** A decision's status: due if any forecast is due, open if any is open, else resolved (or open with none). */
export function decisionStatus(entry: LedgerEntry, today: string): ForecastStatus {
  const statuses = entry.forecasts.map((forecast) => forecastStatus(forecast, today));
  if (statuses.includes('due')) return 'due';
  if (statuses.includes('open') || statuses.length === 0) return 'open';
  return 'resolved';
}

export interface LedgerFilter {
  status: 'all' | ForecastStatus;
  /** Empty: every space. */
  spaceId: string;
  /** Empty: every kind of space. */
  kind: '' | SpaceKind;
  /** Decided on or after / on or before (`YYYY-MM-DD`); empty: no bound. */
  from: string;
  to: string;
  /** Words that must appear in the decision, its loop's title, a forecast, its updates' reasons, its resolution or the outcome review. */
  words: string;
}

export const emptyLedgerFilter: LedgerFilter = {
  status: 'all',
  spaceId: '',
  kind: '',
  from: '',
  to: '',
  words: '',
};

export type LedgerSortKey = 'decided' | 'confidence' | 'space' | 'status' | 'brier';

/** One decision on the ledger page with what the page shows of it. */
export interface LedgerDecisionView {
  row: LedgerRow;
  key: string;
  status: ForecastStatus;
  /** Mean first-call Brier of its scored forecasts. */
  brier?: number;
  /** When it was decided, in milliseconds: what the table is sorted by, read without parsing. */
  time: number;
}

/** Scores over a set of forecasts: first call and time-weighted, kept apart. */
export interface LedgerScores {
  first?: number;
  timeWeighted?: number;
  scored: number;
  ambiguous: number;
  open: number;
}

export interface LedgerPage {
  decisions: LedgerDecisionView[];
  scores: LedgerScores;
  bySpace: { spaceId: string; spaceName: string; scores: LedgerScores }[];
  bins: CalibrationBin[];
  /** Decisions the person graded good process, bad outcome, and the reverse. */
  goodCallBadLuck: LedgerDecisionView[];
  badCallGoodLuck: LedgerDecisionView[];
  /**
   * Decisions with forecasts whose resolution date has come and that are not resolved, with those
   * forecasts, the oldest date first: each is resolved in one form with its outcome review.
   */
  due: { view: LedgerDecisionView; forecasts: LedgerForecast[] }[];
}

export type LedgerForecast = LedgerEntry['forecasts'][number];

/** Running sums for one set of forecasts, turned into `LedgerScores` at the end. */
class ScoreSums {
  private first = 0;
  private weighted = 0;
  private scored = 0;
  private ambiguous = 0;
  private open = 0;

  add(facts: RowFacts): void {
    this.first += facts.first;
    this.weighted += facts.weighted;
    this.scored += facts.scored;
    this.ambiguous += facts.ambiguous;
    this.open += facts.open;
  }

  scores(): LedgerScores {
    const n = this.scored;
    return {
      first: n === 0 ? undefined : this.first / n,
      timeWeighted: n === 0 ? undefined : this.weighted / n,
      scored: n,
      ambiguous: this.ambiguous,
      open: this.open,
    };
  }
}

/**
 * What the page needs of one row that does not depend on the filter: its scores summed, the
 * points it adds to the chart, when it was decided; worked out once per loaded list of rows
 * (rows are replaced, never changed, when the ledger reloads), so filtering and sorting thousands of
 * decisions adds up numbers instead of scoring every forecast again.
 */
interface RowFacts {
  time: number;
  key: string;
  first: number;
  weighted: number;
  scored: number;
  ambiguous: number;
  open: number;
  brier?: number;
  points: { probability: number; happened: boolean }[];
  text?: string;
  /** The day `status` and `due` were worked out for. */
  day?: string;
  status?: ForecastStatus;
  due?: LedgerForecast[];
}

/**
 * The facts of the last list of rows the page was given, one per row in the same order. A filter
 * or a sort passes the same list again and reuses them; a reload brings a new list. One plain
 * array, not a map keyed by row: at thousands of rows a WeakMap's bookkeeping was most of the cost.
 */
let lastFacts: { rows: readonly LedgerRow[]; facts: RowFacts[] } | undefined;

function factsOfAll(rows: readonly LedgerRow[]): RowFacts[] {
  if (lastFacts?.rows !== rows) lastFacts = { rows, facts: rows.map(rowFacts) };
  return lastFacts.facts;
}

function rowFacts(row: LedgerRow): RowFacts {
  const { entry } = row;
  const facts: RowFacts = {
    time: Date.parse(entry.decidedAt),
    key: `${row.loopId}:${entry.decidedAt}`,
    first: 0,
    weighted: 0,
    scored: 0,
    ambiguous: 0,
    open: 0,
    points: [],
  };
  for (const forecast of entry.forecasts) {
    if (!forecast.resolution) facts.open += 1;
    else if (forecast.resolution.outcome === 'ambiguous') facts.ambiguous += 1;
    const first = firstBrier(forecast);
    const weighted = first === undefined ? undefined : timeWeightedBrier(forecast);
    if (first === undefined || weighted === undefined) continue;
    facts.first += first;
    facts.weighted += weighted;
    facts.scored += 1;
    facts.points.push({
      probability: forecast.probability,
      happened: forecast.resolution!.outcome === 'yes',
    });
  }
  if (facts.scored > 0) facts.brier = facts.first / facts.scored;
  return facts;
}

/** The row's status and its due forecasts (oldest date first) on `today`, kept until the day changes. */
function statusOn(
  row: LedgerRow,
  facts: RowFacts,
  today: string,
): { status: ForecastStatus; due: LedgerForecast[] } {
  if (facts.day !== today || facts.status === undefined || facts.due === undefined) {
    facts.day = today;
    facts.status = decisionStatus(row.entry, today);
    facts.due = row.entry.forecasts
      .filter((forecast) => forecastStatus(forecast, today) === 'due')
      .sort((a, b) => byText(a.resolveBy, b.resolveBy));
  }
  return { status: facts.status, due: facts.due };
}

/** A forecast's own words a search looks in: its statement, criteria, reasons for updates and resolution note. */
export function forecastWords(forecast: {
  readonly statement: string;
  readonly criteria: string;
  readonly updates: readonly { readonly reason: string }[];
  readonly resolution?: { readonly note: string } | undefined;
}): string[] {
  return [
    forecast.statement,
    forecast.criteria,
    ...forecast.updates.map((update) => update.reason),
    forecast.resolution?.note ?? '',
  ];
}

/** Everything the ledger's words are looked for in, lower case. */
function searchTextOf(row: LedgerRow, cached: RowFacts): string {
  if (cached.text === undefined) {
    const { entry } = row;
    cached.text = [
      row.title,
      entry.choice,
      entry.review?.outcome ?? '',
      entry.review?.lesson ?? '',
      ...entry.forecasts.flatMap(forecastWords),
    ]
      .join('\n')
      .toLowerCase();
  }
  return cached.text;
}

/** ISO dates and times compare as strings; plain comparison is many times quicker than `localeCompare`. */
function byText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

const statusOrder: Record<ForecastStatus, number> = { due: 0, open: 1, resolved: 2 };

/**
 * Everything the ledger page shows, from the ledger's rows, the filter, the sort and today's date.
 * Scores, bins and the due list follow the filter, so "my 70 % calls in client work this year" is
 * one filter away.
 */
export function ledgerPage(
  rows: readonly LedgerRow[],
  filter: LedgerFilter,
  sort: { key: LedgerSortKey; descending: boolean },
  today: string,
): LedgerPage {
  const words = filter.words.trim().toLowerCase().split(/\s+/).filter(Boolean);
  const decisions: LedgerDecisionView[] = [];
  const points: { probability: number; happened: boolean }[] = [];
  const total = new ScoreSums();
  const bySpace = new Map<string, { spaceName: string; sums: ScoreSums }>();
  const due: LedgerPage['due'] = [];
  const allFacts = factsOfAll(rows);
  for (let index = 0; index < rows.length; index += 1) {
    const row = rows[index]!;
    const { entry } = row;
    if (filter.spaceId && row.spaceId !== filter.spaceId) continue;
    if (filter.kind && row.spaceKind !== filter.kind) continue;
    if (filter.from && entry.decidedAt.slice(0, 10) < filter.from) continue;
    if (filter.to && entry.decidedAt.slice(0, 10) > filter.to) continue;
    const facts = allFacts[index]!;
    const { status, due: dueForecasts } = statusOn(row, facts, today);
    if (filter.status !== 'all' && status !== filter.status) continue;
    if (words.length > 0) {
      const text = searchTextOf(row, facts);
      if (!words.every((word) => text.includes(word))) continue;
    }
    let space = bySpace.get(row.spaceId);
    if (!space) {
      space = { spaceName: row.spaceName, sums: new ScoreSums() };
      bySpace.set(row.spaceId, space);
    }
    total.add(facts);
    space.sums.add(facts);
    for (const point of facts.points) points.push(point);
    const view: LedgerDecisionView = { row, key: facts.key, status, brier: facts.brier, time: facts.time };
    decisions.push(view);
    if (dueForecasts.length > 0) due.push({ view, forecasts: dueForecasts });
  }
  const direction = sort.descending ? -1 : 1;
  // Space names are ranked once (when sorting by space), so sorting compares numbers, not locales.
  const spaceRank =
    sort.key === 'space'
      ? new Map(
          [...new Set(decisions.map((view) => view.row.spaceName))]
            .sort((a, b) => a.localeCompare(b))
            .map((name, index) => [name, index]),
        )
      : new Map<string, number>();
  const compare: Record<LedgerSortKey, (a: LedgerDecisionView, b: LedgerDecisionView) => number> = {
    decided: (a, b) => a.time - b.time,
    confidence: (a, b) => a.row.entry.confidence - b.row.entry.confidence,
    space: (a, b) => spaceRank.get(a.row.spaceName)! - spaceRank.get(b.row.spaceName)!,
    status: (a, b) => statusOrder[a.status] - statusOrder[b.status],
    // Unscored decisions go last whichever way the scores are sorted.
    brier: (a, b) =>
      a.brier === undefined
        ? b.brier === undefined
          ? 0
          : 1 * direction
        : b.brier === undefined
          ? -1 * direction
          : a.brier - b.brier,
  };
  const by = compare[sort.key];
  // The page opens sorted by date: that order gets a comparator of its own, the quickest there is.
  if (sort.key === 'decided')
    decisions.sort(sort.descending ? (a, b) => b.time - a.time : (a, b) => a.time - b.time);
  else decisions.sort((a, b) => direction * by(a, b) || b.time - a.time);
  due.sort((a, b) => byText(a.forecasts[0]!.resolveBy, b.forecasts[0]!.resolveBy));
  return {
    decisions,
    scores: total.scores(),
    bySpace: [...bySpace.entries()]
      .map(([spaceId, space]) => ({ spaceId, spaceName: space.spaceName, scores: space.sums.scores() }))
      .sort((a, b) => a.spaceName.localeCompare(b.spaceName)),
    bins: calibrationBins(points),
    goodCallBadLuck: decisions.filter(
      (view) => view.row.entry.grade?.process === 'good' && view.row.entry.grade.outcome === 'bad',
    ),
    badCallGoodLuck: decisions.filter(
      (view) => view.row.entry.grade?.process === 'poor' && view.row.entry.grade.outcome === 'good',
    ),
    due,
  };
}
