/**
 * The catalog and its downloads through the engine's contract, as the workspace calls them: the
 * recommendation for this machine, a download started by a call, the file in `<dataDir>/models/`,
 * and the download hosts named where the Privacy page reads them.
 */
import { createHash } from 'node:crypto';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { Engine } from '../../Engine';
import { startFakeModelHost, type FakeModelHost } from '../../../../tests/fixtures/fakeModelHost';
import { buildTinyGguf } from '../../../../tests/fixtures/tinyGguf';
import {
  openEngine,
  recordEvents,
  removeDir,
  tempDataDir,
  value,
} from '../../../../tests/helpers/engineHarness';

const { bytes } = buildTinyGguf();
let dataDir: string;
let host: FakeModelHost;
let engine: Engine;

beforeEach(async () => {
  dataDir = await tempDataDir();
  host = await startFakeModelHost();
  host.route('/tiny.gguf', { file: { body: bytes } });
  engine = await openEngine(dataDir, 'http://127.0.0.1:9', {
    memoryBytes: 8 * 1024 ** 3,
    detectGpu: async () => null,
    modelCatalog: {
      origins: [host.origin],
      entries: [
        {
          id: 'tiny-chat',
          name: 'Tiny Chat',
          kind: 'chat',
          fileName: 'tiny-chat.gguf',
          url: `${host.origin}/tiny.gguf`,
          bytes: bytes.length,
          sha256: createHash('sha256').update(bytes).digest('hex'),
          license: 'MIT',
          contextLength: 512,
          memoryBytes: 50_000_000,
        },
      ],
    },
  });
});

afterEach(async () => {
  await engine.close();
  await host.close();
  await removeDir(dataDir);
});

it('recommends the model that fits, downloads it on request and lists it as installed', async () => {
  const before = value(await engine.call('getModelCatalog', {}));
  expect(before.recommended).toEqual({
    chat: 'tiny-chat',
    embedding: '',
    reason: 'Fits in your 8 GB with room for your other apps.',
  });
  expect(before.gpu).toBeNull();
  expect(before.downloadHosts).toEqual([new URL(host.origin).host]);
  expect(before.models).toEqual([expect.objectContaining({ id: 'tiny-chat', installed: false })]);
  // Nothing is fetched until the person asks.
  expect(host.requests).toEqual([]);

  const events = recordEvents(engine);
  expect(value(await engine.call('downloadModel', { id: 'tiny-chat' }))).toMatchObject({ state: 'pulling' });
  await events.next('pull.progress', (event) => event.progress.state === 'done');
  expect(await readdir(join(dataDir, 'models'))).toEqual(['tiny-chat.gguf']);
  expect(value(await engine.call('getModelCatalog', {})).models[0]?.installed).toBe(true);
  expect(value(await engine.call('getOutboundLog', {}))).toEqual([
    expect.objectContaining({
      origin: host.origin,
      path: '/tiny.gguf',
      status: 200,
      bytesReceived: bytes.length,
    }),
  ]);
});

it('answers a model that is not in the catalog, and a file that is not a model, in words', async () => {
  const unknown = await engine.call('downloadModel', { id: 'gpt-5' });
  expect(unknown).toEqual({
    ok: false,
    error: { code: 'not-found', message: "Keel's catalog has no model called gpt-5.", field: 'id' },
  });
  const notes = join(dataDir, 'notes.gguf');
  await writeFile(notes, 'Meeting notes');
  const refused = await engine.call('addModelFile', { path: notes });
  expect(refused.ok).toBe(false);
  expect(!refused.ok && refused.error.message).toBe(
    `${notes} is not a model Keel can use: it does not start the way a GGUF file does.`,
  );
});
