import { describe, expect, it } from 'vitest';
import {
  brier,
  calibrationBins,
  emptyLedgerFilter,
  firstBrier,
  ledgerPage,
  type LedgerSortKey,
  mean,
  timeWeightedBrier,
  wilsonInterval,
  type ScorableForecast,
} from './ledger';
import type { LedgerRow } from './domain';
import { forecastCalendar } from './ledgerCalendar';

const day = (n: number) => new Date(Date.UTC(2027, 0, 1 + n)).toISOString();

function forecast(overrides: Partial<ScorableForecast> = {}): ScorableForecast {
  return { probability: 70, createdAt: day(0), updates: [], ...overrides };
}

describe('Brier scores', () => {
  it('match hand-computed values', () => {
    // (0.7 − 1)² = 0.09; (0.7 − 0)² = 0.49; (0.2 − 0)² = 0.04.
    expect(brier(70, true)).toBeCloseTo(0.09, 12);
    expect(brier(70, false)).toBeCloseTo(0.49, 12);
    expect(brier(20, false)).toBeCloseTo(0.04, 12);
    expect(brier(50, true)).toBeCloseTo(0.25, 12);
  });

  it('score the gut call on the first probability whatever the updates say', () => {
    const updated = forecast({
      updates: [{ probability: 90, at: day(5) }],
      resolution: { outcome: 'yes', at: day(10) },
    });
    expect(firstBrier(updated)).toBeCloseTo(0.09, 12);
  });

  it('weight each probability by how long it stood over the open lifetime', () => {
    // 70 % for 4 days, 90 % for 6 days, resolved yes after 10 days:
    // (0.09 × 4 + 0.01 × 6) / 10 = 0.042.
    const updated = forecast({
      updates: [{ probability: 90, at: day(4) }],
      resolution: { outcome: 'yes', at: day(10) },
    });
    expect(timeWeightedBrier(updated)).toBeCloseTo(0.042, 12);
    // 60 % for 1 day, 20 % for 1 day, 10 % for 2 days, resolved no:
    // (0.36 × 1 + 0.04 × 1 + 0.01 × 2) / 4 = 0.105.
    const twice = forecast({
      probability: 60,
      updates: [
        { probability: 20, at: day(1) },
        { probability: 10, at: day(2) },
      ],
      resolution: { outcome: 'no', at: day(4) },
    });
    expect(timeWeightedBrier(twice)).toBeCloseTo(0.105, 12);
  });

  it('equal the plain score when never updated, and the last score for a zero-length life', () => {
    expect(timeWeightedBrier(forecast({ resolution: { outcome: 'no', at: day(3) } }))).toBeCloseTo(0.49, 12);
    const instant = forecast({ updates: [], resolution: { outcome: 'yes', at: day(0) } });
    expect(timeWeightedBrier(instant)).toBeCloseTo(0.09, 12);
  });

  it('leave out ambiguous and open forecasts instead of scoring them', () => {
    expect(firstBrier(forecast({ resolution: { outcome: 'ambiguous', at: day(2) } }))).toBeUndefined();
    expect(timeWeightedBrier(forecast())).toBeUndefined();
    expect(mean([])).toBeUndefined();
    expect(mean([0.09, 0.49])).toBeCloseTo(0.29, 12);
  });
});

describe('calibration bins', () => {
  it('put each stated probability in its 10 %-wide bin, with counts and observed frequency', () => {
    const bins = calibrationBins([
      { probability: 70, happened: true },
      { probability: 75, happened: true },
      { probability: 79, happened: false },
      { probability: 99, happened: true },
      { probability: 5, happened: false },
    ]);
    expect(bins).toHaveLength(10);
    expect(bins[7]).toMatchObject({ from: 70, to: 80, count: 3, yes: 2 });
    expect(bins[7]!.observed).toBeCloseTo(2 / 3, 12);
    expect(bins[7]!.stated).toBeCloseTo(0.74666666, 6);
    expect(bins[9]).toMatchObject({ from: 90, to: 100, count: 1, yes: 1, observed: 1 });
    expect(bins[0]).toMatchObject({ count: 1, yes: 0, observed: 0 });
    expect(bins[3]).toEqual({ from: 30, to: 40, count: 0, yes: 0 });
  });

  it('give a Wilson 95 % interval on the observed frequency', () => {
    // 2 of 3: centre (0.6667 + 0.6403) / 2.2805 = 0.5730, half-width 0.4234 → 0.2077 to 0.9385.
    const { low, high } = wilsonInterval(2, 3);
    expect(low).toBeCloseTo(0.2077, 3);
    expect(high).toBeCloseTo(0.9385, 3);
    // 8 of 10: the textbook 0.4902 to 0.9433.
    const ten = wilsonInterval(8, 10);
    expect(ten.low).toBeCloseTo(0.4902, 3);
    expect(ten.high).toBeCloseTo(0.9433, 3);
    expect(wilsonInterval(0, 0)).toEqual({ low: 0, high: 1 });
  });
});

describe('the ledger page', () => {
  const row = (
    loopId: string,
    spaceId: string,
    kind: 'client' | 'journal',
    decidedAt: string,
    forecasts: LedgerRow['entry']['forecasts'],
    grade?: LedgerRow['entry']['grade'],
  ): LedgerRow => ({
    loopId,
    spaceId,
    spaceName: spaceId === 'sp-acme' ? 'Acme' : 'Journal',
    spaceKind: kind,
    title: `Loop ${loopId}`,
    current: true,
    entry: {
      choice: `Choice ${loopId}`,
      confidence: 60,
      decidedAt,
      reviewDate: '',
      reviewed: false,
      forecasts,
      ...(grade ? { grade } : {}),
    },
  });
  const f = (id: string, probability: number, resolveBy: string, outcome?: 'yes' | 'no' | 'ambiguous') => ({
    id,
    statement: `Statement ${id}`,
    probability,
    resolveBy,
    criteria: '',
    createdAt: day(0),
    updates: [],
    ...(outcome ? { resolution: { outcome, note: `note ${id}`, at: day(5) } } : {}),
  });
  const rows = [
    row(
      'lp-a',
      'sp-acme',
      'client',
      day(0),
      [f('fc-a1', 70, '2027-01-03', 'yes'), f('fc-a2', 40, '2027-01-04', 'no')],
      {
        process: 'good',
        outcome: 'bad',
        note: '',
        at: day(6),
      },
    ),
    row('lp-b', 'sp-acme', 'client', day(1), [f('fc-b1', 80, '2027-01-02')]),
    row('lp-c', 'sp-journal', 'journal', day(2), [
      f('fc-c1', 90, '2027-03-01', 'ambiguous'),
      f('fc-c2', 20, ''),
    ]),
  ];
  const sort: { key: LedgerSortKey; descending: boolean } = { key: 'decided', descending: true };

  it('scores overall and per space, leaves out ambiguous ones, lists what is due and the graded calls', () => {
    const page = ledgerPage(rows, emptyLedgerFilter, sort, '2027-01-10');
    // ((0.7 − 1)² + (0.4 − 0)²) / 2 = 0.125, from the two resolved yes or no.
    expect(page.scores).toMatchObject({ scored: 2, ambiguous: 1, open: 2 });
    expect(page.scores.first).toBeCloseTo(0.125, 12);
    expect(page.bySpace.map((space) => [space.spaceName, space.scores.scored])).toEqual([
      ['Acme', 2],
      ['Journal', 0],
    ]);
    expect(page.due.map((item) => [item.view.row.loopId, item.forecasts.map((f) => f.id)])).toEqual([
      ['lp-b', ['fc-b1']],
    ]);
    expect(page.decisions.map((view) => [view.row.loopId, view.status])).toEqual([
      ['lp-c', 'open'],
      ['lp-b', 'due'],
      ['lp-a', 'resolved'],
    ]);
    expect(page.goodCallBadLuck.map((view) => view.row.loopId)).toEqual(['lp-a']);
    expect(page.bins[7]).toMatchObject({ count: 1, yes: 1 });
  });

  it('filters by status, space, kind, period and words, and sorts by confidence or score', () => {
    const ids = (filter: Partial<typeof emptyLedgerFilter>, by = sort) =>
      ledgerPage(rows, { ...emptyLedgerFilter, ...filter }, by, '2027-01-10').decisions.map(
        (v) => v.row.loopId,
      );
    expect(ids({ status: 'due' })).toEqual(['lp-b']);
    expect(ids({ kind: 'journal' })).toEqual(['lp-c']);
    expect(ids({ spaceId: 'sp-acme' })).toEqual(['lp-b', 'lp-a']);
    expect(ids({ from: day(1).slice(0, 10), to: day(1).slice(0, 10) })).toEqual(['lp-b']);
    expect(ids({ words: 'note fc-a2' })).toEqual(['lp-a']);
    expect(ids({}, { key: 'brier', descending: false })[0]).toBe('lp-a');
  });

  it('finds a decision by its outcome review and by an update’s reason', () => {
    const more = rows.map((one) =>
      one.loopId === 'lp-c'
        ? {
            ...one,
            entry: {
              ...one.entry,
              review: { outcome: 'The board changed the plan', lesson: 'Ask the board first', at: day(7) },
              forecasts: one.entry.forecasts.map((forecast, index) =>
                index === 1
                  ? { ...forecast, updates: [{ probability: 30, reason: 'Renewals came early', at: day(3) }] }
                  : forecast,
              ),
            },
          }
        : one,
    );
    const ids = (words: string) =>
      ledgerPage(more, { ...emptyLedgerFilter, words }, sort, '2027-01-10').decisions.map(
        (v) => v.row.loopId,
      );
    expect(ids('board changed')).toEqual(['lp-c']);
    expect(ids('ask the board')).toEqual(['lp-c']);
    expect(ids('renewals early')).toEqual(['lp-c']);
    expect(ids('renewals late')).toEqual([]);
  });
});

describe('the calendar of resolution dates', () => {
  it('has one all-day event per open dated forecast, escaped and folded', () => {
    const rows: LedgerRow[] = [
      {
        loopId: 'lp-a',
        spaceId: 'sp-a',
        spaceName: 'Acme',
        spaceKind: 'client',
        title: 'Pricing',
        current: true,
        entry: {
          choice: 'Raise; by 6%, for new customers',
          confidence: 70,
          decidedAt: day(0),
          reviewDate: '',
          reviewed: false,
          forecasts: [
            {
              id: 'fc-1',
              statement: 'Churn, under 3 %',
              probability: 70,
              resolveBy: '2027-09-30',
              criteria: 'Board pack',
              createdAt: day(0),
              updates: [],
            },
            {
              id: 'fc-2',
              statement: 'No date',
              probability: 50,
              resolveBy: '',
              criteria: '',
              createdAt: day(0),
              updates: [],
            },
            {
              id: 'fc-3',
              statement: 'Resolved',
              probability: 50,
              resolveBy: '2027-01-01',
              criteria: '',
              createdAt: day(0),
              updates: [],
              resolution: { outcome: 'yes', note: '', at: day(1) },
            },
          ],
        },
      },
    ];
    const ics = forecastCalendar(rows, '2027-01-05T10:20:30.000Z');
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(1);
    expect(ics).toContain('UID:fc-1@keel.local');
    expect(ics).toContain('DTSTAMP:20270105T102030Z');
    expect(ics).toContain('DTSTART;VALUE=DATE:20270930\r\nDTEND;VALUE=DATE:20271001');
    expect(ics).toContain('SUMMARY:Resolve: Churn\\, under 3 % (70%)');
    expect(ics.split('\r\n').every((line) => line.length <= 75)).toBe(true);
    expect(ics.replace(/\r\n /g, '')).toContain('Raise\\; by 6%\\, for new customers\\nBoard pack');
    expect(ics.endsWith('END:VCALENDAR\r\n')).toBe(true);
  });
});
