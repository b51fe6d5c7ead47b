/**
 * Learning memory through the engine's calls, on a real data folder and the fake Ollama: capture,
 * merge, supersede with history, scope walls, the budget, "not relevant", forget (gone from disk),
 * Learn, decision reviews, steering suggestions, embeddings when installed and the patterns move.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { AiMove, Loop, MemoryScope } from '../../../shared/domain';
import { type FakeReply } from '../../../tests/fixtures/fakeOllama';
import { recordEvents, value } from '../../../tests/helpers/engineHarness';
import { engineForEachTest } from '../../../tests/helpers/engineSession';

const t = engineForEachTest();

interface ChatBody {
  messages: { role: string; content: string }[];
  format?: unknown;
}

async function spaceWithLoop(name: string, kind: 'client' | 'journal' = 'client') {
  const space = value(await t.engine.call('createSpace', { name, kind }));
  const loop = value(await t.engine.call('createLoop', { spaceId: space.id, title: `${name} board memo` }));
  return { space, loop };
}

async function move(loopId: string, move: AiMove, reply: FakeReply = { text: 'An answer.' }, extra = {}) {
  t.fake.queueReply(reply);
  const recorder = recordEvents(t.engine);
  const started = value(await t.engine.call('requestMove', { loopId, move, ...extra }));
  const finished = await recorder.next('turn.finished', (event) => event.turn.id === started.id);
  recorder.stop();
  const chat = t.fake.requests.filter((r) => r.path === '/api/chat' && !(r.body as ChatBody).format).at(-1)!
    .body as ChatBody;
  return { turn: finished.turn, sent: chat.messages.map((m) => m.content).join('\n') };
}

const space = (spaceId: string): MemoryScope => ({ type: 'space', spaceId });

async function memoryFiles(): Promise<string> {
  const folder = join(t.dataDir, 'memory');
  const names = await readdir(folder).catch(() => [] as string[]);
  const texts = await Promise.all(names.map((name) => readFile(join(folder, name), 'utf8')));
  return texts.join('\n');
}

describe('capture and consolidation', () => {
  it('merges a repeat, supersedes a contradiction keeping the old text in history, and adds what is new', async () => {
    const { space: acme } = await spaceWithLoop('Acme');
    const first = value(
      await t.engine.call('remember', {
        text: 'Acme wants board memos under one page',
        scope: space(acme.id),
      }),
    );
    expect(first).toMatchObject({ action: 'added', item: { kind: 'context', origin: { type: 'said' } } });

    const repeat = value(
      await t.engine.call('remember', {
        text: 'Acme wants their board memos under one page, always',
        scope: space(acme.id),
      }),
    );
    expect(repeat).toMatchObject({ action: 'merged', decidedBy: 'lexical', item: { id: first.item.id } });
    expect(repeat.item.history).toMatchObject([{ change: 'merged' }]);

    const budget = value(
      await t.engine.call('remember', { text: 'Acme budget is 2M for 2027', scope: space(acme.id) }),
    );
    const changed = value(
      await t.engine.call('remember', { text: 'Acme budget is 3M for 2027', scope: space(acme.id) }),
    );
    expect(changed).toMatchObject({
      action: 'superseded',
      previousText: 'Acme budget is 2M for 2027',
      item: { id: budget.item.id, text: 'Acme budget is 3M for 2027' },
    });
    expect(changed.item.history).toMatchObject([
      { text: 'Acme budget is 2M for 2027', change: 'superseded' },
    ]);

    const fresh = value(
      await t.engine.call('remember', { text: 'I prefer tables over bullet lists', scope: space(acme.id) }),
    );
    expect(fresh).toMatchObject({ action: 'added', item: { kind: 'preference' } });
    const listed = value(await t.engine.call('listMemories', { spaceId: acme.id }));
    expect(listed.map((item) => item.text).sort()).toEqual([
      'Acme budget is 3M for 2027',
      'Acme wants their board memos under one page, always',
      'I prefer tables over bullet lists',
    ]);

    // Nothing is silently dropped: after a restart the history is still there.
    await t.engine.close();
    t.engine = await t.open();
    const reread = value(await t.engine.call('getMemory', { memoryId: budget.item.id }));
    expect(reread.history[0]!.text).toBe('Acme budget is 2M for 2027');
  });

  it('asks the model only for close calls, with structured output, and adds when it cannot ask', async () => {
    const { space: acme } = await spaceWithLoop('Acme');
    value(
      await t.engine.call('remember', {
        text: 'Dana Reyes leads the Acme pricing team',
        scope: space(acme.id),
      }),
    );
    t.fake.queueReply({ json: { relation: 'contradict', reason: 'A new lead' } });
    const close = value(
      await t.engine.call('remember', {
        text: 'The Acme pricing team now reports to Sam Patel, who leads it',
        scope: space(acme.id),
      }),
    );
    expect(close).toMatchObject({ action: 'superseded', decidedBy: 'model' });
    const asked = t.fake.requests.filter((r) => r.path === '/api/chat').at(-1)!.body as ChatBody;
    expect(asked.format).toMatchObject({
      properties: { relation: { enum: ['repeat', 'contradict', 'new'] } },
    });

    await t.fake.stop();
    const offline = value(
      await t.engine.call('remember', {
        text: 'Sam Patel leads the Acme design team',
        scope: space(acme.id),
      }),
    );
    expect(offline).toMatchObject({ action: 'added', decidedBy: 'lexical' });
    await t.fake.start();
  });

  it('captures “remember …” typed in the composer as a memory of the space, shown on the turn', async () => {
    const { space: acme, loop } = await spaceWithLoop('Acme');
    const turn = value(
      await t.engine.call('addTurn', { loopId: loop.id, text: "Remember that Acme's CFO is Dana" }),
    );
    expect(turn.remembered).toMatchObject({ action: 'added' });
    const item = value(await t.engine.call('getMemory', { memoryId: turn.remembered!.id }));
    expect(item).toMatchObject({
      text: "Acme's CFO is Dana",
      scope: { type: 'space', spaceId: acme.id },
      origin: { type: 'said', loopId: loop.id, turnIds: [turn.id] },
    });
  });
});

describe('recall', () => {
  it('brings a space’s memories into its loops and never into another space’s', async () => {
    const acme = await spaceWithLoop('Acme');
    const globex = await spaceWithLoop('Globex');
    const memo = value(
      await t.engine.call('remember', {
        text: 'Acme wants board memos under one page',
        scope: space(acme.space.id),
      }),
    );
    const everywhere = value(
      await t.engine.call('remember', {
        text: 'I write board memos with the recommendation first',
        scope: { type: 'everywhere' },
      }),
    );
    const otherLoop = value(
      await t.engine.call('createLoop', { spaceId: acme.space.id, title: 'Acme hiring plan' }),
    );
    const loopOnly = value(
      await t.engine.call('remember', {
        text: 'This board memo is for the March board meeting',
        scope: { type: 'loop', spaceId: acme.space.id, loopId: otherLoop.id },
      }),
    );

    value(await t.engine.call('addTurn', { loopId: acme.loop.id, text: 'Draft the board memo on pricing.' }));
    const inAcme = await move(acme.loop.id, 'synthesize');
    expect(inAcme.sent).toContain('Acme wants board memos under one page');
    expect(inAcme.sent).toContain('I write board memos with the recommendation first');
    expect(inAcme.sent).not.toContain('March board meeting');
    expect(inAcme.turn.memoriesUsed?.map((used) => used.id).sort()).toEqual(
      [memo.item.id, everywhere.item.id].sort(),
    );

    value(
      await t.engine.call('addTurn', { loopId: globex.loop.id, text: 'Draft the board memo on pricing.' }),
    );
    const inGlobex = await move(globex.loop.id, 'synthesize');
    expect(inGlobex.sent).not.toContain('Acme wants board memos');
    expect(inGlobex.sent).toContain('recommendation first');
    expect(inGlobex.turn.memoriesUsed?.map((used) => used.id)).toEqual([everywhere.item.id]);

    value(await t.engine.call('addTurn', { loopId: otherLoop.id, text: 'The board memo for hiring.' }));
    expect((await move(otherLoop.id, 'synthesize')).turn.memoriesUsed?.map((used) => used.id)).toContain(
      loopOnly.item.id,
    );

    // The item knows where it was used.
    const used = value(await t.engine.call('getMemory', { memoryId: memo.item.id }));
    expect(used.useCount).toBe(2);
    expect(used.usedIn[0]).toMatchObject({ loopId: acme.loop.id, turnId: inAcme.turn.id });
  });

  it('always brings pinned memories, and fits the rest to the budget', async () => {
    await t.engine.close();
    t.fake.configure({ models: [{ name: 'tiny:latest', contextLength: 2048 }] });
    t.engine = await t.open({ defaultChatModel: 'tiny' });
    const { space: acme, loop } = await spaceWithLoop('Acme');
    const pinned = value(
      await t.engine.call('remember', { text: 'Sailing is my hobby', scope: space(acme.id) }),
    );
    value(await t.engine.call('updateMemory', { memoryId: pinned.item.id, pinned: true }));
    for (let n = 0; n < 30; n += 1) {
      value(
        await t.engine.call('remember', {
          text: `Pricing fact ${n}: ${'the pricing committee reviewed discount tiers and renewals '.repeat(3)}${n * 7}`,
          scope: space(acme.id),
        }),
      );
    }
    value(await t.engine.call('addTurn', { loopId: loop.id, text: 'What should our pricing be?' }));
    const { turn, sent } = await move(loop.id, 'explore');
    expect(sent).toContain('Sailing is my hobby');
    expect(turn.memoriesUsed?.find((used) => used.id === pinned.item.id)?.pinned).toBe(true);
    const block = sent.slice(sent.indexOf('What you know from my earlier work'));
    const memoryBlock = block.slice(0, block.indexOf('Move: EXPLORE'));
    // 15% of a 2048-token window, at about four characters a token.
    expect(memoryBlock.length / 4).toBeLessThanOrEqual(2048 * 0.15 + 40);
    expect(turn.memoriesUsed!.length).toBeGreaterThan(1);
    expect(turn.memoriesUsed!.length).toBeLessThan(31);
  });

  it('ranks a memory marked “not relevant here” below the others for a similar request', async () => {
    const { space: acme, loop } = await spaceWithLoop('Acme');
    const golf = value(
      await t.engine.call('remember', { text: 'The Acme pricing lead loves golf', scope: space(acme.id) }),
    );
    const tiers = value(
      await t.engine.call('remember', { text: 'Acme pricing uses three tiers', scope: space(acme.id) }),
    );
    value(await t.engine.call('addTurn', { loopId: loop.id, text: 'Rethink the Acme pricing lead offer.' }));
    const first = await move(loop.id, 'explore');
    const order = (sent: string) => [sent.indexOf('loves golf'), sent.indexOf('three tiers')];
    const [golfAt, tiersAt] = order(first.sent);
    expect(golfAt).toBeGreaterThan(-1);
    expect(golfAt).toBeLessThan(tiersAt!);

    value(
      await t.engine.call('markMemoryNotRelevant', {
        memoryId: golf.item.id,
        loopId: loop.id,
        turnId: first.turn.id,
      }),
    );
    const second = await move(loop.id, 'explore');
    const [golfAfter, tiersAfter] = order(second.sent);
    expect(tiersAfter).toBeGreaterThan(-1);
    expect(golfAfter === -1 || golfAfter! > tiersAfter!).toBe(true);
    expect(value(await t.engine.call('getMemory', { memoryId: golf.item.id })).notRelevant).toHaveLength(1);
    expect(tiers.item.notRelevant).toEqual([]);
  });

  it('embeds memories and the request when an embedding model is installed, and does without when not', async () => {
    const { space: acme, loop } = await spaceWithLoop('Acme');
    const item = value(
      await t.engine.call('remember', { text: 'Acme measures success by churn', scope: space(acme.id) }),
    );
    await expect.poll(async () => (await memoryFiles()).includes(`"${item.item.id}":[`)).toBe(true);
    value(await t.engine.call('addTurn', { loopId: loop.id, text: 'How do we know the plan works?' }));
    const embedsBefore = t.fake.requests.filter((r) => r.path === '/api/embed').length;
    await move(loop.id, 'explore');
    expect(t.fake.requests.filter((r) => r.path === '/api/embed').length).toBe(embedsBefore + 1);

    await t.engine.close();
    t.fake.configure({ models: [{ name: 'llama3.2:latest' }] });
    t.engine = await t.open();
    const { turn } = await move(loop.id, 'explore');
    expect(turn.status).toBe('complete');
  });

  it('forgets a memory for good: the item and its vector are gone from the data folder', async () => {
    const { space: acme, loop } = await spaceWithLoop('Acme');
    const item = value(
      await t.engine.call('remember', { text: 'UNIQUE-FORGET-ME Acme fact', scope: space(acme.id) }),
    );
    await expect.poll(async () => (await memoryFiles()).includes(`"${item.item.id}":[`)).toBe(true);
    value(await t.engine.call('addTurn', { loopId: loop.id, text: 'Tell me the Acme fact.' }));
    await move(loop.id, 'explore');
    value(await t.engine.call('forgetMemory', { memoryId: item.item.id }));
    const files = await memoryFiles();
    expect(files).not.toContain('UNIQUE-FORGET-ME');
    expect(files).not.toContain(item.item.id);
    expect(await t.engine.call('getMemory', { memoryId: item.item.id })).toMatchObject({
      ok: false,
      error: { code: 'not-found' },
    });
    expect((await move(loop.id, 'explore')).sent).not.toContain('UNIQUE-FORGET-ME');
  });
});

describe('Learn, reviews and steering', () => {
  it('proposes lessons with the turns they came from; only accepted ones become memory', async () => {
    const { space: acme, loop } = await spaceWithLoop('Acme');
    const said = value(
      await t.engine.call('addTurn', { loopId: loop.id, text: 'The board hated the long memo.' }),
    );
    await move(loop.id, 'synthesize');
    t.fake.queueReply({
      json: {
        lessons: [
          {
            kind: 'preference',
            text: 'Acme’s board wants memos under one page',
            scope: 'space',
            turns: ['T1'],
          },
          {
            kind: 'principle',
            text: 'Lead with the recommendation',
            scope: 'everywhere',
            turns: ['T2', 'T9'],
          },
        ],
      },
    });
    const proposals = value(await t.engine.call('proposeLessons', { loopId: loop.id }));
    expect(proposals).toMatchObject([
      { kind: 'preference', scope: 'space', turnIds: [said.id] },
      { kind: 'principle', scope: 'everywhere' },
    ]);
    const structured = t.fake.requests.filter((r) => r.path === '/api/chat').at(-1)!.body as ChatBody;
    expect(structured.format).toMatchObject({ required: ['lessons'] });
    expect(await memoryFiles()).not.toContain('under one page');

    const accepted = value(
      await t.engine.call('acceptLesson', {
        loopId: loop.id,
        ...proposals[0]!,
        text: 'Acme’s board wants one-page memos',
      }),
    );
    expect(accepted.item).toMatchObject({
      origin: { type: 'learn', loopId: loop.id, turnIds: [said.id] },
      scope: { type: 'space', spaceId: acme.id },
    });
    expect(value(await t.engine.call('listMemories', {})).map((item) => item.text)).toEqual([
      'Acme’s board wants one-page memos',
    ]);
    const opened: Loop = value(await t.engine.call('getLoop', { loopId: loop.id }));
    expect(opened.turns.at(-1)).toMatchObject({
      move: 'learn',
      text: 'Learned: Acme’s board wants one-page memos',
    });
  });

  it('lists a decision when its review date comes and turns the review into a lesson', async () => {
    const { loop } = await spaceWithLoop('Acme');
    value(
      await t.engine.call('recordDecision', {
        loopId: loop.id,
        choice: 'Raise prices 6%',
        confidence: 70,
        prediction: 'Churn stays under 3%',
        reviewDate: '2020-01-31',
        forecasts: [{ statement: 'Churn stays under 3%', probability: 70, resolveBy: '2020-01-31' }],
      }),
    );
    const due = value(await t.engine.call('listDueReviews', {}));
    expect(due).toMatchObject([{ loopId: loop.id, decision: { choice: 'Raise prices 6%' } }]);
    const reviewed = value(
      await t.engine.call('resolveDecision', {
        loopId: loop.id,
        resolutions: [{ forecastId: due[0]!.decision.forecasts[0]!.id, outcome: 'no', note: 'Churn: 5%' }],
        review: {
          outcome: 'Churn rose to 5%.',
          lesson: 'Small accounts are more price-sensitive than I think',
          keepLesson: true,
        },
      }),
    );
    expect(reviewed.loop.decision?.review).toMatchObject({ outcome: 'Churn rose to 5%.' });
    expect(reviewed.loop.decision?.forecasts[0]?.resolution).toMatchObject({ outcome: 'no' });
    expect(reviewed.memory?.item).toMatchObject({ kind: 'lesson', origin: { type: 'review' } });
    expect(reviewed.memory?.item.text).toContain('made at 70% confidence. Churn rose to 5%.');
    expect(value(await t.engine.call('listDueReviews', {}))).toEqual([]);
  });

  it('suggests a preference when turns are set aside for the same reason twice, storing nothing until accepted', async () => {
    const { space: acme, loop } = await spaceWithLoop('Acme');
    const other = value(await t.engine.call('createLoop', { spaceId: acme.id, title: 'Second' }));
    const first = (await move(loop.id, 'explore')).turn;
    value(
      await t.engine.call('steerTurn', {
        loopId: loop.id,
        turnId: first.id,
        state: 'set-aside',
        reason: 'too generic',
      }),
    );
    expect(value(await t.engine.call('listMemorySuggestions', {}))).toEqual([]);
    const second = (await move(other.id, 'explore')).turn;
    value(
      await t.engine.call('steerTurn', {
        loopId: other.id,
        turnId: second.id,
        state: 'set-aside',
        reason: 'Too generic!',
      }),
    );
    const [suggestion] = value(await t.engine.call('listMemorySuggestions', {}));
    expect(suggestion).toMatchObject({
      kind: 'preference',
      spaceId: acme.id,
      text: 'Avoid answers that are too generic.',
    });
    expect(suggestion!.evidence.map((e) => e.turnId).sort()).toEqual([first.id, second.id].sort());
    expect(value(await t.engine.call('listMemories', {}))).toEqual([]);

    const kept = value(
      await t.engine.call('remember', {
        text: suggestion!.text,
        kind: 'preference',
        scope: space(acme.id),
        origin: 'steering',
        suggestionId: suggestion!.id,
      }),
    );
    expect(kept.item.origin.type).toBe('steering');
    expect(value(await t.engine.call('listMemorySuggestions', {}))).toEqual([]);
  });

  it('looks across a journal’s entries of a period and cites them', async () => {
    const { loop } = await spaceWithLoop('Journal', 'journal');
    const second = value(await t.engine.call('createLoop', { spaceId: loop.spaceId, title: 'Thursday' }));
    value(await t.engine.call('addTurn', { loopId: loop.id, text: 'Tired after the offsite again.' }));
    value(await t.engine.call('addTurn', { loopId: second.id, text: 'Skipped the run; too many meetings.' }));
    const today = new Date().toISOString().slice(0, 10);
    const { turn, sent } = await move(
      second.id,
      'patterns',
      { text: 'Meetings crowd out rest [E1, E2].' },
      {
        period: { from: today, to: today },
      },
    );
    expect(turn.period).toEqual({ from: today, to: today });
    expect(sent).toContain('[E1]');
    expect(sent).toContain('Tired after the offsite again.');
    expect(sent).toContain('[E2]');
    expect(sent).toMatch(/cite the entries it\s+rests on/);
    const none = await move(
      second.id,
      'patterns',
      { text: 'Nothing.' },
      { period: { from: '2001-01-01', to: '2001-01-31' } },
    );
    expect(none.sent).toContain('none were written in it');
    const backwards = await t.engine.call('requestMove', {
      loopId: second.id,
      move: 'patterns',
      period: { from: today, to: '2001-01-01' },
    });
    expect(backwards).toMatchObject({ ok: false, error: { field: 'period' } });
  });
});
