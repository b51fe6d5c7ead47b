/**
 * Backups, damage and recovery, the archive, and the record of outbound requests, through the
 * engine's calls on a real data folder.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  downloaded,
  recordEvents,
  removeDir,
  tempDataDir,
  upload,
  value,
} from '../../../tests/helpers/engineHarness';
import { engineForEachTest } from '../../../tests/helpers/engineSession';
import { Backups } from './Backups';

const scryptCost = { N: 2 ** 10, r: 8, p: 1 };
const t = engineForEachTest({ scryptCost });

const extraDirs: string[] = [];
afterEach(async () => {
  for (const folder of extraDirs.splice(0)) await removeDir(folder);
});

async function someWork(name = 'Acme') {
  const space = value(await t.engine.call('createSpace', { name, kind: 'client' }));
  const loop = value(await t.engine.call('createLoop', { spaceId: space.id, title: `${name} pricing` }));
  value(await t.engine.call('addTurn', { loopId: loop.id, text: `${name}: costs rose 12%.` }));
  return { space, loop };
}

describe('backups', () => {
  it('leaves out of a backup made later what was deleted for good, even if a copy is still on its way', async () => {
    const folder = await tempDataDir();
    extraDirs.push(folder);
    await mkdir(join(folder, 'sources'), { recursive: true });
    await writeFile(join(folder, 'catalog.json'), '{}');
    await writeFile(join(folder, 'sources', 'sr-gone.json'), '{"passages":"secret"}');
    await writeFile(join(folder, 'sources', 'sr-kept.json'), '{"passages":"fine"}');
    const backups = new Backups(folder);
    // The removal purges while the file is still in the folder (a backup copying it meanwhile).
    await backups.purge(['sources/sr-gone.json']);
    const made = await backups.create('manual', 7);
    const copied = await readdir(join(folder, 'backups', made.id, 'sources'));
    expect(copied).toEqual(['sr-kept.json']);
    expect(made.files).toBe(2);
  });

  it('copies the data folder and keeps only as many as the person chose', async () => {
    await someWork();
    value(await t.engine.call('updateSettings', { backupKeep: 3 }));
    const made = [];
    for (let n = 0; n < 5; n += 1) made.push(value(await t.engine.call('backupNow', {})));
    const listed = value(await t.engine.call('listBackups', {}));
    expect(listed.map((b) => b.id)).toEqual(
      made
        .slice(2)
        .map((b) => b.id)
        .reverse(),
    );
    expect(listed[0]!.reason).toBe('manual');
    expect(listed[0]!.files).toBeGreaterThanOrEqual(3);
    expect(listed[0]!.bytes).toBeGreaterThan(100);
    const folders = (await readdir(join(t.dataDir, 'backups'))).filter((name) => !name.startsWith('.'));
    expect(folders).toHaveLength(3);
    const bad = await t.engine.call('updateSettings', { backupKeep: 0 });
    expect(bad).toMatchObject({ ok: false, error: { field: 'backupKeep' } });
  });

  it('makes a daily backup on its own once there is work to keep', async () => {
    await someWork();
    await t.engine.close();
    t.engine = await t.open({ firstBackupDelayMs: 10 });
    await expect
      .poll(async () => value(await t.engine.call('listBackups', {})).map((b) => b.reason), { timeout: 5000 })
      .toEqual(['daily']);
  });

  it('opens with a clear message when the catalog is damaged, and restores it from the latest backup', async () => {
    const { loop } = await someWork();
    const backup = value(await t.engine.call('backupNow', {}));
    await t.engine.close();
    await writeFile(join(t.dataDir, 'catalog.json'), '{"version": 1, "spaces": [tru');

    t.engine = await t.open();
    const state = value(await t.engine.call('getEngineState', {}));
    expect(state).toMatchObject({ status: 'damaged', latestBackup: { id: backup.id } });
    expect(state.problem).toMatch(
      /could not read the list of spaces and loops \(catalog\.json\): the file is damaged/,
    );
    expect(await t.engine.call('listSpaces', {})).toMatchObject({
      ok: false,
      error: { code: 'storage-corrupt' },
    });
    const asideBefore = (await readdir(t.dataDir)).filter((name) => name.includes('.damaged-'));
    expect(asideBefore).toHaveLength(1);

    const events = recordEvents(t.engine);
    const restored = value(await t.engine.call('restoreBackup', { backupId: backup.id }));
    expect(restored.status).toBe('open');
    expect((await events.next('engine.state')).state.status).toBe('open');
    expect(value(await t.engine.call('getLoop', { loopId: loop.id })).turns[0]!.text).toBe(
      'Acme: costs rose 12%.',
    );
    // The damaged file is never deleted or overwritten.
    expect((await readdir(t.dataDir)).filter((name) => name.includes('.damaged-'))).toEqual(asideBefore);
  });

  it('restores one damaged loop from a backup without touching the others', async () => {
    const first = await someWork('Acme');
    const second = await someWork('Globex');
    const backup = value(await t.engine.call('backupNow', {}));
    value(await t.engine.call('addTurn', { loopId: second.loop.id, text: 'Written after the backup.' }));
    await t.engine.close();
    await writeFile(join(t.dataDir, 'loops', `${first.loop.id}.json`), 'not json at all');

    t.engine = await t.open();
    const damaged = await t.engine.call('getLoop', { loopId: first.loop.id });
    expect(damaged).toMatchObject({ ok: false, error: { code: 'storage-corrupt' } });
    if (!damaged.ok) expect(damaged.error.message).toContain('Acme pricing');

    value(await t.engine.call('restoreBackup', { backupId: backup.id, loopId: first.loop.id }));
    expect(value(await t.engine.call('getLoop', { loopId: first.loop.id })).turns).toHaveLength(1);
    const other = value(await t.engine.call('getLoop', { loopId: second.loop.id }));
    expect(other.turns.map((t) => t.text)).toContain('Written after the backup.');
    // The restore kept what it replaced.
    expect(value(await t.engine.call('listBackups', {})).map((b) => b.reason)).toEqual([
      'before-restore',
      'manual',
    ]);
  });
});

describe('the archive', () => {
  it('moves the whole data folder to another machine, and an encrypted one stays encrypted', async () => {
    const { loop } = await someWork();
    const [space] = value(await t.engine.call('listSpaces', {}));
    const source = value(
      await t.engine.call('addSource', {
        spaceId: space!.id,
        fileName: 'depot.md',
        text: '# Depot\n\nThe Rotterdam depot ships 400 robots a week.',
      }),
    ).source;
    value(await t.engine.call('setPassphrase', { passphrase: 'moving day passphrase' }));
    const archive = value(await t.engine.call('exportArchive', {}));
    expect(archive.fileName).toMatch(/^keel-archive-\d{4}-\d{2}-\d{2}\.zip$/);
    const archiveBytes = await downloaded(t.engine, archive.file);
    expect(archiveBytes.length).toBe(archive.bytes);
    expect(archiveBytes.toString('latin1')).not.toContain('costs rose');

    const elsewhere = await tempDataDir();
    extraDirs.push(elsewhere);
    const other = await t.open({}, elsewhere);
    try {
      const here = value(await other.call('createSpace', { name: 'Something already here' }));
      value(await other.call('createLoop', { spaceId: here.id, title: 'Already here' }));
      expect(value(await other.call('search', { query: 'already' }))).toHaveLength(1);
      const file = await upload(other, 'archive', archiveBytes);
      const imported = value(await other.call('importArchive', { file }));
      expect(imported).toMatchObject({ status: 'locked', encrypted: true });
      value(await other.call('unlock', { passphrase: 'moving day passphrase' }));
      expect(value(await other.call('getLoop', { loopId: loop.id })).turns[0]!.text).toBe(
        'Acme: costs rose 12%.',
      );
      expect(value(await other.call('listSpaces', {})).map((s) => s.name)).toEqual(['Acme']);
      // Search describes the imported data, not what was there before.
      expect(value(await other.call('search', { query: 'costs rose' }))).toHaveLength(1);
      expect(value(await other.call('search', { query: 'already' }))).toEqual([]);
      // Sources travel with the rest: their passages and the copy of the file.
      expect(value(await other.call('readSource', { sourceId: source.id })).passages[0]!.section).toBe(
        'Depot',
      );
      expect(value(await other.call('getSourceFile', { sourceId: source.id })).fileName).toBe('depot.md');
      // What was there before the import is in a backup.
      expect(value(await other.call('listBackups', {}))[0]!.reason).toBe('before-import');
    } finally {
      await other.close();
    }
  });

  it('imports an archive from an older Keel whose memories are version 1, and opens them with their origin', async () => {
    await someWork();
    // The memory file as Keel 1 wrote it, in the folder the archive is made from.
    const fixtureSpace = 'sp-3550a810-2ef6-4139-adec-d80cfc63b2c3';
    const fixture = join(import.meta.dirname, '../../../tests/fixtures/migrations/memoriesVersion1.json');
    await mkdir(join(t.dataDir, 'memory'), { recursive: true });
    await writeFile(join(t.dataDir, 'memory', `space-${fixtureSpace}.json`), await readFile(fixture));
    const archive = value(await t.engine.call('exportArchive', {}));
    const archiveBytes = await downloaded(t.engine, archive.file);

    const elsewhere = await tempDataDir();
    extraDirs.push(elsewhere);
    const other = await t.open({}, elsewhere);
    try {
      value(await other.call('importArchive', { file: await upload(other, 'archive', archiveBytes) }));
      const memories = value(await other.call('listMemories', { spaceId: fixtureSpace }));
      expect(memories.map((memory) => [memory.text, memory.origin.type]).sort()).toEqual([
        ['Acme renews every March', 'said'],
        ['Ask about churn before price', 'learn'],
        ['I prefer tables over bullet lists', 'steering'],
        ['Mondays feel heavy after long client calls', 'pattern'],
      ]);
    } finally {
      await other.close();
    }
  });

  it('answers other calls while a large library is archived and unpacked', async () => {
    await someWork();
    // About 48 MB of originals (text that compresses like real documents), written straight to disk.
    await mkdir(join(t.dataDir, 'sources'), { recursive: true });
    for (let n = 0; n < 6; n += 1) {
      const text = randomBytes(4 * 1024 * 1024).toString('hex');
      await writeFile(join(t.dataDir, 'sources', `sr-big-${n}.file.json`), JSON.stringify({ base64: text }));
    }
    const delay = monitorEventLoopDelay({ resolution: 10 });
    const answeredDuring = async <T>(work: Promise<T>) => {
      let finished = false;
      let answered = 0;
      delay.reset();
      delay.enable();
      const asking = (async () => {
        while (!finished) {
          // Answered is what counts: while the files are swapped the answer says to wait a moment.
          const answer = await t.engine.call('listSpaces', {});
          if (!answer.ok) expect(answer.error.code).toBe('busy');
          answered += 1;
          await new Promise((resolve) => setTimeout(resolve, 20));
        }
      })();
      const started = performance.now();
      const result = await work;
      const tookMs = performance.now() - started;
      finished = true;
      await asking;
      delay.disable();
      return { result, answered, longestStallMs: delay.max / 1e6, tookMs };
    };

    const exported = await answeredDuring(t.engine.call('exportArchive', {}));
    const archive = value(exported.result);
    const archiveBytes = await downloaded(t.engine, archive.file);
    // Done in one blocking step (as zipSync did), the whole export would be one stall; on a busy
    // machine a little waiting is normal, so the bound is relative.
    expect(exported.answered).toBeGreaterThan(10);
    expect(exported.longestStallMs).toBeLessThan(exported.tookMs / 4);

    const file = await upload(t.engine, 'archive', archiveBytes);
    const imported = await answeredDuring(t.engine.call('importArchive', { file }));
    expect(value(imported.result).status).toBe('open');
    expect(imported.answered).toBeGreaterThan(10);
    expect(imported.longestStallMs).toBeLessThan(imported.tookMs / 4);
    expect((await readFile(join(t.dataDir, 'sources', 'sr-big-5.file.json'))).length).toBeGreaterThan(8e6);
  });

  it('refuses a file that is not a Keel archive and changes nothing', async () => {
    const { space } = await someWork();
    // A rename resolves once the catalog is on disk, so nothing is still being written.
    value(await t.engine.call('renameSpace', { spaceId: space.id, name: 'Acme' }));
    const before = await readFile(join(t.dataDir, 'catalog.json'));
    const result = await t.engine.call('importArchive', { file: await upload(t.engine, 'archive', 'hello') });
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'file' } });
    expect(await readFile(join(t.dataDir, 'catalog.json'))).toEqual(before);
    expect(value(await t.engine.call('listSpaces', {}))).toHaveLength(1);
  });
});

describe('the outbound record', () => {
  it('lists every request with its host, path, bytes and model, and nothing else', async () => {
    const { loop } = await someWork();
    t.fake.queueReply({ text: 'Three options.' });
    const recorder = recordEvents(t.engine);
    const turn = value(await t.engine.call('requestMove', { loopId: loop.id, move: 'explore' }));
    await recorder.next('turn.finished', (event) => event.turn.id === turn.id);
    const log = value(await t.engine.call('getOutboundLog', {}));
    const chat = log.find((record) => record.path === '/api/chat');
    expect(chat).toMatchObject({ method: 'POST', origin: t.fake.url, model: 'llama3.2', status: 200 });
    expect(chat!.bytesSent).toBeGreaterThan(100);
    expect(chat!.bytesReceived).toBeGreaterThan(50);
    expect(chat!.durationMs).toBeGreaterThanOrEqual(0);
    expect(log.every((record) => record.origin === t.fake.url)).toBe(true);
    expect(log.length).toBe(t.fake.requests.length);
  });

  it('refuses a host that is not allowed before sending, and records it as refused', async () => {
    value(await t.engine.call('updateSettings', { ollamaHost: 'http://192.0.2.10:11434' }));
    const status = value(await t.engine.call('getModelStatus', {}));
    expect(status.connection).toBe('remote-not-allowed');
    const requestsBefore = t.fake.requests.length;
    await someWork();
    const log = value(await t.engine.call('getOutboundLog', {}));
    expect(log.filter((record) => record.origin === 'http://192.0.2.10:11434' && !record.refused)).toEqual(
      [],
    );
    expect(t.fake.requests.length).toBe(requestsBefore);
  });
});
