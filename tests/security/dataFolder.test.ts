/**
 * A hostile neighbour on the same machine (another account) must not read the data folder: the
 * folder is 0700 and every file Keel writes is 0600, the lock-holder note says nothing private, and
 * a backup's manifest holds no word of the person's content.
 */
import { chmod, mkdir, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/engine/Engine';
import { startFakeOllama, type FakeOllama } from '../fixtures/fakeOllama';
import { openEngine, recordEvents, removeDir, tempDataDir, value } from '../helpers/engineHarness';

const secret = 'NEIGHBOUR-MUST-NOT-READ';
let parent: string;
let fake: FakeOllama;
let engine: Engine | undefined;

beforeEach(async () => {
  parent = await tempDataDir();
  fake = await startFakeOllama();
});

afterEach(async () => {
  await engine?.close();
  engine = undefined;
  await fake.close();
  await removeDir(parent);
});

async function everyEntry(folder: string): Promise<{ path: string; isFolder: boolean }[]> {
  const found: { path: string; isFolder: boolean }[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    found.push({ path, isFolder: entry.isDirectory() });
    if (entry.isDirectory()) found.push(...(await everyEntry(path)));
  }
  return found;
}

async function fill(open: Engine) {
  const space = value(await open.call('createSpace', { name: `Space ${secret}`, kind: 'client' }));
  const loop = value(
    await open.call('createLoop', { spaceId: space.id, title: `Loop ${secret}`, intent: { goal: secret } }),
  );
  value(await open.call('addTurn', { loopId: loop.id, text: `Note ${secret}` }));
  fake.queueReply({ text: `Answer ${secret}` });
  const recorder = recordEvents(open);
  const turn = value(await open.call('requestMove', { loopId: loop.id, move: 'explore' }));
  await recorder.next('turn.finished', (event) => event.turn.id === turn.id);
  value(
    await open.call('remember', { text: `Memory ${secret}`, scope: { type: 'space', spaceId: space.id } }),
  );
  value(
    await open.call('addSource', {
      spaceId: space.id,
      fileName: 'notes.md',
      text: `# Notes\n\n${secret} in a source.`,
    }),
  );
  value(await open.call('saveTemplate', { loopId: loop.id, name: `Template ${secret}` }));
  expect(value(await open.call('search', { query: secret })).length).toBeGreaterThan(0);
  return value(await open.call('backupNow', {}));
}

describe.skipIf(process.platform === 'win32')('the data folder on disk', () => {
  it('is made 0700 with every folder 0700 and every file 0600, backups and the lock included', async () => {
    const dataDir = join(parent, 'not-there-yet', 'keel');
    engine = await openEngine(dataDir, fake.url, { scryptCost: { N: 2 ** 10, r: 8, p: 1 } });
    await fill(engine);
    value(await engine.call('setPassphrase', { passphrase: 'correct horse battery' }));
    await fill(engine);

    expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
    const entries = await everyEntry(dataDir);
    // The lock, a backup, a loop, memory, a source and the search index are all among them.
    for (const part of ['.keel.lock', '.keel.lock-holder.json', 'backups', 'loops', 'memory', 'sources'])
      expect(entries.some((entry) => entry.path.includes(part))).toBe(true);
    const loose = [];
    for (const entry of entries) {
      const mode = (await stat(entry.path)).mode & 0o777;
      if (mode !== (entry.isFolder ? 0o700 : 0o600)) loose.push(`${entry.path} ${mode.toString(8)}`);
    }
    expect(loose).toEqual([]);
  });

  it('tightens a data folder an older Keel made readable by others', async () => {
    const dataDir = join(parent, 'old');
    await mkdir(dataDir);
    await chmod(dataDir, 0o755);
    engine = await openEngine(dataDir, fake.url);
    expect((await stat(dataDir)).mode & 0o777).toBe(0o700);
  });

  it('keeps the lock-holder note and the backup manifests free of anything private', async () => {
    const dataDir = join(parent, 'keel');
    engine = await openEngine(dataDir, fake.url, { scryptCost: { N: 2 ** 10, r: 8, p: 1 } });
    value(await engine.call('setPassphrase', { passphrase: 'correct horse battery' }));
    const backup = await fill(engine);

    const note = JSON.parse(await readFile(join(dataDir, '.keel.lock-holder.json'), 'utf8')) as object;
    expect(Object.keys(note).sort()).toEqual(['pid', 'shell', 'since']);

    // A manifest is plain so backups can be listed while locked: it says when, why and how much, nothing else.
    const text = await readFile(join(dataDir, 'backups', backup.id, 'manifest.json'), 'utf8');
    const manifest = JSON.parse(text) as Record<string, unknown>;
    expect(Object.keys(manifest).sort()).toEqual(['bytes', 'createdAt', 'files', 'id', 'reason', 'version']);
    expect(typeof manifest.files).toBe('number');
    expect(typeof manifest.bytes).toBe('number');
    expect(text).not.toContain(secret);
  });
});
