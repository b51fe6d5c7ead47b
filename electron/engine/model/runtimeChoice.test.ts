/**
 * Which runtime answers: the setting (automatic, Ollama or built-in) globally and per space, a
 * settings file from before the setting existed, and a GGUF file the person points Keel at.
 */
import { execFileSync } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeOllama, type FakeOllama } from '../../../tests/fixtures/fakeOllama';
import { writeTinyGguf } from '../../../tests/fixtures/tinyGguf';
import {
  openEngine,
  recordEvents,
  removeDir,
  tempDataDir,
  value,
} from '../../../tests/helpers/engineHarness';
import type { Turn } from '../../../shared/domain';
import type { Engine } from '../Engine';

let dataDir: string;
let elsewhere: string;
let engine: Engine | undefined;
let fake: FakeOllama | undefined;

beforeEach(async () => {
  dataDir = await tempDataDir();
  elsewhere = await tempDataDir();
});

afterEach(async () => {
  await engine?.close();
  engine = undefined;
  await fake?.stop();
  fake = undefined;
  await removeDir(dataDir);
  await removeDir(elsewhere);
});

async function builtinModel(name = 'tiny.gguf'): Promise<void> {
  await mkdir(join(dataDir, 'models'), { recursive: true });
  await writeTinyGguf(join(dataDir, 'models', name), { seed: 5, contextLength: 4096 });
}

/** A new loop in the space with the person's `text`, and the AI's explore turn once it has finished. */
async function explore(on: Engine, spaceId: string, text: string): Promise<Turn> {
  const loop = value(await on.call('createLoop', { spaceId, title: 'Question' }));
  value(await on.call('addTurn', { loopId: loop.id, text }));
  const recorder = recordEvents(on);
  const started = value(await on.call('requestMove', { loopId: loop.id, move: 'explore' }));
  const { turn } = await recorder.next('turn.finished', (event) => event.turn.id === started.id, 90_000);
  return turn;
}

describe('the runtime setting', () => {
  it('upgrades a version-2 settings file to automatic, keeping every choice in it', async () => {
    // The settings file as version 2 of the format wrote it (Keel before the built-in runtime).
    await writeFile(
      join(dataDir, 'settings.json'),
      JSON.stringify(
        {
          version: 2,
          chatModel: 'qwen3:4b',
          embeddingModel: '',
          theme: 'dark',
          keepAlive: '1h',
          ollamaHost: '',
          allowRemoteHost: false,
          backupKeep: 7,
          lockAfterMinutes: 15,
          notifyDueForecasts: false,
        },
        null,
        2,
      ),
    );
    engine = await openEngine(dataDir, 'http://127.0.0.1:9');
    expect(value(await engine.call('getSettings', {}))).toMatchObject({
      chatModel: 'qwen3:4b',
      theme: 'dark',
      keepAlive: '1h',
      notifyDueForecasts: false,
      runtime: 'automatic',
      modelFiles: [],
    });
    value(await engine.call('updateSettings', { runtime: 'builtin' }));
    await engine.close();
    engine = undefined;
    const onDisk = JSON.parse(await readFile(join(dataDir, 'settings.json'), 'utf8')) as Record<
      string,
      unknown
    >;
    expect(onDisk).toMatchObject({ version: 3, runtime: 'builtin', chatModel: 'qwen3:4b', theme: 'dark' });
  });

  it('on automatic takes Ollama when it answers, else the built-in runtime', async () => {
    await builtinModel();
    fake = await startFakeOllama({ models: [{ name: 'llama3.2:latest' }] });
    engine = await openEngine(dataDir, fake.url);
    expect(value(await engine.call('getModelStatus', {}))).toMatchObject({
      connection: 'connected',
      chatModel: 'llama3.2',
    });
    await engine.close();
    engine = await openEngine(dataDir, 'http://127.0.0.1:9');
    expect(value(await engine.call('getModelStatus', {}))).toMatchObject({
      connection: 'connected',
      runtime: 'builtin',
      chatModel: 'tiny.gguf',
    });
  });

  it('keeps to Ollama when chosen, even with built-in models and no Ollama', async () => {
    await builtinModel();
    engine = await openEngine(dataDir, 'http://127.0.0.1:9');
    value(await engine.call('updateSettings', { runtime: 'ollama' }));
    const status = value(await engine.call('getModelStatus', {}));
    expect(status.runtime).toBeUndefined();
    // Ollama's own advice, not the built-in models: nothing listens at that address.
    expect(['not-running', 'unreachable']).toContain(status.connection);
    expect(status.models).toEqual([]);
  });

  it('lets one space use the built-in runtime while the rest use Ollama', async () => {
    await builtinModel();
    fake = await startFakeOllama({ models: [{ name: 'llama3.2:latest' }] });
    engine = await openEngine(dataDir, fake.url);
    // A chat model chosen in Settings is an Ollama model: the built-in space picks its own instead.
    value(await engine.call('updateSettings', { runtime: 'ollama', chatModel: 'llama3.2' }));
    const space = value(await engine.call('createSpace', { name: 'Offline' }));
    const updated = value(await engine.call('setSpaceModels', { spaceId: space.id, runtime: 'builtin' }));
    expect(updated.runtime).toBe('builtin');
    // The space's model pickers list its runtime's models, not the global runtime's.
    const names = (models: { name: string }[]) => models.map((model) => model.name);
    expect(names(value(await engine.call('listModels', {})))).toEqual(['llama3.2:latest']);
    expect(names(value(await engine.call('listModels', { runtime: 'builtin' })))).toEqual(['tiny.gguf']);
    expect(names(value(await engine.call('listModels', { runtime: 'ollama' })))).toEqual(['llama3.2:latest']);
    const turn = await explore(engine, space.id, 'A thought on the plane.');
    expect(turn.status).toBe('complete');
    expect(turn.model).toBe('tiny.gguf');
    // Ollama only warmed the model chosen in Settings (a request without messages); it answered nothing.
    const asked = fake.requests.filter(
      (request) =>
        request.path === '/api/chat' && (request.body as { messages?: unknown[] }).messages?.length,
    );
    expect(asked).toEqual([]);
    const cleared = value(await engine.call('setSpaceModels', { spaceId: space.id, runtime: null }));
    expect(cleared.runtime).toBeUndefined();
  }, 120_000);
});

describe('a built-in model that goes silent', () => {
  it('is stopped, and the turn says so in words', async () => {
    await builtinModel();
    // Loading the model alone takes longer than this, so nothing arrives in time.
    engine = await openEngine(dataDir, 'http://127.0.0.1:9', { firstTokenTimeoutMs: 200 });
    const space = value(await engine.call('createSpace', { name: 'Slow' }));
    const turn = await explore(engine, space.id, 'Anyone there?');
    expect(turn.status).toBe('failed');
    expect(turn.error?.message).toMatch(/^The built-in model sent nothing for 0 seconds, so Keel stopped it/);
  }, 120_000);
});

describe('a GGUF file the person points Keel at', () => {
  it('is checked, remembered and listed under its file name', async () => {
    const path = join(elsewhere, 'my-model.gguf');
    await writeTinyGguf(path, { seed: 9 });
    engine = await openEngine(dataDir, 'http://127.0.0.1:9');
    expect(value(await engine.call('useModelFile', { path }))).toEqual({ name: 'my-model.gguf' });
    expect(value(await engine.call('getSettings', {})).modelFiles).toEqual([path]);
    const status = value(await engine.call('getModelStatus', {}));
    expect(status).toMatchObject({ runtime: 'builtin', connection: 'connected', chatModel: 'my-model.gguf' });
  });

  it('is refused in words when it is not a model', async () => {
    const path = join(elsewhere, 'notes.gguf');
    await writeFile(path, 'my notes, not a model');
    engine = await openEngine(dataDir, 'http://127.0.0.1:9');
    const result = await engine.call('useModelFile', { path });
    expect(result).toMatchObject({
      ok: false,
      error: {
        code: 'invalid-input',
        message: 'Keel cannot use notes.gguf as a model: This is not a GGUF model file.',
      },
    });
    expect(value(await engine.call('getSettings', {})).modelFiles).toEqual([]);
  });

  it('is refused when it is a folder or a pipe, never read (a pipe would block the reader)', async () => {
    const folder = join(elsewhere, 'folder.gguf');
    await mkdir(folder);
    const pipe = join(elsewhere, 'pipe.gguf');
    execFileSync('mkfifo', [pipe]);
    engine = await openEngine(dataDir, 'http://127.0.0.1:9');
    for (const path of [folder, pipe]) {
      expect(await engine.call('useModelFile', { path })).toMatchObject({
        ok: false,
        error: { code: 'invalid-input', message: expect.stringMatching(/This is not a model file\.$/) },
      });
    }
  });
});
