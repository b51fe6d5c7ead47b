/**
 * The loop as the person works it, end to end through the engine and the fake Ollama: each move's
 * prompt, steering's effect on what the model sees, regenerated versions, the budget when a loop
 * outgrows num_ctx, the draft and refine hunks, the person's decision, templates and export.
 */
import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { AiMove, Loop, Turn } from '../../../shared/domain';
import { builtInTemplates } from '../../../shared/templates';
import { TemplateService } from './TemplateService';
import { type FakeReply } from '../../../tests/fixtures/fakeOllama';
import { recordEvents, value } from '../../../tests/helpers/engineHarness';
import { engineForEachTest } from '../../../tests/helpers/engineSession';

const t = engineForEachTest();

interface ChatBody {
  messages: { role: string; content: string }[];
  options: { num_ctx: number };
}

async function newLoop(kind: 'client' | 'journal' = 'client'): Promise<Loop> {
  const space = value(await t.engine.call('createSpace', { name: 'Acme Corp', kind }));
  return value(
    await t.engine.call('createLoop', {
      spaceId: space.id,
      title: 'Acme pricing',
      intent: { goal: 'Decide the 2027 price', constraints: 'No price cut for existing customers' },
    }),
  );
}

/** Asks for a move, waits for it to finish, and returns the finished turn and the request Ollama got. */
async function move(
  loopId: string,
  request:
    { move: AiMove; steer?: string; decision?: { choice: string } } | { regenerate: string; steer?: string },
  reply: FakeReply = { text: 'An answer.' },
): Promise<{ turn: Turn; chat: ChatBody }> {
  t.fake.queueReply(reply);
  const recorder = recordEvents(t.engine);
  const started =
    'regenerate' in request
      ? value(
          await t.engine.call('regenerateTurn', {
            loopId,
            turnId: request.regenerate,
            ...(request.steer ? { steer: request.steer } : {}),
          }),
        )
      : value(await t.engine.call('requestMove', { loopId, ...request }));
  const finished = await recorder.next('turn.finished', (event) => event.turn.id === started.id);
  recorder.stop();
  const chat = t.fake.requests.filter((r) => r.path === '/api/chat').at(-1)!.body as ChatBody;
  return { turn: finished.turn, chat };
}

const allText = (chat: ChatBody) => chat.messages.map((message) => message.content).join('\n');

async function loopFile(loopId: string) {
  return JSON.parse(await readFile(join(t.dataDir, 'loops', `${loopId}.json`), 'utf8')) as {
    version: number;
    turns: Turn[];
    draft: string;
    draftVersions: { text: string; source: string }[];
    decision?: { choice: string; confidence: number };
    pastDecisions: unknown[];
  };
}

describe('the moves', () => {
  it('gives each move its own instructions, always with the stance and the intent, and the steer last', async () => {
    const loop = await newLoop();
    value(await t.engine.call('addTurn', { loopId: loop.id, text: 'Costs rose 12% this year.' }));
    value(await t.engine.call('saveDraft', { loopId: loop.id, text: 'We hold the price.' }));
    const expected: Record<AiMove, RegExp> = {
      explore: /at least three genuinely different options/,
      challenge: /pre-mortem/,
      synthesize: /into structure/,
      ask: /Ask only questions, no answers/,
      refine: /Return the whole revised draft/,
      patterns: /Name the recurring themes/,
    };
    for (const [name, instructions] of Object.entries(expected) as [AiMove, RegExp][]) {
      const { chat } = await move(loop.id, { move: name, steer: `for a board audience ${name}` });
      expect(chat.messages[0]!.role).toBe('system');
      expect(chat.messages[0]!.content).toMatch(/never decide for them/);
      expect(chat.messages[1]!.content).toContain('Goal: Decide the 2027 price');
      expect(chat.messages[1]!.content).toContain('Constraints: No price cut for existing customers');
      expect(allText(chat)).toContain('The current draft:\n\nWe hold the price.');
      const last = chat.messages.at(-1)!;
      expect(last.content).toMatch(instructions);
      expect(last.content).toContain(`My direction for this move: for a board audience ${name}`);
      for (const [other, otherInstructions] of Object.entries(expected)) {
        if (other !== name) expect(last.content).not.toMatch(otherInstructions);
      }
    }
  });

  it('starts each follow-up request with the previous one, so Ollama can reuse its cache', async () => {
    const loop = await newLoop();
    value(await t.engine.call('addTurn', { loopId: loop.id, text: 'Costs rose 12% this year.' }));
    const first = await move(loop.id, { move: 'explore' }, { text: 'Three options.' });
    value(await t.engine.call('addTurn', { loopId: loop.id, text: 'Option two looks right.' }));
    const second = await move(loop.id, { move: 'challenge' });
    const previousWithoutMove = first.chat.messages.slice(0, -1);
    expect(second.chat.messages.slice(0, previousWithoutMove.length)).toEqual(previousWithoutMove);
    expect(second.chat.messages[previousWithoutMove.length]).toEqual({
      role: 'assistant',
      content: 'Three options.',
    });
  });
});

describe('steering', () => {
  it('keeps set-aside turns out of the context, pinned ones in, and sends the person’s edit', async () => {
    const loop = await newLoop();
    const explored = (await move(loop.id, { move: 'explore' }, { text: 'GENERIC-IDEAS about pricing.' }))
      .turn;
    const challenged = (await move(loop.id, { move: 'challenge' }, { text: 'WEAK-ASSUMPTION: demand.' }))
      .turn;
    const asked = (await move(loop.id, { move: 'ask' }, { text: 'QUESTION: who pays?' })).turn;

    const aside = value(
      await t.engine.call('steerTurn', {
        loopId: loop.id,
        turnId: explored.id,
        state: 'set-aside',
        reason: 'too generic',
      }),
    );
    expect(aside.steering).toMatchObject({ state: 'set-aside', reason: 'too generic' });
    value(await t.engine.call('steerTurn', { loopId: loop.id, turnId: asked.id, state: 'pinned' }));
    const edited = value(
      await t.engine.call('editTurn', {
        loopId: loop.id,
        turnId: challenged.id,
        text: 'EDITED: demand is fine.',
      }),
    );
    expect(edited.edited?.originalText).toBe('WEAK-ASSUMPTION: demand.');

    const { chat } = await move(loop.id, { move: 'synthesize' });
    const text = allText(chat);
    expect(text).not.toContain('GENERIC-IDEAS');
    expect(text).not.toContain('WEAK-ASSUMPTION');
    expect(text).toContain('EDITED: demand is fine.');
    // The pinned turn sits with the intent, ahead of the draft and the recent turns.
    const pinnedAt = chat.messages.findIndex((m) => m.content.startsWith('What I pinned to keep in view:'));
    expect(pinnedAt).toBe(2);
    expect(chat.messages[pinnedAt]!.content).toContain('QUESTION: who pays?');
    expect(chat.messages.filter((m) => m.content.includes('QUESTION: who pays?'))).toHaveLength(1);

    const onDisk = await loopFile(loop.id);
    const byId = new Map(onDisk.turns.map((turn) => [turn.id, turn]));
    expect(byId.get(explored.id)?.steering).toMatchObject({ state: 'set-aside', reason: 'too generic' });
    expect(byId.get(asked.id)?.steering?.state).toBe('pinned');
    expect(byId.get(challenged.id)).toMatchObject({
      text: 'EDITED: demand is fine.',
      edited: { originalText: 'WEAK-ASSUMPTION: demand.' },
    });

    value(await t.engine.call('steerTurn', { loopId: loop.id, turnId: explored.id, state: null }));
    expect(allText((await move(loop.id, { move: 'ask' })).chat)).toContain('GENERIC-IDEAS');
  });

  it('steers only AI turns, and says so', async () => {
    const loop = await newLoop();
    const mine = value(await t.engine.call('addTurn', { loopId: loop.id, text: 'My own thought.' }));
    const result = await t.engine.call('steerTurn', { loopId: loop.id, turnId: mine.id, state: 'pinned' });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'turnId' } });
  });

  it('regenerates with a steer beside the earlier version, and the kept version is the one the model sees', async () => {
    const loop = await newLoop();
    value(await t.engine.call('addTurn', { loopId: loop.id, text: 'Where could we grow?' }));
    const first = (await move(loop.id, { move: 'explore' }, { text: 'FIRST-VERSION options.' })).turn;
    value(await t.engine.call('addTurn', { loopId: loop.id, text: 'A later note.' }));

    const { turn: second, chat } = await move(
      loop.id,
      { regenerate: first.id, steer: 'bolder' },
      { text: 'SECOND-VERSION bolder options.' },
    );
    expect(second).toMatchObject({
      versionOf: first.id,
      move: 'explore',
      steer: 'bolder',
      status: 'complete',
    });
    // The regenerated move sees what the first one saw: not the first version, not what came after it.
    expect(allText(chat)).toContain('Where could we grow?');
    expect(allText(chat)).not.toContain('FIRST-VERSION');
    expect(allText(chat)).not.toContain('A later note.');
    expect(chat.messages.at(-1)!.content).toContain('My direction for this move: bolder');

    const loopNow = value(await t.engine.call('getLoop', { loopId: loop.id }));
    expect(loopNow.turns.map((turn) => turn.text)).toEqual([
      'Where could we grow?',
      'FIRST-VERSION options.',
      'SECOND-VERSION bolder options.',
      'A later note.',
    ]);

    // The newest version counts until the person keeps another.
    expect(allText((await move(loop.id, { move: 'challenge' })).chat)).toContain('SECOND-VERSION');
    value(await t.engine.call('chooseVersion', { loopId: loop.id, turnId: first.id }));
    const after = allText((await move(loop.id, { move: 'challenge' })).chat);
    expect(after).toContain('FIRST-VERSION');
    expect(after).not.toContain('SECOND-VERSION');
    expect((await loopFile(loop.id)).turns.find((turn) => turn.id === first.id)?.chosenVersion).toBe(
      first.id,
    );
  });
});

describe('the context budget', () => {
  it('leaves out the oldest turns when a loop outgrows num_ctx, but keeps the intent, pinned turns and the draft', async () => {
    await t.engine.close();
    t.fake.configure({ models: [{ name: 'tiny:latest', contextLength: 2048 }] });
    t.engine = await t.open({ defaultChatModel: 'tiny' });
    const loop = await newLoop();
    const pinnedTurn = (await move(loop.id, { move: 'explore' }, { text: 'PINNED-INSIGHT: margins matter.' }))
      .turn;
    value(await t.engine.call('steerTurn', { loopId: loop.id, turnId: pinnedTurn.id, state: 'pinned' }));
    value(await t.engine.call('saveDraft', { loopId: loop.id, text: 'DRAFT-TEXT: hold the price.' }));
    for (let index = 0; index < 20; index += 1) {
      value(
        await t.engine.call('addTurn', { loopId: loop.id, text: `NOTE-${index} ${'detail '.repeat(110)}` }),
      );
    }

    const usage = value(await t.engine.call('getContextUsage', { loopId: loop.id }));
    expect(usage.numCtx).toBe(2048);
    expect(usage.omittedTurns).toBeGreaterThan(0);
    expect(usage.estimatedTokens).toBeLessThanOrEqual(usage.numCtx - usage.reserveForAnswer);

    const { turn, chat } = await move(loop.id, { move: 'synthesize' });
    expect(chat.options.num_ctx).toBe(2048);
    const text = allText(chat);
    expect(text).toContain('Goal: Decide the 2027 price');
    expect(text).toContain('PINNED-INSIGHT');
    expect(text).toContain('DRAFT-TEXT');
    expect(text).toContain('NOTE-19');
    expect(text).not.toContain('NOTE-0 ');
    expect(turn.stats?.omittedTurns).toBe(usage.omittedTurns);
  });
});

describe('the draft', () => {
  const draft = 'We enter Germany.\n\nWe price high.\n\nWe hire locally.\n';
  const revised = 'We enter Germany and Austria.\n\nWe price high.\n\nWe hire a local team of five.\n';

  it('takes the hunks of a refine the person chose, and keeps versions to go back to', async () => {
    const loop = await newLoop();
    value(await t.engine.call('saveDraft', { loopId: loop.id, text: draft }));
    const { turn, chat } = await move(loop.id, { move: 'refine', steer: 'be specific' }, { text: revised });
    expect(allText(chat)).toContain(`The current draft:\n\n${draft}`);
    expect(turn.refineBase).toBe(draft);

    const taken = value(await t.engine.call('applyRefine', { loopId: loop.id, turnId: turn.id, hunks: [1] }));
    expect(taken.draft).toBe('We enter Germany.\n\nWe price high.\n\nWe hire a local team of five.\n');
    expect(taken.turn.applied?.hunks).toEqual([1]);
    expect(taken.versions.map((version) => version.source)).toEqual(['before-refine', 'refine']);

    const onDisk = await loopFile(loop.id);
    expect(onDisk.draft).toBe(taken.draft);
    expect(onDisk.draftVersions[0]!.text).toBe(draft);

    value(await t.engine.call('saveDraft', { loopId: loop.id, text: 'My own rewrite.\n' }));
    const restored = value(
      await t.engine.call('restoreDraftVersion', { loopId: loop.id, versionId: taken.versions[0]!.id }),
    );
    expect(restored.draft).toBe(draft);
    // What the restore replaced stays reachable.
    expect(restored.versions.at(-1)).toMatchObject({ source: 'before-restore', text: 'My own rewrite.\n' });
    expect((await loopFile(loop.id)).draft).toBe(draft);
  });

  it('carries the chosen hunks onto a draft the person edited meanwhile, and refuses when they no longer fit', async () => {
    const loop = await newLoop();
    value(await t.engine.call('saveDraft', { loopId: loop.id, text: draft }));
    const { turn } = await move(loop.id, { move: 'refine' }, { text: revised });
    value(await t.engine.call('saveDraft', { loopId: loop.id, text: `# Plan\n\n${draft}` }));
    const carried = value(
      await t.engine.call('applyRefine', { loopId: loop.id, turnId: turn.id, hunks: [0] }),
    );
    expect(carried.draft).toBe(
      '# Plan\n\nWe enter Germany and Austria.\n\nWe price high.\n\nWe hire locally.\n',
    );

    value(await t.engine.call('saveDraft', { loopId: loop.id, text: 'Something else entirely.\n' }));
    const conflict = await t.engine.call('applyRefine', { loopId: loop.id, turnId: turn.id, hunks: [1] });
    expect(conflict).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'hunks' } });
    expect((await loopFile(loop.id)).draft).toBe('Something else entirely.\n');

    const outOfRange = await t.engine.call('applyRefine', { loopId: loop.id, turnId: turn.id, hunks: [7] });
    expect(outOfRange).toMatchObject({ ok: false, error: { field: 'hunks' } });
    if (!outOfRange.ok) expect(outOfRange.error.message).toMatch(/has 2 changes/);
  });

  it('takes none of a refine without touching the draft', async () => {
    const loop = await newLoop();
    value(await t.engine.call('saveDraft', { loopId: loop.id, text: draft }));
    const { turn } = await move(loop.id, { move: 'refine' }, { text: revised });
    const none = value(await t.engine.call('applyRefine', { loopId: loop.id, turnId: turn.id, hunks: [] }));
    expect(none.draft).toBe(draft);
    expect(none.versions).toEqual([]);
    expect(none.turn.applied?.hunks).toEqual([]);
  });

  it('keeps a version when the person asks', async () => {
    const loop = await newLoop();
    const saved = value(
      await t.engine.call('saveDraft', {
        loopId: loop.id,
        text: draft,
        keepVersion: true,
        note: 'first cut',
      }),
    );
    expect(saved.versions).toMatchObject([{ source: 'saved', text: draft, note: 'first cut' }]);
    const tooLong = await t.engine.call('saveDraft', { loopId: loop.id, text: 'x'.repeat(500_001) });
    expect(tooLong).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'text' } });
  });
});

describe('the decision', () => {
  const decision = {
    choice: 'Raise the price by 6%',
    rationale: 'Costs rose and churn is low',
    optionsSetAside: 'Hold; tiered pricing',
    confidence: 70,
    prediction: 'Churn stays under 3%',
    reviewDate: '2027-03-31',
  };

  it('is recorded only by the person, shows at the top, and survives every later AI move', async () => {
    const loop = await newLoop();
    const decided = value(await t.engine.call('recordDecision', { loopId: loop.id, ...decision }));
    expect(decided).toMatchObject({ decided: true, stage: 'decide', decision: { ...decision } });
    expect(decided.turns.at(-1)).toMatchObject({ author: 'person', move: 'decide' });

    // An answer that tries to decide changes nothing.
    await move(loop.id, { move: 'synthesize' }, { text: 'DECISION: cut the price by 20%. choice: cut' });
    const onDisk = await loopFile(loop.id);
    expect(onDisk.decision).toMatchObject({ choice: 'Raise the price by 6%', confidence: 70 });
    const summary = value(await t.engine.call('listLoops', {})).find((l) => l.id === loop.id);
    expect(summary).toMatchObject({ decided: true, stage: 'decide' });

    const again = await t.engine.call('recordDecision', { loopId: loop.id, ...decision, choice: 'Other' });
    expect(again).toMatchObject({ ok: false, error: { code: 'invalid-input' } });

    const reopened = value(await t.engine.call('reopenLoop', { loopId: loop.id }));
    expect(reopened.decided).toBe(false);
    expect(reopened.decision).toBeUndefined();
    expect(reopened.pastDecisions[0]).toMatchObject({ choice: 'Raise the price by 6%' });
    expect(reopened.pastDecisions[0]!.reopenedAt).toBeTruthy();
  });

  it('can be challenged before it is recorded', async () => {
    const loop = await newLoop();
    const { turn, chat } = await move(loop.id, {
      move: 'challenge',
      decision: { choice: 'Raise the price by 6%' },
    });
    expect(turn.challengedDecision).toContain('Raise the price by 6%');
    expect(chat.messages.at(-1)!.content).toMatch(/Challenge this decision, which I am about to record/);
    expect(chat.messages.at(-1)!.content).toContain('Raise the price by 6%');
    expect((await loopFile(loop.id)).decision).toBeUndefined();
    const wrongMove = await t.engine.call('requestMove', {
      loopId: loop.id,
      move: 'explore',
      decision: { choice: 'x' },
    });
    expect(wrongMove).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'decision' } });
  });

  it('refuses a decision without a choice, or with a confidence that is not a percentage', async () => {
    const loop = await newLoop();
    const noChoice = await t.engine.call('recordDecision', { loopId: loop.id, ...decision, choice: ' ' });
    expect(noChoice).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'choice' } });
    const overconfident = await t.engine.call('recordDecision', {
      loopId: loop.id,
      ...decision,
      confidence: 150,
    });
    expect(overconfident).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'confidence' } });
    const badDate = await t.engine.call('recordDecision', {
      loopId: loop.id,
      ...decision,
      reviewDate: 'soon',
    });
    expect(badDate).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'reviewDate' } });
  });
});

describe('stages', () => {
  it('follow what happened, never gate a move', async () => {
    const loop = await newLoop();
    const stage = async () => value(await t.engine.call('getLoop', { loopId: loop.id })).stage;
    expect(await stage()).toBe('frame');
    await move(loop.id, { move: 'challenge' });
    expect(await stage()).toBe('challenge');
    await move(loop.id, { move: 'explore' });
    expect(await stage()).toBe('explore');
    await move(loop.id, { move: 'refine' });
    expect(await stage()).toBe('refine');
  });
});

describe('templates', () => {
  it('offers the built-in starting points and the person’s own, which outlive a restart', async () => {
    const listed = value(await t.engine.call('listTemplates', {}));
    expect(listed.map((template) => template.name)).toEqual([
      'Client strategy question',
      'Market entry',
      'Pricing decision',
      'Pre-mortem',
      'Board or investor memo',
      'Confidential plan',
      'Daily journal entry',
      'Weekly reflection',
    ]);
    const space = value(await t.engine.call('createSpace', { name: 'Journal', kind: 'journal' }));
    const fromTemplate = value(
      await t.engine.call('createLoop', { spaceId: space.id, title: 'Tuesday', templateId: 'daily-journal' }),
    );
    expect(fromTemplate.intent.goal).toBe(
      builtInTemplates.find((t) => t.id === 'daily-journal')!.intent.goal,
    );
    expect(fromTemplate.suggestedMove).toBe('ask');

    value(
      await t.engine.call('updateIntent', {
        loopId: fromTemplate.id,
        intent: { goal: 'Notice what drains me' },
      }),
    );
    const mine = value(
      await t.engine.call('saveTemplate', { loopId: fromTemplate.id, name: 'Energy check' }),
    );
    expect(mine).toMatchObject({ builtIn: false, kinds: ['journal'], firstMove: 'ask' });

    await t.engine.close();
    t.engine = await t.open();
    const after = value(await t.engine.call('listTemplates', {}));
    expect(after.at(-1)).toMatchObject({ name: 'Energy check', intent: { goal: 'Notice what drains me' } });
    const used = value(
      await t.engine.call('createLoop', { spaceId: space.id, title: 'Wednesday', templateId: mine.id }),
    );
    expect(used.intent.goal).toBe('Notice what drains me');

    value(await t.engine.call('deleteTemplate', { templateId: mine.id }));
    expect(value(await t.engine.call('listTemplates', {}))).toHaveLength(8);
    const builtIn = await t.engine.call('deleteTemplate', { templateId: 'pre-mortem' });
    expect(builtIn).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('keeps a saved template to its loop’s space unless the person keeps it for every space', async () => {
    const loop = await newLoop();
    const other = value(await t.engine.call('createSpace', { name: 'Home', kind: 'general' }));
    const own = value(await t.engine.call('saveTemplate', { loopId: loop.id, name: 'Acme price' }));
    expect(own.spaceId).toBe(loop.spaceId);
    const everywhere = value(
      await t.engine.call('saveTemplate', { loopId: loop.id, name: 'Any price', everySpace: true }),
    );
    expect(everywhere).not.toHaveProperty('spaceId');
    const refused = await t.engine.call('createLoop', { spaceId: other.id, title: 'x', templateId: own.id });
    expect(refused).toMatchObject({
      ok: false,
      error: { field: 'templateId', message: 'That template belongs to another space.' },
    });
    const used = value(
      await t.engine.call('createLoop', { spaceId: other.id, title: 'Rent', templateId: everywhere.id }),
    );
    expect(used.intent.goal).toBe('Decide the 2027 price');
  });

  it('refuses a template from a sync server that is not one, is another space’s or claims to be built in', async () => {
    const loop = await newLoop();
    const own = value(await t.engine.call('saveTemplate', { loopId: loop.id, name: 'Acme price' }));
    const before = await readFile(join(t.dataDir, 'templates.json'), 'utf8');
    // Only the sync bridge writes through these; the loop service is not needed for them.
    const templates = new TemplateService(undefined as never, t.engine.dataFolder()!.store.templates);
    const sent = { ...own, id: 'tp-sent', name: 'Sent' };
    for (const [templateId, hostile, words] of [
      ['tp-sent', { name: 'Sent' }, /not one Keel can read/],
      ['tp-sent', { ...sent, spaceId: 'sp-elsewhere' }, /another space/],
      ['tp-sent', { ...sent, builtIn: true }, /another space/],
      ['tp-other', sent, /another space/],
      ['tp-sent', { ...sent, spaceId: undefined }, /another space/],
    ] as const) {
      await expect(templates.putSynced(loop.spaceId, templateId, hostile)).rejects.toThrow(words);
    }
    expect(await readFile(join(t.dataDir, 'templates.json'), 'utf8')).toBe(before);
    await templates.putSynced(loop.spaceId, 'tp-sent', sent);
    expect(value(await t.engine.call('listTemplates', {})).at(-1)).toMatchObject({ name: 'Sent' });
  });

  it('reads a templates.json written before templates belonged to spaces as templates for every space', async () => {
    await t.engine.close();
    const old = {
      version: 1,
      templates: [
        {
          id: 'tp-old',
          name: 'Old habit',
          description: 'Saved long ago.',
          kinds: ['general'],
          title: 'Habit',
          intent: { goal: 'Keep one habit', context: '', constraints: '', goodLooksLike: '' },
          firstMove: 'explore',
          builtIn: false,
          createdAt: '2026-01-05T09:00:00.000Z',
        },
      ],
    };
    await writeFile(join(t.dataDir, 'templates.json'), JSON.stringify(old));
    t.engine = await t.open();
    const listed = value(await t.engine.call('listTemplates', {})).at(-1)!;
    expect(listed).toEqual(old.templates[0]);
    for (const name of ['Home', 'Work']) {
      const space = value(await t.engine.call('createSpace', { name, kind: 'general' }));
      const loop = value(
        await t.engine.call('createLoop', { spaceId: space.id, title: 'Habit', templateId: 'tp-old' }),
      );
      expect(loop.intent.goal).toBe('Keep one habit');
    }
  });
});

describe('export', () => {
  async function decidedLoop(): Promise<Loop> {
    const loop = await newLoop();
    value(await t.engine.call('addTurn', { loopId: loop.id, text: 'Costs rose 12% this year.' }));
    const explored = (await move(loop.id, { move: 'explore' }, { text: '**Option A**: raise 6%.' })).turn;
    value(
      await t.engine.call('steerTurn', {
        loopId: loop.id,
        turnId: explored.id,
        state: 'set-aside',
        reason: 'too timid',
      }),
    );
    value(
      await t.engine.call('saveDraft', {
        loopId: loop.id,
        text: '# Recommendation\n\nRaise the price by **6%**.\n\n- Costs rose\n- Churn is low\n\n| Option | Margin |\n| --- | --- |\n| Raise | 31% |\n',
      }),
    );
    value(
      await t.engine.call('recordDecision', {
        loopId: loop.id,
        choice: 'Raise the price by 6%',
        rationale: 'Costs rose',
        optionsSetAside: 'Hold',
        confidence: 70,
        prediction: 'Churn under 3%',
        reviewDate: '2027-03-31',
      }),
    );
    return loop;
  }

  it('writes a clean Markdown document with the intent, the decision, the draft and, if asked, the timeline', async () => {
    const loop = await decidedLoop();
    const short = value(await t.engine.call('exportLoop', { loopId: loop.id, format: 'markdown' }));
    expect(short).toMatchObject({ fileName: 'Acme-pricing.md', mimeType: 'text/markdown' });
    const markdown = Buffer.from(short.base64, 'base64').toString('utf8');
    expect(markdown).toMatch(/^# Acme pricing\n/);
    expect(markdown).toContain('**Goal:** Decide the 2027 price');
    expect(markdown).toContain('**Choice:** Raise the price by 6%');
    expect(markdown).toContain('**Confidence:** 70%');
    expect(markdown).toContain('### Recommendation');
    expect(markdown).not.toContain('## Timeline');

    const full = value(
      await t.engine.call('exportLoop', { loopId: loop.id, format: 'markdown', includeTimeline: true }),
    );
    const withTimeline = Buffer.from(full.base64, 'base64').toString('utf8');
    expect(withTimeline).toContain('## Timeline');
    expect(withTimeline).toContain('Costs rose 12% this year.');
    expect(withTimeline).toMatch(/AI · explore · \d{4}-\d{2}-\d{2} \(set aside: too timid\)/);
  });

  it('writes a Word document with the same content, headings, lists and tables', async () => {
    const loop = await decidedLoop();
    const exported = value(
      await t.engine.call('exportLoop', { loopId: loop.id, format: 'docx', includeTimeline: true }),
    );
    expect(exported.fileName).toBe('Acme-pricing.docx');
    const files = unzipSync(new Uint8Array(Buffer.from(exported.base64, 'base64')));
    const xml = strFromU8(files['word/document.xml']!);
    const text = xml.replace(/<[^>]+>/g, '');
    expect(text).toContain('Acme pricing');
    expect(text).toContain('Decide the 2027 price');
    expect(text).toContain('Raise the price by 6%');
    expect(text).toContain('Churn is low');
    expect(text).toContain('Costs rose 12% this year.');
    expect(xml).toContain('<w:tbl>');
    expect(xml).toMatch(/w:val="Heading1"/);
  });
});

describe('loop files', () => {
  it('upgrade a version-1 loop file (before drafts had versions) and keep everything in it', async () => {
    const loop = await newLoop();
    value(await t.engine.call('addTurn', { loopId: loop.id, text: 'An old note.' }));
    await t.engine.close();
    const path = join(t.dataDir, 'loops', `${loop.id}.json`);
    const current = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    const { draftVersions: _v, pastDecisions: _p, ...rest } = current;
    await writeFile(path, JSON.stringify({ ...rest, version: 1, draft: 'Old draft.' }));

    t.engine = await t.open();
    const opened = value(await t.engine.call('getLoop', { loopId: loop.id }));
    expect(opened.turns.map((turn) => turn.text)).toEqual(['An old note.']);
    expect(opened).toMatchObject({ draft: 'Old draft.', draftVersions: [], pastDecisions: [] });
    value(await t.engine.call('saveDraft', { loopId: loop.id, text: 'New draft.' }));
    expect((await loopFile(loop.id)).version).toBe(3);
  });

  it('leave a file from a newer Keel where it is and ask for an update', async () => {
    const loop = await newLoop();
    await t.engine.close();
    const path = join(t.dataDir, 'loops', `${loop.id}.json`);
    const current = JSON.parse(await readFile(path, 'utf8')) as Record<string, unknown>;
    await writeFile(path, JSON.stringify({ ...current, version: 99 }));
    t.engine = await t.open();
    const opened = await t.engine.call('getLoop', { loopId: loop.id });
    expect(opened).toMatchObject({ ok: false, error: { code: 'storage-corrupt' } });
    if (!opened.ok) expect(opened.error.message).toMatch(/newer version of Keel/);
    expect(await readdir(join(t.dataDir, 'loops'))).toEqual([`${loop.id}.json`]);
  });
});
