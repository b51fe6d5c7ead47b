/**
 * The decision ledger through the engine: forecasts recorded with a decision, updated with reasons,
 * resolved by the person, listed from the catalog alone; the migration of version-2 loop files; and
 * the rule that only the person's calls write any of it.
 */
import { cp, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';
import type { Loop } from '../../../shared/domain';
import { decisionDossier } from '../../../shared/dossier';
import { firstBrier, timeWeightedBrier } from '../../../shared/ledger';
import { recordEvents, value } from '../../../tests/helpers/engineHarness';
import { engineForEachTest } from '../../../tests/helpers/engineSession';
import type { KeelEvent } from '../../../shared/contract';
import { EventHub } from '../EventHub';
import type { LoopDocument } from '../store/documents';
import { DueForecastWatch } from './dueForecasts';

const t = engineForEachTest();

async function newLoop(title = 'Acme pricing'): Promise<Loop> {
  const space = value(await t.engine.call('createSpace', { name: 'Acme Corp', kind: 'client' }));
  return value(await t.engine.call('createLoop', { spaceId: space.id, title }));
}

const twoForecasts = [
  {
    statement: 'Churn stays under 3 % in Q3',
    probability: 70,
    resolveBy: '2027-09-30',
    criteria: 'Resolves yes if churn in Q3 is under 3 % in the board pack',
  },
  { statement: 'A competitor follows the price rise', probability: 40, resolveBy: '2027-06-30' },
];

async function decide(loopId: string): Promise<Loop> {
  return value(
    await t.engine.call('recordDecision', {
      loopId,
      choice: 'Raise the price by 6%',
      rationale: 'Costs rose 12% this year.',
      confidence: 70,
      reviewDate: '2027-09-30',
      forecasts: twoForecasts,
    }),
  );
}

/** The person's resolution of one forecast of the loop's current decision, through the one form's call. */
function resolveOne(loopId: string, forecastId: string, outcome: 'yes' | 'no' | 'ambiguous', note?: string) {
  return t.engine.call('resolveDecision', {
    loopId,
    resolutions: [{ forecastId, outcome, ...(note === undefined ? {} : { note }) }],
  });
}

describe('forecasts', () => {
  it('are recorded with the decision, updated with reasons and resolved by the person', async () => {
    const loop = await newLoop();
    const decided = await decide(loop.id);
    const [churn, rival] = decided.decision!.forecasts;
    expect(churn).toMatchObject({ ...twoForecasts[0], updates: [] });
    expect(rival).toMatchObject({ ...twoForecasts[1], criteria: '', updates: [] });
    expect(churn!.id).not.toBe(rival!.id);

    const updated = value(
      await t.engine.call('updateForecast', {
        loopId: loop.id,
        forecastId: churn!.id,
        probability: 85,
        reason: 'Renewals came in early',
      }),
    );
    expect(updated.decision!.forecasts[0]!.updates).toMatchObject([
      { probability: 85, reason: 'Renewals came in early' },
    ]);
    expect(updated.decision!.forecasts[0]!.probability).toBe(70);

    value(await resolveOne(loop.id, churn!.id, 'yes', 'Board pack: 2.1 %'));
    const resolved = value(await resolveOne(loop.id, rival!.id, 'ambiguous')).loop;
    const [first, second] = resolved.decision!.forecasts;
    expect(first!.resolution).toMatchObject({ outcome: 'yes', note: 'Board pack: 2.1 %' });
    expect(second!.resolution).toMatchObject({ outcome: 'ambiguous', note: '' });
    // Scored from what the person wrote: the gut call of 70 % that came true is (0.7 − 1)² = 0.09;
    // the ambiguous one is not scored at all.
    expect(firstBrier(first!)).toBeCloseTo(0.09, 12);
    expect(firstBrier(second!)).toBeUndefined();
    expect(timeWeightedBrier(second!)).toBeUndefined();

    const again = await resolveOne(loop.id, churn!.id, 'no');
    expect(again).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const late = await t.engine.call('updateForecast', {
      loopId: loop.id,
      forecastId: churn!.id,
      probability: 10,
      reason: 'Too late',
    });
    expect(late).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    if (!late.ok) expect(late.error.message).toMatch(/already resolved/);
  });

  it('refuse a certainty, an empty statement and an update without a reason', async () => {
    const loop = await newLoop();
    const certain = await t.engine.call('recordDecision', {
      loopId: loop.id,
      choice: 'Raise',
      confidence: 90,
      forecasts: [{ statement: 'It works', probability: 100 }],
    });
    expect(certain).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    if (!certain.ok) expect(certain.error.message).toMatch(/at most 99/);
    const empty = await t.engine.call('recordDecision', {
      loopId: loop.id,
      choice: 'Raise',
      confidence: 90,
      forecasts: [{ statement: '  ', probability: 60 }],
    });
    expect(empty).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const decided = await decide(loop.id);
    const noReason = await t.engine.call('updateForecast', {
      loopId: loop.id,
      forecastId: decided.decision!.forecasts[0]!.id,
      probability: 60,
      reason: ' ',
    });
    expect(noReason).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'reason' } });
    const unknown = await resolveOne(loop.id, 'fc-not-there', 'yes');
    expect(unknown).toMatchObject({ ok: false, error: { code: 'not-found' } });
  });

  it('keep the grade of process apart from outcome', async () => {
    const loop = await newLoop();
    await decide(loop.id);
    const graded = value(
      await t.engine.call('gradeDecision', {
        loopId: loop.id,
        process: 'good',
        outcome: 'bad',
        note: 'Sound reasoning; the market turned',
      }),
    );
    expect(graded.decision!.grade).toMatchObject({ process: 'good', outcome: 'bad' });
    const rows = value(await t.engine.call('getLedger', {}));
    expect(rows[0]!.entry.grade).toMatchObject({ process: 'good', outcome: 'bad' });
  });
});

describe('resolving a decision in one form', () => {
  it('resolves each forecast and records the outcome review together; the lesson can be kept as memory', async () => {
    const loop = await newLoop();
    const decided = await decide(loop.id);
    const [churn, rival] = decided.decision!.forecasts;
    const result = value(
      await t.engine.call('resolveDecision', {
        loopId: loop.id,
        resolutions: [
          { forecastId: churn!.id, outcome: 'yes', note: 'Board pack: 2.1 %' },
          { forecastId: rival!.id, outcome: 'no', note: 'Nobody followed' },
        ],
        review: {
          outcome: 'Revenue up 5 %, churn flat',
          lesson: 'Price rises hold when costs are public',
          keepLesson: true,
        },
      }),
    );
    const decision = result.loop.decision!;
    expect(decision.forecasts.map((forecast) => forecast.resolution?.outcome)).toEqual(['yes', 'no']);
    expect(decision.review).toMatchObject({
      outcome: 'Revenue up 5 %, churn flat',
      lesson: 'Price rises hold when costs are public',
      memoryId: result.memory!.item.id,
    });
    const memories = value(await t.engine.call('listMemories', {}));
    expect(memories.find((item) => item.id === result.memory!.item.id)?.text).toContain(
      'Price rises hold when costs are public',
    );
    // The ledger lists the review with the resolutions.
    const [row] = value(await t.engine.call('getLedger', {}));
    expect(row!.entry).toMatchObject({
      reviewed: true,
      review: { outcome: 'Revenue up 5 %, churn flat', lesson: 'Price rises hold when costs are public' },
    });
    // The review is written once.
    const again = await t.engine.call('resolveDecision', {
      loopId: loop.id,
      review: { outcome: 'Second thoughts' },
    });
    expect(again).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('writes nothing, and keeps no lesson, when one part is refused', async () => {
    const loop = await newLoop();
    const decided = await decide(loop.id);
    const [churn, rival] = decided.decision!.forecasts;
    value(await resolveOne(loop.id, rival!.id, 'no'));
    const memoriesBefore = value(await t.engine.call('listMemories', {})).length;
    const refused = await t.engine.call('resolveDecision', {
      loopId: loop.id,
      resolutions: [
        { forecastId: churn!.id, outcome: 'yes' },
        { forecastId: rival!.id, outcome: 'yes' },
      ],
      review: { outcome: 'It went fine', lesson: 'A lesson that must not be kept' },
    });
    expect(refused).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    if (!refused.ok) expect(refused.error.message).toMatch(/already resolved/);
    const after = value(await t.engine.call('getLoop', { loopId: loop.id }));
    expect(after.decision!.forecasts[0]!.resolution).toBeUndefined();
    expect(after.decision!.review).toBeUndefined();
    expect(value(await t.engine.call('listMemories', {}))).toHaveLength(memoriesBefore);
    const empty = await t.engine.call('resolveDecision', { loopId: loop.id });
    expect(empty).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('resolves an earlier decision of a reopened loop, and keeps no memory when not asked', async () => {
    const loop = await newLoop();
    const first = await decide(loop.id);
    value(await t.engine.call('reopenLoop', { loopId: loop.id }));
    value(
      await t.engine.call('recordDecision', { loopId: loop.id, choice: 'Wait a quarter', confidence: 50 }),
    );
    const result = value(
      await t.engine.call('resolveDecision', {
        loopId: loop.id,
        decidedAt: first.decision!.decidedAt,
        resolutions: [{ forecastId: first.decision!.forecasts[0]!.id, outcome: 'ambiguous' }],
        review: { outcome: 'The board changed the plan', lesson: 'Ask the board first', keepLesson: false },
      }),
    );
    expect(result.memory).toBeUndefined();
    expect(result.loop.pastDecisions[0]!.forecasts[0]!.resolution?.outcome).toBe('ambiguous');
    expect(result.loop.pastDecisions[0]!.review).toMatchObject({ lesson: 'Ask the board first' });
    expect(result.loop.pastDecisions[0]!.review?.memoryId).toBeUndefined();
    expect(result.loop.decision!.review).toBeUndefined();
  });
});

describe('catalogs of version 1', () => {
  it('upgrade: the ledger indexes the loops again, so the update reasons and the old review show', async () => {
    await t.engine.close();
    // Real files written by the previous version: a catalog of version 1 and its loop (version 3),
    // decided with a forecast updated with a reason, and reviewed through the old, separate review.
    const fixture = join(import.meta.dirname, '../../../tests/fixtures/ledgerCatalogVersion1');
    await cp(join(fixture, 'catalog.json'), join(t.dataDir, 'catalog.json'));
    await cp(join(fixture, 'loops'), join(t.dataDir, 'loops'), { recursive: true });
    t.engine = await t.open();
    const [row] = value(await t.engine.call('getLedger', {}));
    expect(row!.entry.forecasts[0]!.updates).toMatchObject([
      { probability: 80, reason: 'Renewals came in early' },
    ]);
    expect(row!.entry).toMatchObject({ reviewed: true, review: { outcome: 'Churn rose to 5%.' } });
    const loop = value(await t.engine.call('getLoop', { loopId: row!.loopId }));
    expect(loop.decision!.review).toMatchObject({ comparedWithPrediction: 'worse' });
    // The forecast the old review left open is resolved in the one form; the review stays as it was.
    const resolved = value(
      await t.engine.call('resolveDecision', {
        loopId: loop.id,
        resolutions: [{ forecastId: loop.decision!.forecasts[0]!.id, outcome: 'no' }],
      }),
    );
    expect(resolved.loop.decision!.review).toMatchObject({ outcome: 'Churn rose to 5%.' });
    await t.engine.close();
    const onDisk = JSON.parse(await readFile(join(t.dataDir, 'catalog.json'), 'utf8')) as { version: number };
    expect(onDisk.version).toBe(2);
    t.engine = await t.open();
  });
});

describe('the ledger', () => {
  it('lists every decision from the catalog, without reading a loop file', async () => {
    const first = await newLoop('Acme pricing');
    await decide(first.id);
    const second = await newLoop('Hiring plan');
    value(await t.engine.call('recordDecision', { loopId: second.id, choice: 'Hire two', confidence: 60 }));
    value(await t.engine.call('reopenLoop', { loopId: second.id }));
    await newLoop('Not decided');
    await t.engine.close();
    // With the loop files gone, only the catalog can answer.
    await rename(join(t.dataDir, 'loops'), join(t.dataDir, 'loops-away'));
    t.engine = await t.open();
    const rows = value(await t.engine.call('getLedger', {}));
    expect(rows.map((row) => [row.title, row.current, row.entry.choice])).toEqual(
      expect.arrayContaining([
        ['Acme pricing', true, 'Raise the price by 6%'],
        ['Hiring plan', false, 'Hire two'],
      ]),
    );
    expect(rows).toHaveLength(2);
    const acme = rows.find((row) => row.title === 'Acme pricing')!;
    expect(acme).toMatchObject({ spaceName: 'Acme Corp', spaceKind: 'client' });
    expect(acme.entry.forecasts.map((forecast) => forecast.probability)).toEqual([70, 40]);
    await rename(join(t.dataDir, 'loops-away'), join(t.dataDir, 'loops'));
  });

  it('is refused while Keel is locked, and its catalog entries are encrypted with the rest', async () => {
    const loop = await newLoop();
    await decide(loop.id);
    value(await t.engine.call('setPassphrase', { passphrase: 'correct horse battery' }));
    value(await t.engine.call('lock', {}));
    expect(await t.engine.call('getLedger', {})).toMatchObject({ ok: false, error: { code: 'locked' } });
    await t.engine.close();
    const catalog = await readFile(join(t.dataDir, 'catalog.json'));
    expect(catalog.includes('Churn stays under')).toBe(false);
    t.engine = await t.open();
    value(await t.engine.call('unlock', { passphrase: 'correct horse battery' }));
    const rows = value(await t.engine.call('getLedger', {}));
    expect(rows[0]!.entry.forecasts[0]!.statement).toBe('Churn stays under 3 % in Q3');
  });

  it('finds forecasts and resolutions in search', async () => {
    const loop = await newLoop();
    const decided = await decide(loop.id);
    value(await resolveOne(loop.id, decided.decision!.forecasts[1]!.id, 'no', 'Nobody matched the increase'));
    const byForecast = value(await t.engine.call('search', { query: 'competitor follows' }));
    expect(byForecast.some((result) => result.kind === 'decision' && result.loopId === loop.id)).toBe(true);
    const byResolution = value(await t.engine.call('search', { query: 'nobody matched' }));
    expect(byResolution.some((result) => result.kind === 'decision' && result.loopId === loop.id)).toBe(true);
    // The outcome review is found too, and still once the loop is reopened (an earlier decision).
    value(
      await t.engine.call('resolveDecision', {
        loopId: loop.id,
        review: { outcome: 'Margins widened in the autumn', lesson: 'Publish cost increases first' },
      }),
    );
    value(await t.engine.call('reopenLoop', { loopId: loop.id }));
    for (const query of ['margins widened', 'publish cost increases']) {
      const found = value(await t.engine.call('search', { query }));
      expect(found.some((result) => result.kind === 'decision' && result.loopId === loop.id)).toBe(true);
    }
  });
});

describe('the dossier', () => {
  async function aiMove(loopId: string, move: 'explore' | 'challenge', text: string) {
    t.fake.queueReply({ text });
    const recorder = recordEvents(t.engine);
    const started = value(await t.engine.call('requestMove', { loopId, move }));
    const finished = await recorder.next('turn.finished', (event) => event.turn.id === started.id);
    recorder.stop();
    return finished.turn;
  }

  it('links the decision to the turns kept or pinned, the challenges and the draft of the time, in the export', async () => {
    const loop = await newLoop();
    const kept = await aiMove(loop.id, 'explore', 'KEPTIDEA raise prices for new customers only');
    const pinned = await aiMove(loop.id, 'explore', 'PINNEDIDEA costs rose twelve percent');
    const aside = await aiMove(loop.id, 'explore', 'ASIDEIDEA cut prices');
    value(await t.engine.call('steerTurn', { loopId: loop.id, turnId: kept.id, state: 'kept' }));
    value(await t.engine.call('steerTurn', { loopId: loop.id, turnId: pinned.id, state: 'pinned' }));
    value(
      await t.engine.call('steerTurn', {
        loopId: loop.id,
        turnId: aside.id,
        state: 'set-aside',
        reason: 'No',
      }),
    );
    await aiMove(loop.id, 'challenge', 'CHALLENGED what if churn doubles');
    value(await t.engine.call('saveDraft', { loopId: loop.id, text: 'Raise by 6% for new customers.' }));
    const decided = await decide(loop.id);
    // The draft of the time is kept as a version, so the dossier can point at it.
    expect(decided.draftVersions.at(-1)).toMatchObject({
      text: 'Raise by 6% for new customers.',
      note: 'At the decision',
    });
    // A turn after the decision did not inform it.
    const later = await aiMove(loop.id, 'explore', 'LATERIDEA after the fact');
    value(await t.engine.call('steerTurn', { loopId: loop.id, turnId: later.id, state: 'kept' }));

    const exported = value(await t.engine.call('exportLoop', { loopId: loop.id, format: 'markdown' }));
    const markdown = Buffer.from(exported.base64, 'base64').toString('utf8');
    const dossier = markdown.slice(
      markdown.indexOf('## What informed the decision'),
      markdown.indexOf('## Draft'),
    );
    expect(dossier).toContain('KEPTIDEA');
    expect(dossier).toContain('PINNEDIDEA');
    expect(dossier).toContain('CHALLENGED');
    expect(dossier).toMatch(/Draft at the time:\*\* the version of \d{4}-\d{2}-\d{2} \(at the decision\)/);
    expect(dossier).not.toContain('ASIDEIDEA');
    expect(dossier).not.toContain('LATERIDEA');
    // The forecasts go out with the decision.
    expect(markdown).toContain('70%: Churn stays under 3 % in Q3, resolves by 2027-09-30');
  });
  it('keeps each earlier decision’s own dossier and draft, in the loop and in the export', async () => {
    const loop = await newLoop();
    const firstIdea = await aiMove(loop.id, 'explore', 'FIRSTIDEA hold the price for a year');
    value(await t.engine.call('steerTurn', { loopId: loop.id, turnId: firstIdea.id, state: 'kept' }));
    await aiMove(loop.id, 'challenge', 'FIRSTCHALLENGE what if costs keep rising');
    value(await t.engine.call('saveDraft', { loopId: loop.id, text: 'FIRSTDRAFT: hold the price.' }));
    value(
      await t.engine.call('recordDecision', { loopId: loop.id, choice: 'Hold the price', confidence: 60 }),
    );
    value(await t.engine.call('reopenLoop', { loopId: loop.id }));
    const secondIdea = await aiMove(loop.id, 'explore', 'SECONDIDEA raise for new customers');
    value(await t.engine.call('steerTurn', { loopId: loop.id, turnId: secondIdea.id, state: 'pinned' }));
    value(await t.engine.call('saveDraft', { loopId: loop.id, text: 'SECONDDRAFT: raise by 6%.' }));
    const decided = await decide(loop.id);

    // The links: the earlier decision keeps the turns and draft of its own time, the current one its own.
    const [earlier] = decided.pastDecisions;
    const before = decisionDossier(decided, earlier!);
    expect(before.turns.map((turn) => turn.id)).toEqual([firstIdea.id]);
    expect(before.challenges.map((turn) => turn.text)).toEqual(['FIRSTCHALLENGE what if costs keep rising']);
    expect(before.draftVersion?.text).toBe('FIRSTDRAFT: hold the price.');
    const now = decisionDossier(decided, decided.decision!);
    expect(now.turns.map((turn) => turn.id)).toEqual([secondIdea.id]);
    expect(now.challenges).toEqual([]);
    expect(now.draftVersion?.text).toBe('SECONDDRAFT: raise by 6%.');

    const exported = value(await t.engine.call('exportLoop', { loopId: loop.id, format: 'markdown' }));
    const markdown = Buffer.from(exported.base64, 'base64').toString('utf8');
    const current = markdown.slice(
      markdown.indexOf('## What informed the decision'),
      markdown.indexOf('## Earlier'),
    );
    expect(current).toContain('SECONDIDEA');
    expect(current).not.toContain('FIRSTIDEA');
    const past = markdown.slice(markdown.indexOf('## Earlier decisions'), markdown.indexOf('## Draft'));
    expect(past).toContain('**Choice:** Hold the price');
    expect(past).toContain('#### What informed the decision');
    expect(past).toContain('FIRSTIDEA');
    expect(past).toContain('FIRSTCHALLENGE');
    expect(past).toContain('> FIRSTDRAFT: hold the price.');
    expect(past).not.toContain('SECONDIDEA');
  });
});

describe('forecasts due', () => {
  it('are announced once each, from the catalog, and not at all when the person turned it off', async () => {
    const loop = await newLoop();
    await decide(loop.id);
    const workspace = t.engine.dataFolder()!;
    const events = new EventHub();
    const heard: KeelEvent[] = [];
    events.on((event) => heard.push(event));
    let enabled = true;
    const watch = new DueForecastWatch(
      () => workspace.store.catalog.data.loops,
      events,
      () => enabled,
    );
    expect(watch.check('2027-06-29')).toEqual([]);
    // The second forecast resolves by 2027-06-30, the first by 2027-09-30.
    expect(watch.check('2027-06-30').map((due) => due.statement)).toEqual([
      'A competitor follows the price rise',
    ]);
    expect(watch.check('2027-07-01')).toEqual([]);
    enabled = false;
    expect(watch.check('2027-10-01')).toEqual([]);
    enabled = true;
    expect(watch.check('2027-10-01').map((due) => due.statement)).toEqual(['Churn stays under 3 % in Q3']);
    expect(heard.map((event) => event.type)).toEqual(['forecasts.due', 'forecasts.due']);
    expect(heard[0]).toMatchObject({
      forecasts: [{ loopId: loop.id, title: 'Acme pricing', resolveBy: '2027-06-30' }],
    });
  });
});

describe('loop files of version 2', () => {
  it('upgrade: a prediction at its confidence becomes one forecast, and the ledger indexes the loop once', async () => {
    const space = value(await t.engine.call('createSpace', { name: 'Acme Corp', kind: 'client' }));
    await t.engine.close();
    // A real file written by the previous version, and a catalog entry as that version wrote it.
    const fixture = await readFile(
      join(import.meta.dirname, '../../../tests/fixtures/loopVersion2.json'),
      'utf8',
    );
    const loopId = (JSON.parse(fixture) as { id: string }).id;
    await writeFile(join(t.dataDir, 'loops', `${loopId}.json`), fixture);
    const catalogPath = join(t.dataDir, 'catalog.json');
    const catalog = JSON.parse(await readFile(catalogPath, 'utf8')) as { loops: unknown[] };
    catalog.loops.push({
      id: loopId,
      spaceId: space.id,
      title: 'Acme pricing',
      archived: false,
      stage: 'decide',
      turnCount: 1,
      decided: true,
      reviewDue: '2027-03-31',
      createdAt: '2026-11-01T10:00:00.000Z',
      updatedAt: '2026-11-02T10:00:00.000Z',
    });
    await writeFile(catalogPath, JSON.stringify(catalog));

    t.engine = await t.open();
    const rows = value(await t.engine.call('getLedger', {}));
    expect(rows.map((row) => [row.entry.choice, row.current])).toEqual([
      ['Wait for the board', false],
      ['Hold the price', false],
      ['Raise the price by 6%', true],
    ]);
    const loop = value(await t.engine.call('getLoop', { loopId }));
    expect(loop.decision!.forecasts).toEqual([
      {
        id: expect.stringMatching(/^fc-/),
        statement: 'Churn stays under 3%',
        probability: 70,
        resolveBy: '2027-03-31',
        criteria: '',
        createdAt: '2026-11-02T10:00:00.000Z',
        updates: [],
      },
    ]);
    // Everything else stays as it was; a confidence of 100 % becomes 99 %, and no prediction, no forecast.
    expect(loop.decision).toMatchObject({
      choice: 'Raise the price by 6%',
      prediction: 'Churn stays under 3%',
    });
    expect(loop.pastDecisions.map((decision) => decision.forecasts.map((f) => f.probability))).toEqual([
      [],
      [99],
    ]);
    expect(loop.turns).toHaveLength(1);

    // The forecast can be resolved, and the file is written as version 3.
    value(await resolveOne(loopId, loop.decision!.forecasts[0]!.id, 'yes'));
    const onDisk = JSON.parse(await readFile(join(t.dataDir, 'loops', `${loopId}.json`), 'utf8')) as {
      version: number;
    };
    expect(onDisk.version).toBe(3);
    await t.engine.close();
    const savedCatalog = JSON.parse(await readFile(catalogPath, 'utf8')) as {
      loops: { id: string; ledger?: unknown[] }[];
    };
    expect(savedCatalog.loops.find((entry) => entry.id === loopId)!.ledger).toHaveLength(3);
    t.engine = await t.open();
  });
});

describe('only the person writes forecasts', () => {
  it('no engine module but the decision service may name the writable loop file (an import rule)', async () => {
    const eslint = new ESLint({ cwd: join(import.meta.dirname, '../../..') });
    const attempt = [
      "import type { WritableLoopDocument } from '../store/documents';",
      'export type Sneaky = WritableLoopDocument;',
      '',
    ].join('\n');
    for (const filePath of [
      'electron/engine/loops/MoveRunner.ts',
      'electron/engine/memory/MemoryService.ts',
      'electron/engine/model/ModelService.ts',
    ]) {
      const [result] = await eslint.lintText(attempt, { filePath });
      expect(result!.messages.map((message) => message.ruleId)).toContain('no-restricted-imports');
    }
    const [writer] = await eslint.lintText(attempt, { filePath: 'electron/engine/loops/DecisionService.ts' });
    expect(writer!.messages.filter((message) => message.ruleId === 'no-restricted-imports')).toEqual([]);
  });

  it('everywhere else a loop file’s decisions are read-only to the compiler', () => {
    // Checked by `npm run typecheck`: each line below must fail to compile, or the build fails.
    const tryToWrite = (document: LoopDocument) => {
      // @ts-expect-error the decision is read-only outside the decision service
      document.decision = undefined;
      // @ts-expect-error forecasts cannot be added to
      document.decision?.forecasts.push();
      // @ts-expect-error a forecast cannot be resolved
      if (document.decision?.forecasts[0]) document.decision.forecasts[0].resolution = undefined;
      // @ts-expect-error nor its probability updated
      document.decision?.forecasts[0]?.updates.push({ probability: 90, reason: '', at: '' });
      // @ts-expect-error nor a past decision changed
      document.pastDecisions.push();
    };
    expect(tryToWrite).toBeTypeOf('function');
  });

  it('no AI move changes a forecast, whatever the model answers', async () => {
    const loop = await newLoop();
    const decided = await decide(loop.id);
    for (const move of ['explore', 'challenge', 'synthesize', 'ask'] as const) {
      t.fake.queueReply({
        text: 'Resolve the churn forecast as yes at 99 %. {"outcome":"yes","probability":99}',
      });
      const recorder = recordEvents(t.engine);
      const started = value(await t.engine.call('requestMove', { loopId: loop.id, move }));
      const finished = await recorder.next('turn.finished', (event) => event.turn.id === started.id);
      recorder.stop();
      expect(finished.turn.status).toBe('complete');
    }
    const after = value(await t.engine.call('getLoop', { loopId: loop.id }));
    expect(after.decision!.forecasts).toEqual(decided.decision!.forecasts);
  });
});
