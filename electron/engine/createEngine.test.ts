import { readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Turn } from '../../shared/domain';
import { startFakeOllama, type FakeOllama } from '../../tests/fixtures/fakeOllama';
import { openEngine, recordEvents, removeDir, tempDataDir, value } from '../../tests/helpers/engineHarness';
import type { Engine } from './Engine';

let dataDir: string;
let fake: FakeOllama;
let engine: Engine;

beforeEach(async () => {
  dataDir = await tempDataDir();
  fake = await startFakeOllama();
  engine = await openEngine(dataDir, fake.url);
});

afterEach(async () => {
  await engine.close();
  await fake.close();
  await removeDir(dataDir);
});

async function spaceAndLoop(title = 'Pricing for Acme') {
  const space = value(await engine.call('createSpace', { name: 'Acme Corp', kind: 'client' }));
  const loop = value(
    await engine.call('createLoop', { spaceId: space.id, title, intent: { goal: 'Set a price' } }),
  );
  return { space, loop };
}

async function readLoopFile(loopId: string): Promise<{ turns: Turn[] }> {
  return JSON.parse(await readFile(join(dataDir, 'loops', `${loopId}.json`), 'utf8')) as { turns: Turn[] };
}

describe('spaces and loops', () => {
  it('creates, renames, archives and lists, and it is all there after a restart', async () => {
    const { space, loop } = await spaceAndLoop();
    value(await engine.call('renameSpace', { spaceId: space.id, name: 'Acme Corporation' }));
    value(await engine.call('renameLoop', { loopId: loop.id, title: 'Acme pricing' }));
    const other = value(await engine.call('createLoop', { spaceId: space.id, title: 'Old idea' }));
    value(await engine.call('archiveLoop', { loopId: other.id, archived: true }));
    value(await engine.call('addTurn', { loopId: loop.id, text: 'Our costs went up 12%.' }));

    await engine.close();
    engine = await openEngine(dataDir, fake.url);

    const spaces = value(await engine.call('listSpaces', {}));
    expect(spaces.map((s) => [s.name, s.kind])).toEqual([['Acme Corporation', 'client']]);
    const loops = value(await engine.call('listLoops', { spaceId: space.id }));
    expect(loops.map((l) => l.title)).toEqual(['Acme pricing']);
    const all = value(await engine.call('listLoops', { includeArchived: true }));
    expect(all.map((l) => l.title).sort()).toEqual(['Acme pricing', 'Old idea']);
    const reopened = value(await engine.call('getLoop', { loopId: loop.id }));
    expect(reopened.intent.goal).toBe('Set a price');
    expect(reopened.turns.map((t) => [t.author, t.move, t.text])).toEqual([
      ['person', 'say', 'Our costs went up 12%.'],
    ]);
    expect(reopened.turnCount).toBe(1);
  });

  it('keeps a small catalog and one file per loop in the data folder', async () => {
    const { loop } = await spaceAndLoop();
    expect((await readdir(dataDir)).filter((name) => !name.startsWith('.')).sort()).toEqual([
      'catalog.json',
      'loops',
    ]);
    expect(await readdir(join(dataDir, 'loops'))).toEqual([`${loop.id}.json`]);
    const catalog = JSON.parse(await readFile(join(dataDir, 'catalog.json'), 'utf8')) as { version: number };
    expect(catalog.version).toBe(2);
  });

  it('answers bad input with invalid-input naming the field, and changes nothing', async () => {
    const empty = await engine.invoke('createSpace', { name: '   ' });
    expect(empty).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'name' } });
    const long = await engine.invoke('createSpace', { name: 'x'.repeat(201) });
    expect(long).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'name' } });
    const wrongKind = await engine.invoke('createSpace', { name: 'A', kind: 'secret' });
    expect(wrongKind).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'kind' } });
    const extra = await engine.invoke('createSpace', { name: 'A', admin: true });
    expect(extra).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    const badId = await engine.invoke('getLoop', { loopId: '../../etc/passwd' });
    expect(badId).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'loopId' } });
    const unknown = await engine.invoke('dropEverything', {});
    expect(unknown).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'call' } });
    expect(value(await engine.call('listSpaces', {}))).toEqual([]);
  });

  it('lets one engine at a time write a data folder, and says who holds it', async () => {
    const second = openEngine(dataDir, fake.url);
    await expect(second).rejects.toMatchObject({ code: 'folder-in-use' });
    await expect(second).rejects.toThrow(`the Keel web host (process ${process.pid}`);
    await engine.close();
    engine = await openEngine(dataDir, fake.url);
    expect(value(await engine.call('listSpaces', {}))).toEqual([]);
  });

  it('says plainly when a loop does not exist', async () => {
    const missing = await engine.call('getLoop', { loopId: 'lp-00000000-0000-0000-0000-000000000000' });
    expect(missing).toMatchObject({
      ok: false,
      error: { code: 'not-found', message: 'That loop no longer exists.' },
    });
  });

  it('moves a damaged loop file aside and says which loop is affected', async () => {
    const { loop } = await spaceAndLoop('Board memo');
    await engine.close();
    await writeFile(join(dataDir, 'loops', `${loop.id}.json`), '{"version":1,"turns":[');
    engine = await openEngine(dataDir, fake.url);
    const result = await engine.call('getLoop', { loopId: loop.id });
    expect(result).toMatchObject({ ok: false, error: { code: 'storage-corrupt' } });
    if (!result.ok) expect(result.error.message).toContain('Board memo');
    const files = await readdir(join(dataDir, 'loops'));
    expect(files.some((name) => name.startsWith(`${loop.id}.json.damaged-`))).toBe(true);
  });
});

describe('an AI move', () => {
  it('streams the answer token by token and saves the finished turn', async () => {
    const { loop } = await spaceAndLoop();
    value(await engine.call('addTurn', { loopId: loop.id, text: 'Should we raise prices?' }));
    fake.queueReply({ text: 'Option one: raise by 5%. Option two: hold. Option three: tier it.' });
    const recorder = recordEvents(engine);
    const started = value(await engine.call('requestMove', { loopId: loop.id, move: 'explore' }));
    expect(started).toMatchObject({ author: 'ai', move: 'explore', status: 'streaming', text: '' });

    const finished = await recorder.next('turn.finished', (e) => e.turn.id === started.id);
    const deltas = recorder.events.filter((e) => e.type === 'turn.delta');
    expect(deltas.length).toBeGreaterThan(5);
    expect(deltas.map((e) => (e.type === 'turn.delta' ? e.text : '')).join('')).toBe(finished.turn.text);
    expect(finished.turn).toMatchObject({
      status: 'complete',
      text: 'Option one: raise by 5%. Option two: hold. Option three: tier it.',
      model: 'llama3.2',
    });
    expect(finished.turn.stats?.promptTokens).toBeGreaterThan(0);

    const onDisk = await readLoopFile(loop.id);
    expect(onDisk.turns.at(-1)).toMatchObject({
      id: started.id,
      status: 'complete',
      text: finished.turn.text,
    });
  });

  it('sends the stance, the intent, the timeline and the move, with num_ctx set explicitly', async () => {
    const { loop } = await spaceAndLoop();
    value(await engine.call('addTurn', { loopId: loop.id, text: 'We sell to hospitals.' }));
    const recorder = recordEvents(engine);
    const turn = value(
      await engine.call('requestMove', { loopId: loop.id, move: 'challenge', steer: 'be blunt' }),
    );
    await recorder.next('turn.finished', (e) => e.turn.id === turn.id);
    const chat = fake.requests.filter((r) => r.path === '/api/chat').at(-1)?.body as {
      model: string;
      messages: { role: string; content: string }[];
      options: { num_ctx: number };
      stream: boolean;
    };
    expect(chat.model).toBe('llama3.2');
    expect(chat.stream).toBe(true);
    expect(chat.options.num_ctx).toBe(16384);
    expect(chat.messages[0]).toMatchObject({ role: 'system' });
    expect(chat.messages[0]!.content).toMatch(/never decide for them/);
    expect(chat.messages[1]!.content).toContain('Goal: Set a price');
    expect(chat.messages[2]).toEqual({ role: 'user', content: 'We sell to hospitals.' });
    const last = chat.messages.at(-1)!;
    expect(last.content).toMatch(/Move: CHALLENGE/);
    expect(last.content).toMatch(/be blunt/);
  });

  it('stops mid-stream, keeps the partial text and marks the turn stopped', async () => {
    const { loop } = await spaceAndLoop();
    fake.configure({ chunkDelayMs: 40 });
    fake.queueReply({ text: Array.from({ length: 60 }, (_, i) => `word${i}`).join(' ') });
    const recorder = recordEvents(engine);
    const turn = value(await engine.call('requestMove', { loopId: loop.id, move: 'explore' }));
    await recorder.next('turn.delta', (e) => e.turnId === turn.id && e.text.includes('word3'));
    const stopped = value(await engine.call('stopMove', { loopId: loop.id, turnId: turn.id }));
    expect(stopped.status).toBe('stopped');
    expect(stopped.text).toMatch(/^word0 word1 word2 word3/);
    expect(stopped.text).not.toContain('word59');
    const onDisk = await readLoopFile(loop.id);
    expect(onDisk.turns.at(-1)).toMatchObject({ status: 'stopped', text: stopped.text });
    await expect.poll(() => fake.openStreams).toBe(0);
  });

  it('refuses a second move in the same loop while one streams, but runs loops independently', async () => {
    const { space, loop } = await spaceAndLoop();
    const second = value(await engine.call('createLoop', { spaceId: space.id, title: 'Second' }));
    fake.configure({ chunkDelayMs: 30 });
    const recorder = recordEvents(engine);
    const first = value(await engine.call('requestMove', { loopId: loop.id, move: 'explore' }));
    const busy = await engine.call('requestMove', { loopId: loop.id, move: 'ask' });
    expect(busy).toMatchObject({ ok: false, error: { code: 'busy' } });
    const other = value(await engine.call('requestMove', { loopId: second.id, move: 'ask' }));
    value(await engine.call('stopMove', { loopId: loop.id, turnId: first.id }));
    const done = await recorder.next('turn.finished', (e) => e.turn.id === other.id);
    expect(done.turn.status).toBe('complete');
  });

  it('ends the turn with a clear error when Ollama is not running', async () => {
    const { loop } = await spaceAndLoop();
    await fake.stop();
    const recorder = recordEvents(engine);
    const turn = value(await engine.call('requestMove', { loopId: loop.id, move: 'explore' }));
    const { turn: failed } = await recorder.next('turn.finished', (e) => e.turn.id === turn.id);
    expect(failed.status).toBe('failed');
    expect(failed.error?.code).toBe('ollama-not-running');
    expect(failed.error?.message).toMatch(/ollama serve/);
  });

  it('says which model to pull when it is missing', async () => {
    const { loop } = await spaceAndLoop();
    value(await engine.call('updateSettings', { chatModel: 'mistral' }));
    const recorder = recordEvents(engine);
    const turn = value(await engine.call('requestMove', { loopId: loop.id, move: 'explore' }));
    const { turn: failed } = await recorder.next('turn.finished', (e) => e.turn.id === turn.id);
    expect(failed.error).toMatchObject({ code: 'model-missing' });
    expect(failed.error?.message).toContain('ollama pull mistral');
  });

  it('keeps what arrived when the connection drops mid-stream', async () => {
    const { loop } = await spaceAndLoop();
    fake.queueReply({ text: 'alpha beta gamma delta epsilon zeta', disconnectAfter: 3 });
    const recorder = recordEvents(engine);
    const turn = value(await engine.call('requestMove', { loopId: loop.id, move: 'explore' }));
    const { turn: failed } = await recorder.next('turn.finished', (e) => e.turn.id === turn.id);
    expect(failed.status).toBe('failed');
    expect(failed.error?.code).toBe('stream-interrupted');
    expect(failed.text).toBe('alpha beta gamma ');
    expect((await readLoopFile(loop.id)).turns.at(-1)?.text).toBe('alpha beta gamma ');
  });

  it("reports an error line inside the stream with Ollama's words, keeping the partial text", async () => {
    const { loop } = await spaceAndLoop();
    fake.queueReply({
      text: 'one two three four',
      errorLineAfter: { chunks: 2, error: 'model runner has unexpectedly stopped' },
    });
    const recorder = recordEvents(engine);
    const turn = value(await engine.call('requestMove', { loopId: loop.id, move: 'explore' }));
    const { turn: failed } = await recorder.next('turn.finished', (e) => e.turn.id === turn.id);
    expect(failed.error?.code).toBe('ollama-error');
    expect(failed.error?.message).toContain('model runner has unexpectedly stopped');
    expect(failed.text).toBe('one two ');
  });

  it('fails a stream that goes silent instead of hanging', async () => {
    await engine.close();
    engine = await openEngine(dataDir, fake.url, { stallTimeoutMs: 300 });
    const { loop } = await spaceAndLoop();
    fake.queueReply({ text: 'one two three four', stallAfter: 2 });
    const recorder = recordEvents(engine);
    const turn = value(await engine.call('requestMove', { loopId: loop.id, move: 'explore' }));
    const { turn: failed } = await recorder.next('turn.finished', (e) => e.turn.id === turn.id);
    expect(failed.error?.code).toBe('stream-stalled');
    expect(failed.text).toBe('one two ');
    await expect.poll(() => fake.openStreams).toBe(0);
  });

  it('fails a request whose answer never starts (a model that never finishes loading) instead of hanging', async () => {
    await engine.close();
    engine = await openEngine(dataDir, fake.url, { firstTokenTimeoutMs: 300 });
    const { loop } = await spaceAndLoop();
    fake.queueReply({ text: 'late', delayHeadersMs: 5_000 });
    const recorder = recordEvents(engine);
    const turn = value(await engine.call('requestMove', { loopId: loop.id, move: 'explore' }));
    const { turn: failed } = await recorder.next('turn.finished', (e) => e.turn.id === turn.id);
    expect(failed.error?.code).toBe('stream-stalled');
    expect(failed.error?.message).toMatch(/retry/i);
  });

  it('keeps other loops streaming while one request is stuck', async () => {
    await engine.close();
    engine = await openEngine(dataDir, fake.url, { stallTimeoutMs: 2_000 });
    const { space, loop } = await spaceAndLoop();
    const other = value(await engine.call('createLoop', { spaceId: space.id, title: 'Other' }));
    fake.queueReply({ text: 'stuck here forever', stallAfter: 1 }, { text: 'this one finishes' });
    const recorder = recordEvents(engine);
    const stuck = value(await engine.call('requestMove', { loopId: loop.id, move: 'explore' }));
    await recorder.next('turn.delta', (e) => e.turnId === stuck.id);
    const moving = value(await engine.call('requestMove', { loopId: other.id, move: 'explore' }));
    const { turn: done } = await recorder.next('turn.finished', (e) => e.turn.id === moving.id);
    expect(done).toMatchObject({ status: 'complete', text: 'this one finishes' });
    expect(recorder.events.some((e) => e.type === 'turn.finished' && e.turn.id === stuck.id)).toBe(false);
    value(await engine.call('stopMove', { loopId: loop.id, turnId: stuck.id }));
  });

  it("reports a server error (500) with Ollama's words", async () => {
    const { loop } = await spaceAndLoop();
    fake.queueReply({ status: { code: 500, error: 'llama runner process has terminated: signal: killed' } });
    const recorder = recordEvents(engine);
    const turn = value(await engine.call('requestMove', { loopId: loop.id, move: 'explore' }));
    const { turn: failed } = await recorder.next('turn.finished', (e) => e.turn.id === turn.id);
    expect(failed.error?.code).toBe('ollama-error');
    expect(failed.error?.message).toContain('llama runner process has terminated');
  });

  it('reports Ollama being busy (503) in words', async () => {
    const { loop } = await spaceAndLoop();
    fake.queueReply({
      status: { code: 503, error: 'server busy, please try again.  maximum pending requests exceeded' },
    });
    const recorder = recordEvents(engine);
    const turn = value(await engine.call('requestMove', { loopId: loop.id, move: 'explore' }));
    const { turn: failed } = await recorder.next('turn.finished', (e) => e.turn.id === turn.id);
    expect(failed.error?.code).toBe('ollama-busy');
  });

  it('marks a turn that was streaming when the engine died as interrupted', async () => {
    const { loop } = await spaceAndLoop();
    await engine.close();
    const path = join(dataDir, 'loops', `${loop.id}.json`);
    const file = JSON.parse(await readFile(path, 'utf8')) as { turns: unknown[] };
    const at = new Date().toISOString();
    file.turns.push({
      id: 'tn-cut',
      loopId: loop.id,
      author: 'ai',
      move: 'explore',
      text: 'half an ans',
      status: 'streaming',
      createdAt: at,
      updatedAt: at,
    });
    await writeFile(path, JSON.stringify(file));
    engine = await openEngine(dataDir, fake.url);
    const reopened = value(await engine.call('getLoop', { loopId: loop.id }));
    expect(reopened.turns.at(-1)).toMatchObject({ status: 'interrupted', text: 'half an ans' });
  });
});

describe('model status', () => {
  it('is connected when Ollama runs and the chat model is installed', async () => {
    const status = value(await engine.call('getModelStatus', {}));
    expect(status).toMatchObject({
      connection: 'connected',
      version: '0.12.6',
      chatModel: 'llama3.2',
      hostIsLocal: true,
    });
    expect(status.models.map((m) => m.name)).toContain('llama3.2:latest');
  });

  it('tells a first-time user to start Ollama when nothing listens', async () => {
    await fake.stop();
    const status = value(await engine.call('getModelStatus', {}));
    expect(status.connection).toBe('not-running');
    expect(status.advice).toMatch(/ollama serve/);
    await fake.start();
    expect(value(await engine.call('getModelStatus', {})).connection).toBe('connected');
  });

  it('names the pull command when the chat model or every model is missing', async () => {
    value(await engine.call('updateSettings', { chatModel: 'qwen3:4b' }));
    const missing = value(await engine.call('getModelStatus', {}));
    expect(missing.connection).toBe('model-missing');
    expect(missing.advice).toContain('ollama pull qwen3:4b');
    fake.configure({ models: [] });
    const none = value(await engine.call('getModelStatus', {}));
    expect(none.connection).toBe('no-models');
    expect(none.advice).toContain('ollama pull llama3.2');
  });
});
