/**
 * Hostile archives and imports against the real engine on a real data folder: an import while
 * locked, over encrypted data without its passphrase, a stream of bad imports, an archive that
 * lowers the backup count, archives that lie about their sizes or hold strange names. Each time:
 * nothing of the person's is lost and the workspace stays as it was.
 */
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { deflateRawSync, crc32 } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/engine/Engine';
import { exportedArchive, removeDir, tempDataDir, upload, value } from '../helpers/engineHarness';
import { engineForEachTest } from '../helpers/engineSession';

const scryptCost = { N: 2 ** 10, r: 8, p: 1 };
const t = engineForEachTest({ scryptCost });
const passphrase = 'the person’s own passphrase';

const extraDirs: string[] = [];
afterEach(async () => {
  for (const folder of extraDirs.splice(0)) await removeDir(folder);
});

async function someWork(engine: Engine = t.engine, name = 'Acme') {
  const space = value(await engine.call('createSpace', { name, kind: 'client' }));
  const loop = value(await engine.call('createLoop', { spaceId: space.id, title: `${name} pricing` }));
  value(await engine.call('addTurn', { loopId: loop.id, text: `${name}: costs rose 12%.` }));
  value(await engine.call('renameSpace', { spaceId: space.id, name }));
  return { space, loop };
}

/** Every data file's bytes, to show an attack changed none of them. */
async function dataSnapshot(dataDir = t.dataDir): Promise<Record<string, string>> {
  const files: Record<string, string> = {};
  for (const top of ['catalog.json', 'settings.json', 'keel.key.json']) {
    files[top] = await readFile(join(dataDir, top), 'base64').catch(() => '');
  }
  for (const folder of ['loops', 'memory', 'sources']) {
    for (const name of await readdir(join(dataDir, folder)).catch(() => [] as string[])) {
      files[`${folder}/${name}`] = await readFile(join(dataDir, folder, name), 'base64');
    }
  }
  return files;
}

/** What is in the data folder besides the data: nothing an import left behind. */
async function leftovers(dataDir = t.dataDir): Promise<string[]> {
  const names = await readdir(dataDir);
  const uploads = await readdir(join(dataDir, 'uploads')).catch(() => [] as string[]);
  return [...names.filter((name) => name.startsWith('.import-')), ...uploads];
}

/** A plain archive made by another Keel with its own settings. */
async function archiveFrom(settings: {
  backupKeep?: number;
  ollamaHost?: string;
  allowRemoteHost?: boolean;
}) {
  const elsewhere = await tempDataDir();
  extraDirs.push(elsewhere);
  const other = await t.open({}, elsewhere);
  try {
    await someWork(other, 'Imported');
    value(await other.call('updateSettings', settings));
    return await exportedArchive(other);
  } finally {
    await other.close();
  }
}

interface CraftedEntry {
  name: string;
  data: Buffer;
  /** What the directory claims the entry unpacks to (defaults to the truth). */
  declaredSize?: number;
  /** Points at the data of an earlier entry instead of having its own. */
  aliasOf?: number;
}

/** A zip written by hand, so it can lie about its sizes. */
function craftZip(entries: CraftedEntry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  const written: { offset: number; packed: number; crc: number; size: number }[] = [];
  for (const entry of entries) {
    const name = Buffer.from(entry.name);
    if (entry.aliasOf !== undefined) {
      const target = written[entry.aliasOf]!;
      const header = Buffer.alloc(46);
      header.writeUInt32LE(0x02014b50, 0);
      header.writeUInt16LE(8, 10);
      header.writeUInt32LE(target.crc, 16);
      header.writeUInt32LE(target.packed, 20);
      header.writeUInt32LE(target.size, 24);
      header.writeUInt16LE(name.length, 28);
      header.writeUInt32LE(target.offset, 42);
      central.push(header, name);
      written.push(target);
      continue;
    }
    const packed = deflateRawSync(entry.data);
    const size = entry.declaredSize ?? entry.data.length;
    const crc = crc32(entry.data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(packed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    parts.push(local, name, packed);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(8, 10);
    header.writeUInt32LE(crc, 16);
    header.writeUInt32LE(packed.length, 20);
    header.writeUInt32LE(size, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(offset, 42);
    central.push(header, name);
    written.push({ offset, packed: packed.length, crc, size });
    offset += 30 + name.length + packed.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}

const manifest: CraftedEntry = {
  name: 'keel-archive.json',
  data: Buffer.from(JSON.stringify({ format: 'keel-archive', version: 1 })),
};
const catalog: CraftedEntry = { name: 'catalog.json', data: Buffer.from('{"spaces":[],"loops":[]}') };

async function importing(bytes: Buffer | string, currentPassphrase?: string) {
  const file = await upload(t.engine, 'archive', bytes);
  return t.engine.call('importArchive', {
    file,
    ...(currentPassphrase !== undefined ? { currentPassphrase } : {}),
  });
}

describe('an import while locked or over encrypted data', () => {
  it('is refused while locked: no upload lands, nothing is replaced', async () => {
    await someWork();
    value(await t.engine.call('setPassphrase', { passphrase }));
    const archive = await archiveFrom({});
    value(await t.engine.call('lock', {}));
    const before = await dataSnapshot();

    expect(await t.engine.upload('archive', [archive])).toMatchObject({
      ok: false,
      error: { code: 'locked' },
    });
    const guessed = await t.engine.call('importArchive', { file: `up-${'a'.repeat(22)}` });
    expect(guessed).toMatchObject({ ok: false, error: { code: 'locked' } });
    expect(await dataSnapshot()).toEqual(before);
    expect(await leftovers()).toEqual([]);
    expect(value(await t.engine.call('listBackups', {}))).toEqual([]);

    value(await t.engine.call('unlock', { passphrase }));
    expect(value(await t.engine.call('listSpaces', {})).map((space) => space.name)).toEqual(['Acme']);
  });

  it('needs the passphrase to replace encrypted data, and a wrong one changes nothing', async () => {
    await someWork();
    value(await t.engine.call('setPassphrase', { passphrase }));
    const archive = await archiveFrom({});
    const before = await dataSnapshot();

    expect(await importing(archive)).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', field: 'currentPassphrase' },
    });
    expect(await importing(archive, 'a guess')).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', field: 'currentPassphrase' },
    });
    expect(await dataSnapshot()).toEqual(before);
    expect(value(await t.engine.call('listBackups', {}))).toEqual([]);
    expect(await leftovers()).toEqual([]);
    expect(value(await t.engine.call('getEngineState', {})).status).toBe('open');

    const imported = value(await importing(archive, passphrase));
    expect(imported).toMatchObject({ status: 'open', encrypted: false });
    expect(value(await t.engine.call('listSpaces', {})).map((space) => space.name)).toEqual(['Imported']);
  });

  it('an upload id serves one call: it cannot be used again or for a source', async () => {
    await someWork();
    const archive = await archiveFrom({});
    const file = await upload(t.engine, 'archive', archive);
    const [space] = value(await t.engine.call('listSpaces', {}));
    const asSource = await t.engine.call('addSource', { spaceId: space!.id, fileName: 'a.pdf', file });
    expect(asSource).toMatchObject({ ok: false, error: { field: 'file' } });
    // Asking for it as the wrong kind does not spend it… but using it does.
    value(await t.engine.call('importArchive', { file }));
    expect(await t.engine.call('importArchive', { file })).toMatchObject({
      ok: false,
      error: { field: 'file' },
    });
  });
});

describe('bad imports and the backups', () => {
  it('nine bad imports make no backup and leave the encrypted data as it was', async () => {
    await someWork();
    value(await t.engine.call('setPassphrase', { passphrase }));
    value(await t.engine.call('backupNow', {}));
    const backupsBefore = value(await t.engine.call('listBackups', {}));
    const before = await dataSnapshot();
    const bad = [
      'hello',
      craftZip([catalog]),
      craftZip([manifest]),
      craftZip([manifest, catalog, { name: 'notes.txt', data: Buffer.from('x') }]),
      craftZip([manifest, catalog, { name: '../catalog.json', data: Buffer.from('{}') }]),
      craftZip([manifest, catalog, { name: 'loops/../../escape.json', data: Buffer.from('{}') }]),
      craftZip([manifest, catalog, catalog]),
      craftZip([{ ...manifest, data: Buffer.from('{"format":"other"}') }, catalog]),
      craftZip([manifest, catalog]).subarray(0, 60),
    ];
    for (const bytes of bad) {
      const result = await importing(bytes, passphrase);
      expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'file' } });
    }
    expect(value(await t.engine.call('listBackups', {}))).toEqual(backupsBefore);
    expect(await dataSnapshot()).toEqual(before);
    expect(await leftovers()).toEqual([]);
    expect(value(await t.engine.call('getEngineState', {})).status).toBe('open');
    expect(value(await t.engine.call('listSpaces', {})).map((space) => space.name)).toEqual(['Acme']);
  });

  it('an archive asking to keep one backup neither prunes the safety backup nor changes the count unasked', async () => {
    const { loop } = await someWork();
    value(await t.engine.call('setPassphrase', { passphrase }));
    const archive = await archiveFrom({
      backupKeep: 1,
      ollamaHost: 'http://203.0.113.9:11434',
      allowRemoteHost: true,
    });

    const state = value(await importing(archive, passphrase));
    expect(state.importedSettings).toEqual({
      backupKeep: 1,
      ollamaHost: 'http://203.0.113.9:11434',
      allowRemoteHost: true,
    });
    // The person's values stay until they say otherwise.
    const settings = value(await t.engine.call('getSettings', {}));
    expect(settings).toMatchObject({ backupKeep: 7, ollamaHost: '', allowRemoteHost: false });

    value(await t.engine.call('backupNow', {}));
    value(await t.engine.call('backupNow', {}));
    const backups = value(await t.engine.call('listBackups', {}));
    const safety = backups.find((backup) => backup.reason === 'before-import');
    expect(safety).toBeDefined();

    // Even at a count of one, the backup made before the import stays.
    value(await t.engine.call('updateSettings', { backupKeep: 1 }));
    value(await t.engine.call('backupNow', {}));
    const after = value(await t.engine.call('listBackups', {}));
    expect(after.map((backup) => backup.reason).sort()).toEqual(['before-import', 'manual']);

    // And it brings the encrypted data back.
    value(await t.engine.call('restoreBackup', { backupId: safety!.id }));
    value(await t.engine.call('unlock', { passphrase }));
    expect(value(await t.engine.call('getLoop', { loopId: loop.id })).turns[0]!.text).toBe(
      'Acme: costs rose 12%.',
    );
  });

  it('the archive’s settings apply only when the person takes them', async () => {
    await someWork();
    const archive = await archiveFrom({ backupKeep: 2 });
    value(await importing(archive));
    expect(value(await t.engine.call('getSettings', {})).backupKeep).toBe(7);
    const taken = value(await t.engine.call('settleImportedSettings', { adopt: true }));
    expect(taken.importedSettings).toBeUndefined();
    expect(value(await t.engine.call('getSettings', {})).backupKeep).toBe(2);
  });

  it('after a restart before the review, the safe defaults stand, not the archive’s values', async () => {
    value(await t.engine.call('updateSettings', { backupKeep: 9 }));
    await someWork();
    value(await t.engine.call('setPassphrase', { passphrase }));
    // An encrypted archive (its own passphrase) asking for a remote host.
    const elsewhere = await tempDataDir();
    extraDirs.push(elsewhere);
    const other = await t.open({}, elsewhere);
    await someWork(other, 'Imported');
    value(
      await other.call('updateSettings', { ollamaHost: 'http://203.0.113.9:11434', allowRemoteHost: true }),
    );
    value(await other.call('setPassphrase', { passphrase: 'the archive’s passphrase' }));
    const archive = await exportedArchive(other);
    await other.close();

    expect(value(await importing(archive, passphrase)).status).toBe('locked');
    await t.engine.close();
    t.engine = await t.open();
    const state = value(await t.engine.call('unlock', { passphrase: 'the archive’s passphrase' }));
    expect(state.importedSettings).toMatchObject({
      ollamaHost: 'http://203.0.113.9:11434',
      allowRemoteHost: true,
    });
    expect(value(await t.engine.call('getSettings', {}))).toMatchObject({
      ollamaHost: '',
      allowRemoteHost: false,
    });
  });
});

describe('an import that cannot finish', () => {
  it('when the safety backup cannot be made, nothing is replaced and the workspace stays open and unlocked', async () => {
    await someWork();
    value(await t.engine.call('setPassphrase', { passphrase }));
    const archive = await archiveFrom({});
    // The backups folder is made impossible: a file where the folder should be.
    await rm(join(t.dataDir, 'backups'), { recursive: true, force: true });
    await writeFile(join(t.dataDir, 'backups'), 'not a folder');
    const before = await dataSnapshot();
    const result = await importing(archive, passphrase);
    expect(result).toMatchObject({ ok: false, error: { code: 'storage-failed' } });
    expect(await dataSnapshot()).toEqual(before);
    expect(await leftovers()).toEqual([]);
    expect(value(await t.engine.call('getEngineState', {})).status).toBe('open');
    expect(value(await t.engine.call('listSpaces', {})).map((space) => space.name)).toEqual(['Acme']);
  });
});

describe('archives that lie about their size', () => {
  it('refuses an entry declared larger than Keel ever writes before inflating a byte', async () => {
    await someWork();
    const before = await dataSnapshot();
    const bomb = craftZip([
      manifest,
      catalog,
      { name: 'loops/lp-bomb.json', data: Buffer.alloc(1024), declaredSize: 1_900_000_000 },
    ]);
    const result = await importing(bomb);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'file' } });
    expect(await dataSnapshot()).toEqual(before);
    expect(value(await t.engine.call('listBackups', {}))).toEqual([]);
  });

  it('refuses an archive whose files together are too large', async () => {
    const many = Array.from({ length: 9 }, (_, n) => ({
      name: `loops/lp-big-${n}.json`,
      data: Buffer.alloc(16),
      declaredSize: 500 * 1024 * 1024,
    }));
    const result = await importing(craftZip([manifest, catalog, ...many]));
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(result.ok ? '' : result.error.message).toMatch(/unpacks to more than Keel takes/);
  });

  it('refuses entries that share their bytes, and archives that unpack a hundredfold', async () => {
    await someWork();
    const before = await dataSnapshot();
    const zeros = Buffer.alloc(40 * 1024 * 1024);
    const shared = craftZip([
      manifest,
      catalog,
      { name: 'loops/lp-one.json', data: zeros },
      ...Array.from({ length: 20 }, (_, n) => ({ name: `loops/lp-copy-${n}.json`, data: zeros, aliasOf: 2 })),
    ]);
    const overlapping = await importing(shared);
    expect(overlapping).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'file' } });
    // Refused when its directory is read, before the sizes are even added up.
    expect(overlapping.ok ? '' : overlapping.error.message).toMatch(/not a Keel archive/);
    const inflated = craftZip([
      manifest,
      catalog,
      { name: 'loops/lp-one.json', data: zeros },
      { name: 'loops/lp-two.json', data: zeros },
    ]);
    const ratio = await importing(inflated);
    expect(ratio.ok ? '' : ratio.error.message).toMatch(/unpacks to more than Keel takes/);
    expect(await dataSnapshot()).toEqual(before);
    expect(await leftovers()).toEqual([]);
  });

  it('stops inflating an entry that yields more than it declared, without memory growing', async () => {
    await someWork();
    value(await t.engine.call('setPassphrase', { passphrase }));
    const before = await dataSnapshot();
    // 64 MB of zeros that claims to be 1 KB: about 64 KB on the wire.
    const bomb = craftZip([
      manifest,
      catalog,
      { name: 'loops/lp-liar.json', data: Buffer.alloc(64 * 1024 * 1024), declaredSize: 1024 },
    ]);
    expect(bomb.length).toBeLessThan(1024 * 1024);
    const heapBefore = process.memoryUsage().rss;
    const started = Date.now();
    const result = await importing(bomb, passphrase);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(process.memoryUsage().rss - heapBefore).toBeLessThan(100 * 1024 * 1024);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'file' } });
    expect(result.ok ? '' : result.error.message).toMatch(/damaged/);
    // The workspace is still open (not locked), the data as it was, nothing left behind.
    expect(value(await t.engine.call('getEngineState', {})).status).toBe('open');
    expect(value(await t.engine.call('listSpaces', {})).map((space) => space.name)).toEqual(['Acme']);
    expect(await dataSnapshot()).toEqual(before);
    expect(value(await t.engine.call('listBackups', {}))).toEqual([]);
    expect(await leftovers()).toEqual([]);
  });

  it('refuses an upload past its cap and keeps nothing of it', async () => {
    await t.engine.close();
    t.engine = await t.open({ uploadLimits: { archive: 64 * 1024, source: 64 * 1024 } });
    const chunks = (function* () {
      for (let n = 0; n < 100; n += 1) yield Buffer.alloc(16 * 1024, 7);
    })();
    const result = await t.engine.upload('archive', chunks);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'file' } });
    expect(await t.engine.upload('archive', [Buffer.alloc(10)], 10 * 1024 * 1024)).toMatchObject({
      ok: false,
    });
    expect(await leftovers()).toEqual([]);
  });
});
