/**
 * The same engine scenarios on both model runtimes: Ollama (the fake Ollama over real sockets) and
 * Keel's built-in runtime (node-llama-cpp in its own process, on tiny generated GGUF models in the
 * data folder's models folder, with no Ollama running). Moves stream and stop, memory and sources
 * are embedded and found, lessons come in their JSON schema; the built-in runtime killed mid-answer
 * ends the turn with a clear error and the next move works.
 *
 * Thinking kept apart: a space set to a thinking model. On Ollama the fake sends `thinking` beside the
 * answer; on the built-in runtime a scripted tiny model (a bigram chain with a thinking chat template)
 * writes `<think>Why?</think>Yes.`, node-llama-cpp parses the thought segment, and the runtime passes it
 * as the turn's thinking. Every AI move runs on that model too, since its answers are short.
 */
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { aiMoves, type AiMove } from '../../shared/domain';
import type { Engine } from '../../electron/engine/Engine';
import { startFakeOllama, type FakeOllama, type FakeReply } from '../fixtures/fakeOllama';
import { writeTinyGguf } from '../fixtures/tinyGguf';
import { childProcessLauncher, type RuntimeProcess } from '../../electron/engine/model/builtin/launcher';
import { runtimeHostPath } from '../../electron/engine/model/builtin/runtimeHostPath';
import { openEngine, recordEvents, removeDir, tempDataDir, value } from '../helpers/engineHarness';

const runtimes = ['ollama', 'builtin'] as const;

describe.each(runtimes)('the engine on the %s runtime', (runtime) => {
  let dataDir: string;
  let engine: Engine;
  let fake: FakeOllama | undefined;
  const launched: { process: RuntimeProcess; modelPath: string }[] = [];
  // Ollama's models go by their short names, the built-in runtime's by their files.
  const chatModel = runtime === 'builtin' ? 'tiny-chat.gguf' : 'llama3.2';
  const embeddingModel = runtime === 'builtin' ? 'tiny-embed.gguf' : 'nomic-embed-text';
  const thinkingModel = runtime === 'builtin' ? 'tiny-think.gguf' : 'qwen3:4b';

  beforeAll(async () => {
    dataDir = await tempDataDir();
    if (runtime === 'builtin') {
      await mkdir(join(dataDir, 'models'));
      await writeTinyGguf(join(dataDir, 'models', 'tiny-chat.gguf'), { seed: 21, contextLength: 4096 });
      await writeTinyGguf(join(dataDir, 'models', 'tiny-embed.gguf'), { seed: 22, embeddingModel: true });
      // Smaller than tiny-chat, so automatic keeps picking tiny-chat (the largest that fits).
      await writeTinyGguf(join(dataDir, 'models', thinkingModel), {
        layers: 1,
        embedding: 32,
        heads: 2,
        kvHeads: 1,
        feedForward: 32,
        contextLength: 4096,
        scripted: { thought: 'Why?', answer: 'Yes.' },
      });
      // Nothing listens here: automatic finds no Ollama and takes the built-in runtime.
      engine = await openEngine(dataDir, 'http://127.0.0.1:9', {
        // The child process launcher Keel uses under the web host, noting each process it starts.
        runtimeLauncher: (options, events) => {
          const started = childProcessLauncher(runtimeHostPath)(options, events);
          const entry = { process: started, modelPath: '' };
          launched.push(entry);
          return {
            get pid() {
              return started.pid;
            },
            send(request) {
              if (request.type === 'load') entry.modelPath = request.modelPath;
              started.send(request);
            },
            kill: () => started.kill(),
          };
        },
      });
    } else {
      fake = await startFakeOllama({
        models: [
          { name: 'llama3.2:latest' },
          { name: 'nomic-embed-text:latest', capabilities: ['embedding'] },
          { name: thinkingModel, capabilities: ['completion', 'thinking'] },
        ],
      });
      engine = await openEngine(dataDir, fake.url);
    }
  }, 120_000);

  afterAll(async () => {
    await engine?.close();
    await fake?.stop();
    if (dataDir) await removeDir(dataDir);
  });

  async function loopWith(text: string) {
    const space = value(await engine.call('createSpace', { name: `Space ${Math.random()}` }));
    const loop = value(await engine.call('createLoop', { spaceId: space.id, title: 'Pricing' }));
    value(await engine.call('addTurn', { loopId: loop.id, text }));
    return { space, loop };
  }

  async function move(
    loopId: string,
    kind: AiMove = 'explore',
    reply: FakeReply = { chunks: ['Three ', 'options.'] },
  ) {
    fake?.queueReply(reply);
    const recorder = recordEvents(engine);
    const started = value(await engine.call('requestMove', { loopId, move: kind }));
    const { turn } = await recorder.next('turn.finished', (event) => event.turn.id === started.id, 90_000);
    recorder.stop();
    const deltas = recorder.events.flatMap((event) =>
      event.type === 'turn.delta' && event.turnId === started.id ? [event] : [],
    );
    return { turn, deltas };
  }

  it('picks its models and says which runtime serves them', async () => {
    const status = value(await engine.call('getModelStatus', {}));
    expect(status).toMatchObject({ connection: 'connected', chatModel, embeddingModel });
    expect(status.runtime ?? 'ollama').toBe(runtime);
    const models = value(await engine.call('listModels', {}));
    expect(models.find((model) => model.name.startsWith(chatModel))).toMatchObject({
      canChat: true,
      canEmbed: false,
    });
    expect(models.find((model) => model.name.startsWith(embeddingModel))).toMatchObject({ canEmbed: true });
  });

  it('streams a move’s answer piece by piece', async () => {
    const { loop } = await loopWith('Should we raise prices?');
    const { turn, deltas } = await move(loop.id);
    expect(turn.status).toBe('complete');
    expect(turn.model).toBe(chatModel);
    expect(deltas.length).toBeGreaterThan(1);
    expect(deltas.map((delta) => delta.text).join('')).toBe(turn.text);
    if (runtime === 'ollama') expect(turn.text).toBe('Three options.');
  }, 120_000);

  it('keeps thinking apart from the answer in a space set to a thinking model', async () => {
    const models = value(await engine.call('listModels', {}));
    expect(models.find((model) => model.name.startsWith(thinkingModel))?.capabilities).toContain('thinking');
    const { space, loop } = await loopWith('Think first.');
    value(await engine.call('setSpaceModels', { spaceId: space.id, chatModel: thinkingModel }));
    const { turn, deltas } = await move(loop.id, 'explore', { thinking: 'Why?', chunks: ['Yes.'] });
    expect(turn.error?.message ?? '').toBe('');
    expect(turn.status).toBe('complete');
    expect(turn.model).toBe(thinkingModel);
    expect(turn.thinking).toBe('Why?');
    expect(turn.text).toBe('Yes.');
    // Streamed apart too: the answer's pieces carry no thought.
    expect(deltas.map((delta) => delta.text).join('')).toBe('Yes.');
    expect(deltas.map((delta) => delta.thinking ?? '').join('')).toBe('Why?');
    const stored = value(await engine.call('getLoop', { loopId: loop.id })).turns.find(
      (t) => t.id === turn.id,
    );
    expect(stored).toMatchObject({ thinking: 'Why?', text: 'Yes.' });
  }, 120_000);

  it('answers every AI move, in a space set to the thinking model (short answers, so every move runs)', async () => {
    const { space, loop } = await loopWith('Should we open a second office?');
    value(await engine.call('setSpaceModels', { spaceId: space.id, chatModel: thinkingModel }));
    for (const kind of aiMoves) {
      const { turn } = await move(loop.id, kind, { thinking: 'Why?', chunks: ['Yes.'] });
      expect({ kind, status: turn.status, text: turn.text, thinking: turn.thinking }).toEqual({
        kind,
        status: 'complete',
        text: 'Yes.',
        thinking: 'Why?',
      });
    }
  }, 180_000);

  it('stops an answer when the person stops it', async () => {
    const { loop } = await loopWith('Talk at length.');
    fake?.configure({ chunkDelayMs: 20 });
    fake?.queueReply({ chunks: Array.from({ length: 400 }, () => 'word ') });
    const recorder = recordEvents(engine);
    const started = value(await engine.call('requestMove', { loopId: loop.id, move: 'explore' }));
    await recorder.next('turn.delta', (event) => event.turnId === started.id, 90_000);
    value(await engine.call('stopMove', { turnId: started.id, loopId: loop.id }));
    const { turn } = await recorder.next('turn.finished', (event) => event.turn.id === started.id, 30_000);
    recorder.stop();
    fake?.configure({ chunkDelayMs: 0 });
    expect(turn.status).toBe('stopped');
  }, 120_000);

  it('remembers with embeddings and recalls the memory in a move', async () => {
    const { space, loop } = await loopWith('How does Acme measure success: by churn?');
    const item = value(
      await engine.call('remember', {
        text: 'Acme measures success by churn',
        scope: { type: 'space', spaceId: space.id },
      }),
    );
    await expect
      .poll(async () => (await filesUnder(join(dataDir, 'memory'))).includes(`"${item.item.id}":[`), {
        timeout: 60_000,
      })
      .toBe(true);
    const { turn } = await move(loop.id);
    expect(turn.status).toBe('complete');
    expect(turn.memoriesUsed?.map((used) => used.id)).toContain(item.item.id);
  }, 120_000);

  it('embeds a source’s passages and brings them into a move', async () => {
    const { space, loop } = await loopWith('What does the loyalty scheme cost?');
    const added = value(
      await engine.call('addSource', {
        spaceId: space.id,
        fileName: 'loyalty.md',
        text: '# Loyalty scheme\n\nThe loyalty scheme costs 40,000 a year and keeps 3% of customers.',
      }),
    );
    await expect
      .poll(
        async () =>
          value(await engine.call('listSources', { spaceId: space.id })).find(
            (source) => source.id === added.source.id,
          )?.embedded,
        { timeout: 60_000 },
      )
      .toBe(true);
    const { turn } = await move(loop.id);
    expect(turn.passages?.length).toBeGreaterThan(0);
  }, 120_000);

  it('ends a turn with a clear error when the runtime dies mid-answer, and answers the next one', async () => {
    if (runtime === 'ollama') return; // Ollama's process is not Keel's; its cut streams are in models.test.ts.
    const { loop } = await loopWith('Talk at length.');
    const recorder = recordEvents(engine);
    const started = value(await engine.call('requestMove', { loopId: loop.id, move: 'explore' }));
    await recorder.next('turn.delta', (event) => event.turnId === started.id, 90_000);
    const chat = launched.filter((entry) => entry.modelPath.endsWith(chatModel)).at(-1);
    process.kill(chat!.process.pid!, 'SIGKILL');
    const { turn } = await recorder.next('turn.finished', (event) => event.turn.id === started.id, 30_000);
    recorder.stop();
    expect(turn.status).toBe('failed');
    expect(turn.error?.message).toMatch(
      /built-in model stopped unexpectedly.*starts it again with the next request/,
    );
    const next = await move(loop.id);
    expect(next.turn.status).toBe('complete');
    expect(next.turn.text.length).toBeGreaterThan(0);
  }, 180_000);

  it('proposes lessons in the JSON schema Keel asks for', async () => {
    const { loop } = await loopWith('We chose the cheaper supplier and it failed.');
    fake?.queueReply({
      text: JSON.stringify({
        lessons: [
          { kind: 'lesson', text: 'Cheap suppliers cost more later.', scope: 'everywhere', turns: ['T1'] },
        ],
      }),
    });
    const proposed = await engine.call('proposeLessons', { loopId: loop.id });
    // The tiny model's lessons are gibberish, but they arrive in the shape asked for (or none).
    expect(proposed.ok).toBe(true);
    if (runtime === 'ollama') {
      expect(value(proposed)).toEqual([
        expect.objectContaining({ text: 'Cheap suppliers cost more later.' }),
      ]);
    }
  }, 180_000);
});

async function filesUnder(folder: string): Promise<string> {
  const names = await readdir(folder).catch(() => [] as string[]);
  return (await Promise.all(names.map((name) => readFile(join(folder, name), 'utf8').catch(() => '')))).join(
    '\n',
  );
}
