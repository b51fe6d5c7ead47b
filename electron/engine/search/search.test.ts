/**
 * Search across everything through the engine's calls: what it finds, its filters, that it follows
 * the work as it is saved, and that its index is kept on disk rather than rebuilt at start.
 */
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordEvents, value } from '../../../tests/helpers/engineHarness';
import { engineForEachTest } from '../../../tests/helpers/engineSession';

const t = engineForEachTest();

async function work() {
  const acme = value(await t.engine.call('createSpace', { name: 'Acme', kind: 'client' }));
  const globex = value(await t.engine.call('createSpace', { name: 'Globex', kind: 'client' }));
  const pricing = value(
    await t.engine.call('createLoop', {
      spaceId: acme.id,
      title: 'Pricing review',
      intent: { goal: 'Decide the subscription tiers' },
    }),
  );
  const note = value(
    await t.engine.call('addTurn', { loopId: pricing.id, text: 'Churn among small accounts worries me.' }),
  );
  t.fake.queueReply({ text: 'Option: a starter tier with annual billing.' });
  const recorder = recordEvents(t.engine);
  const move = value(await t.engine.call('requestMove', { loopId: pricing.id, move: 'explore' }));
  const answer = (await recorder.next('turn.finished', (event) => event.turn.id === move.id)).turn;
  recorder.stop();
  value(
    await t.engine.call('saveDraft', { loopId: pricing.id, text: 'We introduce a starter tier in April.' }),
  );
  value(
    await t.engine.call('recordDecision', {
      loopId: pricing.id,
      choice: 'Launch the starter tier',
      confidence: 60,
      reviewDate: '',
    }),
  );
  const other = value(await t.engine.call('createLoop', { spaceId: globex.id, title: 'Globex churn study' }));
  value(await t.engine.call('addTurn', { loopId: other.id, text: 'Churn doubled after the price change.' }));
  const memory = value(
    await t.engine.call('remember', {
      text: 'Acme reviews churn every quarter',
      scope: { type: 'space', spaceId: acme.id },
    }),
  );
  return { acme, globex, pricing, other, note, answer, memory };
}

describe('search', () => {
  it('finds loops, turns, drafts, decisions and memories, and says where to open them', async () => {
    const { acme, globex, pricing, other, note, answer, memory } = await work();

    const churn = value(await t.engine.call('search', { query: 'churn' }));
    // Two turns, the memory, and the Globex loop, whose title names it.
    expect(churn.map((result) => result.kind).sort()).toEqual(['loop', 'memory', 'turn', 'turn']);
    const noteHit = churn.find((result) => result.turnId === note.id);
    expect(noteHit).toMatchObject({
      kind: 'turn',
      spaceId: acme.id,
      loopId: pricing.id,
      title: 'Pricing review',
    });
    expect(noteHit!.snippet).toContain('Churn among small accounts');
    expect(churn.find((result) => result.kind === 'memory')).toMatchObject({ memoryId: memory.item.id });

    const tiers = value(await t.engine.call('search', { query: 'starter tier' }));
    // The decision, the draft, the AI's answer and the timeline's record of the decision.
    expect(tiers.map((result) => result.kind).sort()).toEqual(['decision', 'draft', 'turn', 'turn']);
    expect(tiers.some((result) => result.turnId === answer.id)).toBe(true);
    expect(value(await t.engine.call('search', { query: 'subscription' }))).toMatchObject([
      { kind: 'loop', loopId: pricing.id },
    ]);

    // Filters: by space, by kind, by date.
    const inGlobex = value(
      await t.engine.call('search', { query: 'churn', spaceId: globex.id, kinds: ['turn'] }),
    );
    expect(inGlobex).toMatchObject([{ kind: 'turn', loopId: other.id }]);
    const memories = value(await t.engine.call('search', { query: 'churn', kinds: ['memory'] }));
    expect(memories).toHaveLength(1);
    const today = new Date().toISOString().slice(0, 10);
    expect(value(await t.engine.call('search', { query: 'churn', from: today, to: today }))).toHaveLength(4);
    expect(value(await t.engine.call('search', { query: 'churn', to: '2001-01-01' }))).toEqual([]);
  });

  it('follows the work as it is saved: new turns, edits, forgotten memories', async () => {
    const { pricing, answer, memory } = await work();
    expect(value(await t.engine.call('search', { query: 'wholesale' }))).toEqual([]);
    const added = value(
      await t.engine.call('addTurn', { loopId: pricing.id, text: 'What about wholesale partners?' }),
    );
    expect(value(await t.engine.call('search', { query: 'wholesale' }))).toMatchObject([
      { turnId: added.id },
    ]);

    value(
      await t.engine.call('editTurn', {
        loopId: pricing.id,
        turnId: answer.id,
        text: 'Option: a freemium plan.',
      }),
    );
    expect(value(await t.engine.call('search', { query: 'freemium' }))).toMatchObject([
      { turnId: answer.id },
    ]);
    expect(value(await t.engine.call('search', { query: 'annual billing' }))).toEqual([]);

    value(await t.engine.call('forgetMemory', { memoryId: memory.item.id }));
    expect(value(await t.engine.call('search', { query: 'quarter' }))).toEqual([]);
  });

  it('keeps its index on disk: a restart reads it instead of rebuilding, and catches up with what changed', async () => {
    const { pricing } = await work();
    value(await t.engine.call('search', { query: 'churn' }));
    await t.engine.close();
    const indexFile = join(t.dataDir, 'search', 'index.json');
    expect((await stat(indexFile)).size).toBeGreaterThan(500);

    // Change the loop's file behind Keel's back, keeping the catalog as it was: an index read from
    // disk still knows the old words; a rebuilt one would know only the new.
    const loopPath = join(t.dataDir, 'loops', `${pricing.id}.json`);
    const file = await readFile(loopPath, 'utf8');
    await writeFile(loopPath, file.replaceAll('wholesome', 'x').replaceAll('Churn among', 'Attrition among'));
    t.engine = await t.open();
    expect(value(await t.engine.call('search', { query: 'attrition' }))).toEqual([]);
    expect(
      value(await t.engine.call('search', { query: 'churn', spaceId: pricing.spaceId, kinds: ['turn'] })),
    ).toHaveLength(1);

    // A change made through Keel after the restart is indexed.
    value(
      await t.engine.call('addTurn', { loopId: pricing.id, text: 'Attrition is the board’s word for it.' }),
    );
    expect(value(await t.engine.call('search', { query: 'attrition' }))).toHaveLength(2);
  });

  it('says what a bad query or filter is', async () => {
    expect(await t.engine.call('search', { query: '   ' })).toMatchObject({
      ok: false,
      error: { field: 'query' },
    });
    expect(await t.engine.call('search', { query: 'x', from: 'yesterday' })).toMatchObject({
      ok: false,
      error: { field: 'from' },
    });
  });
});
