import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ModelInfo } from '../../../shared/domain';
import { startFakeOllama, type FakeModel, type FakeOllama } from '../../../tests/fixtures/fakeOllama';
import { openEngine, recordEvents, value } from '../../../tests/helpers/engineHarness';
import { removeDir, tempDataDir } from '../../../tests/helpers/tempDir';
import type { Engine } from '../Engine';
import { pickAutomaticModels } from './automaticModels';

const GiB = 2 ** 30;

function info(name: string, size: number, capabilities = ['completion']): ModelInfo {
  return {
    name,
    size,
    family: '',
    parameterSize: '',
    quantization: '',
    capabilities,
    canChat: capabilities.includes('completion'),
    canEmbed: capabilities.includes('embedding'),
  };
}

describe('the rule for picking an installed model', () => {
  it('takes Keel’s default in any size, :latest first', () => {
    const picked = pickAutomaticModels(
      [info('qwen3:8b', 5.2 * GiB), info('llama3.2:1b', 1.3 * GiB), info('llama3.2:3b', 2 * GiB)],
      16 * GiB,
    );
    expect(picked.chat).toEqual({ name: 'llama3.2:3b', reason: 'Keel’s default chat model' });
    expect(
      pickAutomaticModels([info('llama3.2:3b', 2 * GiB), info('llama3.2:latest', 2 * GiB)], 16 * GiB).chat
        ?.name,
    ).toBe('llama3.2');
  });

  it('otherwise takes the largest chat model that fits in half the memory', () => {
    const models = [info('qwen3:8b', 5.2 * GiB), info('gemma3:27b', 17 * GiB), info('phi4-mini', 2.5 * GiB)];
    expect(pickAutomaticModels(models, 16 * GiB).chat).toEqual({
      name: 'qwen3:8b',
      reason: 'the largest chat model that fits in this computer’s 16 GB',
    });
    expect(pickAutomaticModels(models, 64 * GiB).chat?.name).toBe('gemma3:27b');
  });

  it('falls back to the smallest chat model when none fits, and never picks an embedding model for chat', () => {
    const picked = pickAutomaticModels(
      [
        info('gemma3:27b', 17 * GiB),
        info('qwen3:14b', 9 * GiB),
        info('nomic-embed-text:latest', 0.3 * GiB, ['embedding']),
      ],
      8 * GiB,
    );
    expect(picked.chat?.name).toBe('qwen3:14b');
    expect(picked.chat?.reason).toContain('none fits easily');
    expect(
      pickAutomaticModels([info('nomic-embed-text:latest', 0.3 * GiB, ['embedding'])], 8 * GiB).chat,
    ).toBe(undefined);
  });

  it('takes the default embedding model, else the smallest one, and none when none embeds', () => {
    expect(
      pickAutomaticModels(
        [
          info('mxbai-embed-large', 0.7 * GiB, ['embedding']),
          info('nomic-embed-text:latest', 0.3 * GiB, ['embedding']),
        ],
        8 * GiB,
      ).embedding,
    ).toEqual({ name: 'nomic-embed-text', reason: 'Keel’s default embedding model' });
    expect(
      pickAutomaticModels(
        [info('mxbai-embed-large', 0.7 * GiB, ['embedding']), info('all-minilm', 0.05 * GiB, ['embedding'])],
        8 * GiB,
      ).embedding?.name,
    ).toBe('all-minilm');
    expect(pickAutomaticModels([info('qwen3:8b', 5.2 * GiB)], 8 * GiB).embedding).toBe(undefined);
  });
});

describe('first run with models already installed', () => {
  let dataDir: string;
  let fake: FakeOllama;
  let engine: Engine;

  const qwen8b: FakeModel = {
    name: 'qwen3:8b',
    family: 'qwen3',
    parameterSize: '8.2B',
    size: 5_225_388_164,
    contextLength: 40960,
    capabilities: ['completion', 'thinking'],
  };

  beforeEach(async () => {
    dataDir = await tempDataDir();
  });

  afterEach(async () => {
    await engine.close();
    await fake.close();
    await removeDir(dataDir);
  });

  /** The model status of an engine on a fake Ollama that has `models` installed. */
  async function statusWith(models: FakeModel[]) {
    fake = await startFakeOllama({ models });
    engine = await openEngine(dataDir, fake.url);
    return value(await engine.call('getModelStatus', {}));
  }

  it('uses the installed chat model with no warning, says which and why, and a move streams from it', async () => {
    const status = await statusWith([qwen8b]);
    expect(status).toMatchObject({
      connection: 'connected',
      chatModel: 'qwen3:8b',
      chatModelPicked: 'the largest chat model that fits in this computer’s 16 GB',
    });
    expect(status.embeddingModel).toBeUndefined();

    const space = value(await engine.call('createSpace', { name: 'Acme' }));
    const loop = value(await engine.call('createLoop', { spaceId: space.id, title: 'Pricing' }));
    const recorder = recordEvents(engine);
    fake.queueReply({ chunks: ['Three ', 'options.'] });
    const turn = value(await engine.call('requestMove', { loopId: loop.id, move: 'explore' }));
    const { turn: done } = await recorder.next('turn.finished', (event) => event.turn.id === turn.id);
    expect(done.text).toBe('Three options.');
    expect(done.model).toBe('qwen3:8b');
    const chat = fake.requests.filter((request) => request.path === '/api/chat').at(-1);
    expect(chat?.body).toMatchObject({ model: 'qwen3:8b' });
    // Nothing was written as if the person had chosen it.
    expect(value(await engine.call('getSettings', {})).chatModel).toBe('');
  });

  it('names the embedding model it picked, and uses it for memory', async () => {
    const status = await statusWith([
      { name: 'llama3.2:3b' },
      { name: 'all-minilm:latest', size: 45_000_000, capabilities: ['embedding'] },
    ]);
    expect(status).toMatchObject({
      connection: 'connected',
      chatModel: 'llama3.2:3b',
      chatModelPicked: 'Keel’s default chat model',
      embeddingModel: 'all-minilm:latest',
      embeddingModelPicked: 'the smallest embedding model installed',
    });
    value(
      await engine.call('remember', {
        kind: 'preference',
        text: 'Keep answers short.',
        scope: { type: 'everywhere' },
      }),
    );
    await expect
      .poll(() => fake.requests.some((request) => request.path === '/api/embed'), { timeout: 5_000 })
      .toBe(true);
    const embed = fake.requests.find((request) => request.path === '/api/embed');
    expect(embed?.body).toMatchObject({ model: 'all-minilm:latest' });
  });

  it('offers the default for download only when no chat model is installed', async () => {
    const status = await statusWith([{ name: 'nomic-embed-text:latest', capabilities: ['embedding'] }]);
    expect(status.connection).toBe('no-models');
    expect(status.recommendedModel).toBe('llama3.2');
    expect(status.advice).toContain('no chat model');
  });

  it('never overrides a model the person chose', async () => {
    fake = await startFakeOllama({ models: [qwen8b] });
    engine = await openEngine(dataDir, fake.url);
    value(await engine.call('updateSettings', { chatModel: 'mistral' }));
    const status = value(await engine.call('getModelStatus', {}));
    expect(status).toMatchObject({ connection: 'model-missing', chatModel: 'mistral' });
    expect(status.chatModelPicked).toBeUndefined();
    // Going back to automatic is the person's choice too.
    value(await engine.call('updateSettings', { chatModel: '' }));
    expect(value(await engine.call('getModelStatus', {}))).toMatchObject({
      connection: 'connected',
      chatModel: 'qwen3:8b',
    });
  });

  it('upgrades a version-1 settings file: the defaults it wrote become "not chosen", a real choice stays', async () => {
    fake = await startFakeOllama({ models: [qwen8b] });
    // A settings file as version 1 wrote it for everyone, chosen or not; the engine opened on it.
    const current = {
      theme: 'dark',
      keepAlive: '10m',
      ollamaHost: '',
      allowRemoteHost: false,
      backupKeep: 7,
      lockAfterMinutes: 15,
    };
    const openOnVersion1 = async (chatModel: string, embeddingModel: string) => {
      await writeFile(
        join(dataDir, 'settings.json'),
        JSON.stringify({ ...current, version: 1, chatModel, embeddingModel }),
      );
      engine = await openEngine(dataDir, fake.url);
      return value(await engine.call('getSettings', {}));
    };
    expect(await openOnVersion1('llama3.2', 'nomic-embed-text')).toMatchObject({
      chatModel: '',
      embeddingModel: '',
      theme: 'dark',
    });
    expect(value(await engine.call('getModelStatus', {})).chatModel).toBe('qwen3:8b');
    await engine.close();

    expect(await openOnVersion1('qwen3:8b', 'mxbai-embed-large')).toMatchObject({
      chatModel: 'qwen3:8b',
      embeddingModel: 'mxbai-embed-large',
    });
  });
});
