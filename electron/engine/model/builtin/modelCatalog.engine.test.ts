/**
 * The catalog and its downloads through the engine's contract, as the workspace calls them: the
 * recommendation for this machine, a download started by a call, the file in `<dataDir>/models/`,
 * and the download hosts named where the Privacy page reads them.
 */
import { createHash } from 'node:crypto';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
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

it('answers a model that is not in the catalog in words', async () => {
  const unknown = await engine.call('downloadModel', { id: 'gpt-5' });
  expect(unknown).toEqual({
    ok: false,
    error: { code: 'not-found', message: "Keel's catalog has no model called gpt-5.", field: 'id' },
  });
});

describe('a GGUF file already on disk', () => {
  it('is checked, then listed under its file name where it is, without a copy', async () => {
    const path = join(dataDir, 'mine.gguf');
    await writeFile(path, bytes);
    expect(value(await engine.call('useModelFile', { path }))).toEqual({ name: 'mine.gguf' });
    expect(await readdir(dataDir)).not.toContain('models');
    expect(value(await engine.call('listModels', {})).map((model) => model.name)).toContain('mine.gguf');
  });

  it('is refused in plain words when it is not a model', async () => {
    const cases: [string, Buffer, string][] = [
      ['notes.gguf', Buffer.from('Meeting notes, not a model'), 'This is not a GGUF model file.'],
      ['empty.gguf', Buffer.alloc(0), 'This is not a GGUF model file.'],
      [
        'v9.gguf',
        Buffer.concat([Buffer.from('GGUF'), u32(9), u64(1n), u64(0n), Buffer.alloc(16)]),
        'GGUF version 9 is not one Keel reads.',
      ],
      [
        'keys.gguf',
        Buffer.concat([Buffer.from('GGUF'), u32(3), u64(1n), u64(0xffffffffffn), Buffer.alloc(16)]),
        'The GGUF header holds too many keys.',
      ],
      [
        'long-text.gguf',
        Buffer.concat([Buffer.from('GGUF'), u32(3), u64(1n), u64(1n), u64(1n << 40n), Buffer.alloc(16)]),
        'The GGUF header holds an impossibly long text.',
      ],
      [
        'no-kind.gguf',
        Buffer.concat([Buffer.from('GGUF'), u32(3), u64(1n), u64(0n), Buffer.alloc(16)]),
        'The GGUF file does not say what kind of model it is.',
      ],
    ];
    for (const [name, content, why] of cases) {
      const path = join(dataDir, name);
      await writeFile(path, content);
      expect(await engine.call('useModelFile', { path }), name).toEqual({
        ok: false,
        error: { code: 'invalid-input', message: `Keel cannot use ${name} as a model: ${why}` },
      });
    }
    // None of them is remembered.
    expect(value(await engine.call('getSettings', {})).modelFiles).toEqual([]);
  });
});

function u32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeUInt32LE(value);
  return buffer;
}

function u64(value: bigint): Buffer {
  const buffer = Buffer.alloc(8);
  buffer.writeBigUInt64LE(value);
  return buffer;
}
