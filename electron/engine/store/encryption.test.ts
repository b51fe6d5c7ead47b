/**
 * Encryption at rest, checked on the data folder itself: once a passphrase is set no file (data,
 * backup, temp or moved-aside) holds a word of the person's content; a wrong passphrase changes
 * nothing; changing the passphrase re-encrypts everything and a crash half-way loses nothing.
 */
import { createHash } from 'node:crypto';
import { readdir, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { recordEvents, value } from '../../../tests/helpers/engineHarness';
import { engineForEachTest } from '../../../tests/helpers/engineSession';
import { Store } from './Store';
import { Vault } from './Vault';

/** A cheap scrypt cost keeps the tests quick; Keel's own default is 2^15. */
const scryptCost = { N: 2 ** 10, r: 8, p: 1 };
const secret = 'SECRET-MARKER';

const t = engineForEachTest({ scryptCost });

async function allFiles(folder: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) found.push(...(await allFiles(path)));
    else found.push(path);
  }
  return found;
}

/** Every file that holds the marker, in any case, as UTF-8 or UTF-16. */
async function filesWithPlaintext(): Promise<string[]> {
  const hits: string[] = [];
  for (const path of await allFiles(t.dataDir)) {
    const bytes = await readFile(path);
    const text = bytes.toString('utf8').toLowerCase() + bytes.toString('utf16le').toLowerCase();
    if (text.includes(secret.toLowerCase()) || text.includes('acme')) hits.push(path);
  }
  return hits;
}

async function folderFingerprint(): Promise<string> {
  const hash = createHash('sha256');
  for (const path of (await allFiles(t.dataDir)).sort()) {
    if (path.endsWith('.lock') || path.includes('.lock')) continue;
    hash.update(path).update(await readFile(path));
  }
  return hash.digest('hex');
}

async function fillWithContent() {
  const space = value(await t.engine.call('createSpace', { name: `Acme ${secret} space`, kind: 'client' }));
  const loop = value(
    await t.engine.call('createLoop', {
      spaceId: space.id,
      title: `Acme ${secret} loop`,
      intent: { goal: `Goal ${secret}` },
    }),
  );
  value(await t.engine.call('addTurn', { loopId: loop.id, text: `My note ${secret}` }));
  t.fake.queueReply({ text: `AI answer ${secret}` });
  const recorder = recordEvents(t.engine);
  const turn = value(await t.engine.call('requestMove', { loopId: loop.id, move: 'explore' }));
  await recorder.next('turn.finished', (event) => event.turn.id === turn.id);
  value(await t.engine.call('saveDraft', { loopId: loop.id, text: `Draft ${secret}`, keepVersion: true }));
  value(await t.engine.call('saveTemplate', { loopId: loop.id, name: `Template ${secret}` }));
  value(
    await t.engine.call('remember', {
      text: `Memory ${secret}`,
      scope: { type: 'space', spaceId: space.id },
    }),
  );
  // The search index holds every word too; it is written on close.
  expect(value(await t.engine.call('search', { query: secret })).length).toBeGreaterThan(0);
  return { space, loop };
}

describe('encryption at rest', () => {
  it('leaves no plaintext of the person’s content anywhere in the data folder, backups included', async () => {
    const { loop } = await fillWithContent();
    value(await t.engine.call('backupNow', {}));
    expect((await filesWithPlaintext()).length).toBeGreaterThan(0);

    const state = value(await t.engine.call('setPassphrase', { passphrase: 'correct horse battery' }));
    expect(state).toMatchObject({ status: 'open', encrypted: true });
    expect(await filesWithPlaintext()).toEqual([]);

    // New writes are sealed too: a turn, an answer, a backup.
    value(await t.engine.call('addTurn', { loopId: loop.id, text: `Later ${secret}` }));
    t.fake.queueReply({ text: `Another ${secret}` });
    const recorder = recordEvents(t.engine);
    const turn = value(await t.engine.call('requestMove', { loopId: loop.id, move: 'challenge' }));
    await recorder.next('turn.finished', (event) => event.turn.id === turn.id);
    value(await t.engine.call('backupNow', {}));
    await t.engine.close();
    expect(await stat(join(t.dataDir, 'search', 'index.json'))).toBeTruthy();
    expect(await filesWithPlaintext()).toEqual([]);

    t.engine = await t.open();
    expect(value(await t.engine.call('getEngineState', {}))).toMatchObject({
      status: 'locked',
      encrypted: true,
    });
    value(await t.engine.call('unlock', { passphrase: 'correct horse battery' }));
    const reopened = value(await t.engine.call('getLoop', { loopId: loop.id }));
    expect(reopened.turns.map((t) => t.text)).toEqual([
      `My note ${secret}`,
      `AI answer ${secret}`,
      `Later ${secret}`,
      `Another ${secret}`,
    ]);
    expect(reopened.draft).toBe(`Draft ${secret}`);
  });

  it('while locked answers every data call with “locked”, and a wrong passphrase changes nothing', async () => {
    const { loop } = await fillWithContent();
    value(await t.engine.call('setPassphrase', { passphrase: 'correct horse battery' }));
    await t.engine.close();
    t.engine = await t.open();

    const locked = await t.engine.call('getLoop', { loopId: loop.id });
    expect(locked).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect(await t.engine.call('listSpaces', {})).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect(value(await t.engine.call('getAppInfo', {})).dataDir).toBe(t.dataDir);

    const before = await folderFingerprint();
    const wrong = await t.engine.call('unlock', { passphrase: 'wrong horse' });
    expect(wrong).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'passphrase' } });
    if (!wrong.ok) expect(wrong.error.message).toMatch(/passphrase is not right/);
    expect(await folderFingerprint()).toBe(before);
    expect(value(await t.engine.call('getEngineState', {})).status).toBe('locked');

    const events = recordEvents(t.engine);
    value(await t.engine.call('unlock', { passphrase: 'correct horse battery' }));
    expect((await events.next('engine.state')).state.status).toBe('open');
    expect(value(await t.engine.call('listSpaces', {}))[0]!.name).toContain(secret);

    // Locking forgets the keys at once.
    value(await t.engine.call('lock', {}));
    expect(await t.engine.call('listLoops', {})).toMatchObject({ ok: false, error: { code: 'locked' } });
  });

  it('changes the passphrase by re-encrypting every file and backup; the old one then opens nothing', async () => {
    const { loop } = await fillWithContent();
    value(await t.engine.call('setPassphrase', { passphrase: 'first passphrase' }));
    const backup = value(await t.engine.call('backupNow', {}));
    const loopPath = join(t.dataDir, 'loops', `${loop.id}.json`);
    const sealedBefore = await readFile(loopPath);

    const noCurrent = await t.engine.call('setPassphrase', { passphrase: 'second passphrase' });
    expect(noCurrent).toMatchObject({ ok: false, error: { field: 'currentPassphrase' } });
    const wrongCurrent = await t.engine.call('setPassphrase', {
      passphrase: 'second passphrase',
      currentPassphrase: 'not it at all',
    });
    expect(wrongCurrent).toMatchObject({ ok: false, error: { field: 'currentPassphrase' } });
    expect(await readFile(loopPath)).toEqual(sealedBefore);

    value(
      await t.engine.call('setPassphrase', {
        passphrase: 'second passphrase',
        currentPassphrase: 'first passphrase',
      }),
    );
    const sealedAfter = await readFile(loopPath);
    // Another data key: the key id after the 8-byte marker differs.
    expect(sealedAfter.subarray(8, 24).toString()).not.toBe(sealedBefore.subarray(8, 24).toString());
    expect(await filesWithPlaintext()).toEqual([]);
    await t.engine.close();

    t.engine = await t.open();
    expect(await t.engine.call('unlock', { passphrase: 'first passphrase' })).toMatchObject({ ok: false });
    value(await t.engine.call('unlock', { passphrase: 'second passphrase' }));
    // The backup made under the first passphrase was re-encrypted too and still restores.
    value(await t.engine.call('restoreBackup', { backupId: backup.id }));
    expect(value(await t.engine.call('getEngineState', {})).status).toBe('open');
    expect(value(await t.engine.call('getLoop', { loopId: loop.id })).draft).toBe(`Draft ${secret}`);
  });

  it('loses nothing when a passphrase change is cut off half-way', async () => {
    const { loop } = await fillWithContent();
    value(await t.engine.call('setPassphrase', { passphrase: 'first passphrase' }));
    await t.engine.close();

    // The change begins (a new key, the key file saved) and only the catalog is sealed again before a crash.
    const vault = await Vault.open(t.dataDir, { cost: scryptCost });
    await vault.unlock('first passphrase');
    await vault.begin('second passphrase');
    const store = await Store.open(t.dataDir, {} as never, vault.codec);
    await store.catalog.save();
    await store.flush();

    t.engine = await t.open();
    value(await t.engine.call('unlock', { passphrase: 'second passphrase' }));
    const reopened = value(await t.engine.call('getLoop', { loopId: loop.id }));
    expect(reopened.turns.map((t) => t.text)).toContain(`AI answer ${secret}`);
    // The unlock finished the change: one key is left, and the old passphrase opens nothing.
    const keyFile = JSON.parse(await readFile(join(t.dataDir, 'keel-encryption.json'), 'utf8')) as {
      keys: unknown[];
    };
    expect(keyFile.keys).toHaveLength(1);
    await t.engine.close();
    t.engine = await t.open();
    expect(await t.engine.call('unlock', { passphrase: 'first passphrase' })).toMatchObject({ ok: false });
  });

  it('turns encryption off again, writing every file plain', async () => {
    const { loop } = await fillWithContent();
    value(await t.engine.call('setPassphrase', { passphrase: 'first passphrase' }));
    const wrong = await t.engine.call('removePassphrase', { currentPassphrase: 'nope nope' });
    expect(wrong).toMatchObject({ ok: false, error: { field: 'currentPassphrase' } });
    value(await t.engine.call('removePassphrase', { currentPassphrase: 'first passphrase' }));
    const file = JSON.parse(await readFile(join(t.dataDir, 'loops', `${loop.id}.json`), 'utf8')) as {
      draft: string;
    };
    expect(file.draft).toBe(`Draft ${secret}`);
    await expect(stat(join(t.dataDir, 'keel-encryption.json'))).rejects.toThrow();
    await t.engine.close();
    t.engine = await t.open();
    expect(value(await t.engine.call('getEngineState', {}))).toMatchObject({
      status: 'open',
      encrypted: false,
    });
  });

  it('says plainly that the key file is damaged instead of failing to start', async () => {
    await fillWithContent();
    value(await t.engine.call('setPassphrase', { passphrase: 'first passphrase' }));
    await t.engine.close();
    await writeFile(join(t.dataDir, 'keel-encryption.json'), '{ broken');
    t.engine = await t.open();
    const state = value(await t.engine.call('getEngineState', {}));
    expect(state.status).toBe('damaged');
    expect(state.problem).toMatch(/encryption key file .* is damaged/);
  });
});
