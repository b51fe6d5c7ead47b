import { describe, expect, it } from 'vitest';
import { recordEvents, value } from '../../../tests/helpers/engineHarness';
import { engineForEachTest } from '../../../tests/helpers/engineSession';
import { chooseNumCtx, startAdvice } from './ModelService';

const t = engineForEachTest();

const qwen = {
  name: 'qwen3:4b',
  family: 'qwen3',
  parameterSize: '4.0B',
  contextLength: 40960,
  capabilities: ['completion', 'thinking'],
};

async function loopIn(spaceName = 'Acme') {
  const space = value(await t.engine.call('createSpace', { name: spaceName }));
  return value(await t.engine.call('createLoop', { spaceId: space.id, title: 'Question' }));
}

function chatRequests() {
  return t.fake.requests
    .filter((request) => request.path === '/api/chat')
    .map((request) => request.body as Record<string, unknown>);
}

describe('choosing models', () => {
  it('lists installed models with what each can do', async () => {
    const models = value(await t.engine.call('listModels', {}));
    expect(models).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          name: 'llama3.2:latest',
          canChat: true,
          canEmbed: false,
          contextLength: 131072,
        }),
        expect.objectContaining({ name: 'nomic-embed-text:latest', canChat: false, canEmbed: true }),
      ]),
    );
  });

  it('refuses an embedding model for chat and a chat model for embeddings, in words', async () => {
    const chat = await t.engine.call('updateSettings', { chatModel: 'nomic-embed-text' });
    expect(chat).toMatchObject({ ok: false, error: { code: 'model-unsuitable', field: 'chatModel' } });
    if (!chat.ok) expect(chat.error.message).toMatch(/embedding model.*cannot write answers/);
    const embed = await t.engine.call('updateSettings', { embeddingModel: 'llama3.2' });
    expect(embed).toMatchObject({ ok: false, error: { code: 'model-unsuitable', field: 'embeddingModel' } });
    // Refused, so nothing changed: still no model of the person's choosing.
    expect(value(await t.engine.call('getSettings', {})).chatModel).toBe('');
  });

  it('lets a space use its own chat model', async () => {
    t.fake.configure({ models: [{ name: 'llama3.2:latest' }, qwen] });
    const space = value(await t.engine.call('createSpace', { name: 'Journal', kind: 'journal' }));
    value(await t.engine.call('setSpaceModels', { spaceId: space.id, chatModel: 'qwen3:4b' }));
    const loop = value(await t.engine.call('createLoop', { spaceId: space.id, title: 'Monday' }));
    const recorder = recordEvents(t.engine);
    const turn = value(await t.engine.call('requestMove', { loopId: loop.id, move: 'ask' }));
    const { turn: done } = await recorder.next('turn.finished', (event) => event.turn.id === turn.id);
    expect(done.model).toBe('qwen3:4b');
    const cleared = value(await t.engine.call('setSpaceModels', { spaceId: space.id, chatModel: null }));
    expect(cleared.chatModel).toBeUndefined();
  });

  it('rejects a keep_alive that Ollama would not understand', async () => {
    const bad = await t.engine.call('updateSettings', { keepAlive: 'forever' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'keepAlive' } });
    expect(value(await t.engine.call('updateSettings', { keepAlive: '-1' })).keepAlive).toBe('-1');
  });
});

describe('pulling a model', () => {
  it('reports progress a bar can show, then the model is installed', async () => {
    t.fake.configure({ chunkDelayMs: 20, pullChunkBytes: 100_000_000 });
    const recorder = recordEvents(t.engine);
    const first = value(await t.engine.call('pullModel', { model: 'qwen3:4b' }));
    expect(first.state).toBe('pulling');
    const done = await recorder.next('pull.progress', (event) => event.progress.state !== 'pulling');
    expect(done.progress).toMatchObject({ state: 'done', percent: 100, status: 'success' });
    const progress = recorder.events.flatMap((event) =>
      event.type === 'pull.progress' ? [event.progress] : [],
    );
    const moving = progress.filter((step) => step.percent !== undefined && step.percent < 100);
    expect(moving.length).toBeGreaterThan(2);
    const percents = moving.map((step) => step.percent ?? 0);
    expect([...percents].sort((a, b) => a - b)).toEqual(percents);
    expect(progress.map((step) => step.status)).toEqual(expect.arrayContaining(['pulling manifest']));
    expect(
      progress.some((step) => step.status.startsWith('pulling ') && step.totalBytes === 2497293918),
    ).toBe(true);
    expect(progress.some((step) => (step.bytesPerSecond ?? 0) > 0 && (step.secondsLeft ?? -1) >= 0)).toBe(
      true,
    );
    const models = value(await t.engine.call('listModels', {}));
    expect(models.map((model) => model.name)).toContain('qwen3:4b');
  });

  it('says plainly when no model has that name', async () => {
    const recorder = recordEvents(t.engine);
    value(await t.engine.call('pullModel', { model: 'llama-three-point-two' }));
    const { progress } = await recorder.next('pull.progress', (event) => event.progress.state !== 'pulling');
    expect(progress.state).toBe('failed');
    expect(progress.error?.message).toMatch(/could not find a model named "llama-three-point-two"/);
  });

  it('can be cancelled, and pulling again resumes where it stopped', async () => {
    t.fake.configure({ chunkDelayMs: 30, pullChunkBytes: 50_000_000 });
    const recorder = recordEvents(t.engine);
    value(await t.engine.call('pullModel', { model: 'qwen3:4b' }));
    await recorder.next('pull.progress', (event) => (event.progress.percent ?? 0) > 10);
    const cancelled = value(await t.engine.call('cancelPull', { model: 'qwen3:4b' }));
    expect(cancelled.state).toBe('cancelled');
    const reached = cancelled.completedBytes;
    expect(reached).toBeGreaterThan(0);
    recorder.events.length = 0;
    value(await t.engine.call('pullModel', { model: 'qwen3:4b' }));
    const resumed = await recorder.next('pull.progress', (event) => event.progress.totalBytes > 0);
    expect(resumed.progress.completedBytes).toBeGreaterThanOrEqual(reached);
    const done = await recorder.next('pull.progress', (event) => event.progress.state !== 'pulling');
    expect(done.progress.state).toBe('done');
  });

  it('refuses a model name that is not one', async () => {
    const bad = await t.engine.call('pullModel', { model: 'rm -rf /' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'model' } });
  });
});

describe('warming and context', () => {
  it('loads the chat model when a loop is opened, with the same num_ctx and keep_alive as moves', async () => {
    const loop = await loopIn();
    const recorder = recordEvents(t.engine);
    value(await t.engine.call('getLoop', { loopId: loop.id }));
    await recorder.next('model.warmup', (event) => event.warmup.state === 'loading');
    const ready = await recorder.next('model.warmup', (event) => event.warmup.state === 'ready');
    expect(ready.warmup.model).toBe('llama3.2');
    const load = chatRequests().find((body) => Array.isArray(body.messages) && body.messages.length === 0);
    expect(load).toMatchObject({ model: 'llama3.2', keep_alive: '10m', options: { num_ctx: 16384 } });
  });

  it('sends keep_alive as Ollama reads it', async () => {
    value(await t.engine.call('updateSettings', { keepAlive: '-1' }));
    value(await t.engine.call('warmModel', {}));
    expect(chatRequests().at(-1)).toMatchObject({ keep_alive: -1 });
  });

  it('chooses num_ctx from the model and the machine, and tells how full the next request is', async () => {
    expect(chooseNumCtx(131072, 8 * 2 ** 30)).toBe(8192);
    expect(chooseNumCtx(131072, 16 * 2 ** 30)).toBe(16384);
    expect(chooseNumCtx(2048, 64 * 2 ** 30)).toBe(2048);
    expect(chooseNumCtx(undefined, 4 * 2 ** 30)).toBe(4096);
    const loop = await loopIn();
    value(await t.engine.call('addTurn', { loopId: loop.id, text: 'word '.repeat(400) }));
    const usage = value(await t.engine.call('getContextUsage', { loopId: loop.id }));
    expect(usage).toMatchObject({ model: 'llama3.2', numCtx: 16384, omittedTurns: 0 });
    expect(usage.estimatedTokens).toBeGreaterThan(500);
  });

  it('marks a turn whose prompt Ollama cut, or whose answer hit the length limit', async () => {
    const loop = await loopIn();
    const recorder = recordEvents(t.engine);
    t.fake.queueReply({ text: 'cut answer', doneReason: 'length' });
    const long = value(await t.engine.call('requestMove', { loopId: loop.id, move: 'explore' }));
    const { turn: answerCut } = await recorder.next('turn.finished', (event) => event.turn.id === long.id);
    expect(answerCut.stats?.truncated).toBe('answer');
    t.fake.queueReply({ text: 'answer', promptEvalCount: 16384 });
    const full = value(await t.engine.call('requestMove', { loopId: loop.id, move: 'explore' }));
    const { turn: promptCut } = await recorder.next('turn.finished', (event) => event.turn.id === full.id);
    expect(promptCut.stats?.truncated).toBe('prompt');
    t.fake.queueReply({ text: 'fine' });
    const normal = value(await t.engine.call('requestMove', { loopId: loop.id, move: 'explore' }));
    const { turn: fine } = await recorder.next('turn.finished', (event) => event.turn.id === normal.id);
    expect(fine.stats?.truncated).toBeUndefined();
  });
});

describe('thinking models', () => {
  it('asks them to think and keeps the thinking apart from the answer and out of later prompts', async () => {
    t.fake.configure({ models: [{ name: 'llama3.2:latest' }, qwen] });
    value(await t.engine.call('updateSettings', { chatModel: 'qwen3:4b' }));
    const loop = await loopIn();
    const recorder = recordEvents(t.engine);
    t.fake.queueReply({ thinking: 'SECRET-REASONING about the options', text: 'Three options follow.' });
    const turn = value(await t.engine.call('requestMove', { loopId: loop.id, move: 'explore' }));
    const { turn: done } = await recorder.next('turn.finished', (event) => event.turn.id === turn.id);
    expect(done.text).toBe('Three options follow.');
    expect(done.thinking).toBe('SECRET-REASONING about the options');
    expect(chatRequests().at(-1)).toMatchObject({ think: true });
    const next = value(await t.engine.call('requestMove', { loopId: loop.id, move: 'challenge' }));
    await recorder.next('turn.finished', (event) => event.turn.id === next.id);
    expect(JSON.stringify(chatRequests().at(-1))).not.toContain('SECRET-REASONING');
  });

  it('does not ask a model that cannot think', async () => {
    const loop = await loopIn();
    const recorder = recordEvents(t.engine);
    const turn = value(await t.engine.call('requestMove', { loopId: loop.id, move: 'explore' }));
    await recorder.next('turn.finished', (event) => event.turn.id === turn.id);
    expect(chatRequests().at(-1)).not.toHaveProperty('think');
  });
});

describe('the model host', () => {
  it('refuses a host on another machine until the person allows it, and sends nothing there', async () => {
    value(await t.engine.call('updateSettings', { ollamaHost: 'http://10.20.30.40:11434' }));
    const status = value(await t.engine.call('getModelStatus', {}));
    expect(status).toMatchObject({
      connection: 'remote-not-allowed',
      hostIsLocal: false,
      hostSource: 'settings',
    });
    expect(status.advice).toMatch(/prompts would leave it/);
    const loop = await loopIn();
    const recorder = recordEvents(t.engine);
    const turn = value(await t.engine.call('requestMove', { loopId: loop.id, move: 'explore' }));
    const { turn: refused } = await recorder.next('turn.finished', (event) => event.turn.id === turn.id);
    expect(refused.error?.code).toBe('host-not-allowed');
    expect(
      t.engine.outbound.list().filter((record) => record.origin.includes('10.20.30.40') && !record.refused),
    ).toEqual([]);
  });

  it('says which host was tried and where it came from', async () => {
    await t.fake.stop();
    value(await t.engine.call('updateSettings', { ollamaHost: `127.0.0.2:${t.fake.port}` }));
    const status = value(await t.engine.call('getModelStatus', {}));
    expect(status.host).toBe(`http://127.0.0.2:${t.fake.port}`);
    expect(status.hostSource).toBe('settings');
    expect(['not-running', 'unreachable']).toContain(status.connection);
    value(await t.engine.call('updateSettings', { ollamaHost: '' }));
    await t.fake.start();
    expect(value(await t.engine.call('getModelStatus', {})).connection).toBe('connected');
  });

  it('tells every listener when the connection changes', async () => {
    const recorder = recordEvents(t.engine);
    await t.engine.call('getModelStatus', {});
    await t.fake.stop();
    await t.engine.call('getModelStatus', {});
    await t.engine.call('getModelStatus', {});
    await t.fake.start();
    await t.engine.call('getModelStatus', {});
    const changes = recorder.events.flatMap((event) =>
      event.type === 'model.status' ? [event.status.connection] : [],
    );
    expect(changes).toEqual(['connected', 'not-running', 'connected']);
  });

  it('gives start-up advice for each operating system', () => {
    expect(startAdvice('mac')).toMatch(/Applications/);
    expect(startAdvice('windows')).toMatch(/Start menu/);
    expect(startAdvice('linux')).toMatch(/ollama serve/);
  });

  it('records every request it sent', async () => {
    await t.engine.call('getModelStatus', {});
    const paths = t.engine.outbound.list().map((record) => record.path);
    expect(paths).toEqual(expect.arrayContaining(['/api/version', '/api/tags']));
    expect(t.engine.outbound.list().every((record) => record.origin === t.fake.url)).toBe(true);
  });
});
