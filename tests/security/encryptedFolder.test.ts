/**
 * Attacks on an encrypted data folder by someone who can write to it but does not know the
 * passphrase: a plain file slipped in, sealed files swapped, a key file that demands endless work,
 * guessing passphrases. Each runs against the real engine on real files; nothing is lost, nothing
 * leaves the machine, nothing crashes. Also: the changes Keel records itself (turning encryption on
 * or off, a folder of an older Keel) still finish after a crash.
 */
import { createCipheriv, randomBytes, scryptSync } from 'node:crypto';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/engine/Engine';
import { Store } from '../../electron/engine/store/Store';
import { Vault } from '../../electron/engine/store/Vault';
import { recordEvents, value } from '../helpers/engineHarness';
import { engineForEachTest } from '../helpers/engineSession';

const scryptCost = { N: 2 ** 10, r: 8, p: 1 };
const passphrase = 'correct horse battery';
const t = engineForEachTest({ scryptCost });

async function fill(engine: Engine = t.engine) {
  const space = value(await engine.call('createSpace', { name: 'Acme', kind: 'client' }));
  const first = value(await engine.call('createLoop', { spaceId: space.id, title: 'First loop' }));
  value(await engine.call('addTurn', { loopId: first.id, text: 'The first loop’s note' }));
  const second = value(await engine.call('createLoop', { spaceId: space.id, title: 'Second loop' }));
  value(await engine.call('addTurn', { loopId: second.id, text: 'The second loop’s note' }));
  value(
    await engine.call('remember', { text: 'Acme pays late', scope: { type: 'space', spaceId: space.id } }),
  );
  return { space, first, second };
}

async function reopenLocked(more = {}): Promise<Engine> {
  await t.engine.close();
  t.engine = await t.open(more);
  expect(value(await t.engine.call('getEngineState', {})).status).toBe('locked');
  return t.engine;
}

async function jsonFiles(folder: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) found.push(...(await jsonFiles(path)));
    else if (entry.name.endsWith('.json') && !entry.name.startsWith('.')) found.push(path);
  }
  return found;
}

const keyFilePath = () => join(t.dataDir, 'keel-encryption.json');
const readKeyFile = async () => JSON.parse(await readFile(keyFilePath(), 'utf8')) as Record<string, unknown>;
const head = async (path: string) => (await readFile(path)).subarray(0, 8).toString('ascii');

describe('a plain file slipped into an encrypted folder', () => {
  it('is refused as damaged after unlock, so no request goes to the host it names', async () => {
    const { first } = await fill();
    const settings = value(await t.engine.call('getSettings', {}));
    value(await t.engine.call('setPassphrase', { passphrase }));
    value(await t.engine.call('backupNow', {}));
    await t.engine.close();

    // The neighbour writes settings.json in plain JSON: a remote model host, remote allowed.
    await writeFile(
      join(t.dataDir, 'settings.json'),
      JSON.stringify({
        ...settings,
        version: 1,
        ollamaHost: 'http://192.0.2.7:11434',
        allowRemoteHost: true,
      }),
    );
    t.engine = await t.open();
    value(await t.engine.call('unlock', { passphrase }));
    const state = value(await t.engine.call('getEngineState', {}));
    expect(state.status).toBe('damaged');
    expect(state.problem).toMatch(/settings.*damaged.*moved aside/s);
    const move = await t.engine.call('requestMove', { loopId: first.id, move: 'explore' });
    expect(move).toMatchObject({ ok: false, error: { code: 'storage-corrupt' } });
    expect(t.engine.outbound.list().filter((record) => record.origin.includes('192.0.2.7'))).toEqual([]);
    const aside = (await readdir(t.dataDir)).filter((name) => name.startsWith('settings.json.damaged-'));
    expect(aside).toHaveLength(1);

    // Nothing lost: the next start opens with default settings (the local host) and every loop.
    await t.engine.close();
    t.engine = await t.open();
    value(await t.engine.call('unlock', { passphrase }));
    expect(value(await t.engine.call('getSettings', {}))).toMatchObject({
      ollamaHost: '',
      allowRemoteHost: false,
    });
    expect(value(await t.engine.call('getLoop', { loopId: first.id })).turns[0]!.text).toBe(
      'The first loop’s note',
    );
    t.fake.queueReply({ text: 'From the local host' });
    const recorder = recordEvents(t.engine);
    const turn = value(await t.engine.call('requestMove', { loopId: first.id, move: 'explore' }));
    await recorder.next('turn.finished', (event) => event.turn.id === turn.id);
    expect(t.engine.outbound.list().every((record) => record.origin === new URL(t.fake.url).origin)).toBe(
      true,
    );
  });

  it('refuses a plain loop file too, and keeps the other loops', async () => {
    const { first, second } = await fill();
    value(await t.engine.call('setPassphrase', { passphrase }));
    await reopenLocked();
    const forged = { version: 2, id: second.id, intent: { goal: 'forged' }, turns: [], draft: 'forged' };
    await writeFile(join(t.dataDir, 'loops', `${second.id}.json`), JSON.stringify(forged));
    value(await t.engine.call('unlock', { passphrase }));
    expect(await t.engine.call('getLoop', { loopId: second.id })).toMatchObject({
      ok: false,
      error: { code: 'storage-corrupt' },
    });
    expect(value(await t.engine.call('getLoop', { loopId: first.id })).turns).toHaveLength(1);
  });
});

describe('sealed files swapped for one another', () => {
  it('refuses a loop sealed for another place, and a catalog put where the settings go', async () => {
    const { first, second } = await fill();
    value(await t.engine.call('setPassphrase', { passphrase }));
    await reopenLocked();
    const firstPath = join(t.dataDir, 'loops', `${first.id}.json`);
    await writeFile(join(t.dataDir, 'loops', `${second.id}.json`), await readFile(firstPath));
    value(await t.engine.call('unlock', { passphrase }));
    expect(await t.engine.call('getLoop', { loopId: second.id })).toMatchObject({
      ok: false,
      error: { code: 'storage-corrupt' },
    });
    expect(value(await t.engine.call('getLoop', { loopId: first.id })).turns[0]!.text).toBe(
      'The first loop’s note',
    );

    await reopenLocked();
    await writeFile(join(t.dataDir, 'settings.json'), await readFile(join(t.dataDir, 'catalog.json')));
    value(await t.engine.call('unlock', { passphrase }));
    expect(value(await t.engine.call('getEngineState', {}))).toMatchObject({ status: 'damaged' });
  });
});

describe('a key file that demands endless work', () => {
  it.each([
    ['p', { p: 16384 }],
    ['r', { r: 1024 }],
    ['N', { N: 2 ** 30 }],
    ['memory', { N: 2 ** 20, r: 16 }],
    ['N not a power of two', { N: 3000 }],
  ])('is refused at once as damaged (%s)', async (_name, kdf) => {
    await fill();
    value(await t.engine.call('setPassphrase', { passphrase }));
    await t.engine.close();
    const keyFile = await readKeyFile();
    await writeFile(
      keyFilePath(),
      JSON.stringify({ ...keyFile, kdf: { ...(keyFile.kdf as object), ...kdf } }),
    );
    const started = Date.now();
    t.engine = await t.open();
    const state = value(await t.engine.call('getEngineState', {}));
    expect(state.status).toBe('damaged');
    expect(state.problem).toMatch(/encryption key file .* is damaged/);
    expect(await t.engine.call('unlock', { passphrase })).toMatchObject({ ok: true });
    expect(Date.now() - started).toBeLessThan(3_000);
  });

  it('runs scrypt off the event loop: timers keep firing while a passphrase is checked', async () => {
    await fill();
    // A real cost this time (2^16 × 8: 64 MiB), slow enough that a blocking scrypt would show.
    const cost = { N: 2 ** 16, r: 8, p: 1 };
    await t.engine.close();
    t.engine = await t.open({ scryptCost: cost });
    value(await t.engine.call('setPassphrase', { passphrase }));
    expect((await readKeyFile()).kdf).toMatchObject(cost);
    value(await t.engine.call('lock', {}));
    let last = Date.now();
    let longest = 0;
    const ticker = setInterval(() => {
      longest = Math.max(longest, Date.now() - last);
      last = Date.now();
    }, 5);
    const started = Date.now();
    // A wrong passphrase costs the whole derivation too.
    expect(await t.engine.call('unlock', { passphrase: 'not the one' })).toMatchObject({ ok: false });
    const took = Date.now() - started;
    clearInterval(ticker);
    expect(longest).toBeLessThan(Math.max(150, took / 3));
  });
});

describe('guessing the passphrase', () => {
  it('waits longer after each wrong passphrase in a row, measured in the engine', async () => {
    await fill();
    value(await t.engine.call('setPassphrase', { passphrase }));
    await reopenLocked({ wrongPassphraseDelayMs: 400 });
    expect(await t.engine.call('unlock', { passphrase: 'guess one' })).toMatchObject({
      ok: false,
      error: { field: 'passphrase', message: expect.stringMatching(/not right/) },
    });
    expect(await t.engine.call('unlock', { passphrase: 'guess two' })).toMatchObject({ ok: false });
    // Even the right passphrase waits its turn now: nothing is tried until the wait is over.
    const early = await t.engine.call('unlock', { passphrase });
    expect(early).toMatchObject({ ok: false, error: { message: expect.stringMatching(/Wait \d+ seconds/) } });
    expect(value(await t.engine.call('getEngineState', {})).status).toBe('locked');
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect(await t.engine.call('unlock', { passphrase: 'guess three' })).toMatchObject({ ok: false });
    // The wait doubled: 400 ms is not enough any more.
    await new Promise((resolve) => setTimeout(resolve, 450));
    expect(await t.engine.call('unlock', { passphrase })).toMatchObject({
      ok: false,
      error: { message: expect.stringMatching(/Wait/) },
    });
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect(value(await t.engine.call('unlock', { passphrase })).status).toBe('open');
  });
});

/** Seals a plain data folder the way Keel 0.1 did: a version-1 key file, files sealed without their path. */
async function sealTheOldWay(dataDir: string, secret: string): Promise<string> {
  const salt = randomBytes(16);
  const kek = scryptSync(secret.normalize('NFKC'), salt, 32, { ...scryptCost, maxmem: 2 ** 26 });
  const dataKey = randomBytes(32);
  const id = randomBytes(8).toString('hex');
  const gcm = (key: Buffer, plain: Buffer) => {
    const nonce = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', key, nonce);
    const data = Buffer.concat([cipher.update(plain), cipher.final()]);
    return { nonce, tag: cipher.getAuthTag(), data };
  };
  const wrapped = gcm(kek, dataKey);
  for (const path of await jsonFiles(dataDir)) {
    if (path.endsWith('manifest.json')) continue;
    const sealed = gcm(dataKey, await readFile(path));
    await writeFile(
      path,
      Buffer.concat([Buffer.from('KEELENC1'), Buffer.from(id), sealed.nonce, sealed.tag, sealed.data]),
    );
  }
  const keyFile = {
    version: 1,
    cipher: 'aes-256-gcm',
    kdf: { name: 'scrypt', salt: salt.toString('base64'), ...scryptCost },
    current: id,
    keys: [
      {
        id,
        wrapped: {
          nonce: wrapped.nonce.toString('base64'),
          tag: wrapped.tag.toString('base64'),
          data: wrapped.data.toString('base64'),
        },
      },
    ],
  };
  const text = `${JSON.stringify(keyFile, null, 2)}\n`;
  await writeFile(join(dataDir, 'keel-encryption.json'), text);
  for (const backup of await readdir(join(dataDir, 'backups')).catch(() => [] as string[]))
    await writeFile(join(dataDir, 'backups', backup, 'keel-encryption.json'), text);
  return id;
}

describe('a folder sealed by an older Keel (files without their path)', () => {
  it('opens, and is sealed again with paths under a new key; an old-style file is refused after', async () => {
    const { first, second } = await fill();
    const backup = value(await t.engine.call('backupNow', {}));
    await t.engine.close();
    const oldId = await sealTheOldWay(t.dataDir, passphrase);
    const oldFirst = await readFile(join(t.dataDir, 'loops', `${first.id}.json`));

    t.engine = await t.open();
    value(await t.engine.call('unlock', { passphrase }));
    expect(value(await t.engine.call('getLoop', { loopId: first.id })).turns[0]!.text).toBe(
      'The first loop’s note',
    );
    const keyFile = await readKeyFile();
    expect(keyFile).toMatchObject({ version: 2 });
    expect(keyFile.pending).toBeUndefined();
    expect((keyFile.keys as { id: string }[]).map((key) => key.id)).not.toContain(oldId);
    for (const path of await jsonFiles(t.dataDir)) {
      if (!path.endsWith('manifest.json')) expect(await head(path), path).toMatch(/^KEELENC2|^\{/);
      if (!path.endsWith('manifest.json') && !path.endsWith('keel-encryption.json'))
        expect(await head(path), path).toBe('KEELENC2');
    }

    // The old-style file (a valid seal under the old key) planted again is refused.
    await reopenLocked();
    await writeFile(join(t.dataDir, 'loops', `${second.id}.json`), oldFirst);
    value(await t.engine.call('unlock', { passphrase }));
    expect(await t.engine.call('getLoop', { loopId: second.id })).toMatchObject({
      ok: false,
      error: { code: 'storage-corrupt' },
    });
    // The backup made before was upgraded too and restores.
    value(await t.engine.call('restoreBackup', { backupId: backup.id }));
    expect(value(await t.engine.call('getLoop', { loopId: second.id })).turns[0]!.text).toBe(
      'The second loop’s note',
    );
  });

  it('gives a key file with an older, cheaper scrypt today’s cost at unlock', async () => {
    await fill();
    value(await t.engine.call('setPassphrase', { passphrase }));
    await reopenLocked({ scryptCost: { N: 2 ** 11, r: 8, p: 1 } });
    value(await t.engine.call('unlock', { passphrase }));
    expect((await readKeyFile()).kdf).toMatchObject({ N: 2 ** 11 });
    await reopenLocked({ scryptCost: { N: 2 ** 11, r: 8, p: 1 } });
    expect(value(await t.engine.call('unlock', { passphrase })).status).toBe('open');
  });
});

describe('a change of encryption cut off by a crash', () => {
  it('turning it on: the plain files of that moment still open, a forged one does not, and it finishes', async () => {
    const { first, second } = await fill();
    await t.engine.close();
    // Turning on begins (key file written) and only the catalog is sealed before the crash.
    const vault = await Vault.open(t.dataDir, { cost: scryptCost });
    await vault.begin(passphrase);
    const store = await Store.open(t.dataDir, {} as never, vault.codec);
    await store.catalog.save();
    await store.flush();
    expect(await head(join(t.dataDir, 'catalog.json'))).toBe('KEELENC2');
    // Meanwhile a plain file is forged: it was not among the files of that moment.
    const secondPath = join(t.dataDir, 'loops', `${second.id}.json`);
    const forged = JSON.parse(await readFile(secondPath, 'utf8')) as { draft: string };
    await writeFile(secondPath, JSON.stringify({ ...forged, draft: 'forged' }));

    t.engine = await t.open();
    value(await t.engine.call('unlock', { passphrase }));
    expect(value(await t.engine.call('getLoop', { loopId: first.id })).turns[0]!.text).toBe(
      'The first loop’s note',
    );
    expect(await t.engine.call('getLoop', { loopId: second.id })).toMatchObject({ ok: false });
    expect((await readKeyFile()).pending).toBeUndefined();
    for (const path of await jsonFiles(t.dataDir))
      if (!/manifest\.json$|keel-encryption\.json$/.test(path))
        expect(await head(path), path).toBe('KEELENC2');
  });

  it('turning it off: finishes writing every file plain at the next unlock', async () => {
    const { first } = await fill();
    value(await t.engine.call('setPassphrase', { passphrase }));
    await t.engine.close();
    const vault = await Vault.open(t.dataDir, { cost: scryptCost });
    await vault.unlock(passphrase);
    await vault.startPlain();
    const store = await Store.open(t.dataDir, {} as never, vault.codec);
    await store.catalog.save();
    await store.flush();

    t.engine = await t.open();
    value(await t.engine.call('unlock', { passphrase }));
    expect(value(await t.engine.call('getEngineState', {}))).toMatchObject({
      status: 'open',
      encrypted: false,
    });
    const loop = JSON.parse(await readFile(join(t.dataDir, 'loops', `${first.id}.json`), 'utf8')) as {
      turns: { text: string }[];
    };
    expect(loop.turns[0]!.text).toBe('The first loop’s note');
    await expect(readFile(keyFilePath())).rejects.toThrow();
  });

  it('a recorded change is sealed: one written by hand is ignored and plain files stay refused', async () => {
    const { first } = await fill();
    value(await t.engine.call('setPassphrase', { passphrase }));
    await t.engine.close();
    const keyFile = await readKeyFile();
    await writeFile(
      keyFilePath(),
      JSON.stringify({ ...keyFile, pending: Buffer.from('{"kind":"decrypting"}').toString('base64') }),
    );
    await writeFile(
      join(t.dataDir, 'loops', `${first.id}.json`),
      JSON.stringify({ version: 2, forged: true }),
    );
    t.engine = await t.open();
    value(await t.engine.call('unlock', { passphrase }));
    expect(await t.engine.call('getLoop', { loopId: first.id })).toMatchObject({
      ok: false,
      error: { code: 'storage-corrupt' },
    });
  });
});
