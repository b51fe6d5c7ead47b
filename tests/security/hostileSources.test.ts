/**
 * Documents made to stop or crash the engine, added through its calls on a real data folder: a
 * Word zip bomb (also one that lies about its sizes), Markdown and HTML nested hundreds of
 * thousands deep, a PDF listing 20,000 pages, more passages than a source may have, a reader
 * needing more memory than allowed, and Markdown that keeps its reader busy for minutes. Each is refused with its reason in words, nothing of it
 * is kept, the engine answers other calls meanwhile, a reader that takes too long is ended, and an
 * engine process reading one still stops at once on SIGTERM.
 */
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import type { Result } from '../../shared/errors';
import {
  bracketsMarkdown,
  manyPagesPdf,
  nestedHtml,
  stallingMarkdown,
  zipBombDocx,
} from '../fixtures/hostileFiles';
import { removeDir, tempDataDir, upload, value } from '../helpers/engineHarness';
import { engineForEachTest } from '../helpers/engineSession';

const t = engineForEachTest();

/** Everything in the data folder, as text, to show a file's words were not kept. */
async function everythingOnDisk(): Promise<string> {
  const texts: string[] = [];
  const walk = async (folder: string): Promise<void> => {
    for (const entry of await readdir(folder, { withFileTypes: true })) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) await walk(path);
      else texts.push((await readFile(path)).toString('latin1'));
    }
  };
  await walk(t.dataDir);
  return texts.join('\n');
}

/**
 * Adds a hostile file and, while it is read, asks the engine for its space's sources every 100 ms:
 * the refusal, and the longest any of those calls took to be answered.
 */
async function attack(fileName: string, content: Uint8Array | string) {
  const space = value(await t.engine.call('createSpace', { name: 'Acme' }));
  const file = await upload(t.engine, 'source', content);
  const adding = t.engine.call('addSource', { spaceId: space.id, fileName, file });
  let settled = false;
  void adding.finally(() => (settled = true));
  const waits: number[] = [];
  while (!settled) {
    const at = performance.now();
    value(await t.engine.call('listSources', { spaceId: space.id }));
    waits.push(performance.now() - at);
    await sleep(100);
  }
  const outcome: Result<unknown> = await adding;
  const sources = value(await t.engine.call('listSources', { spaceId: space.id }));
  return { outcome, waits, longestWait: Math.max(0, ...waits), sources };
}

function expectRefused(outcome: Result<unknown>, fileName: string, reason: RegExp) {
  expect(outcome.ok).toBe(false);
  if (outcome.ok) return;
  expect(outcome.error.code).toBe('source-unreadable');
  expect(outcome.error.message).toContain(`“${fileName}” could not be added`);
  expect(outcome.error.message).toMatch(reason);
}

/** Nothing of a refused file is kept: no source listed, no copy or passages, none of its words. */
async function expectNothingKept(sources: unknown[], word: string) {
  expect(sources).toEqual([]);
  const kept = (await readdir(join(t.dataDir, 'sources')).catch(() => [] as string[])).filter(
    (name) => !name.startsWith('space-'),
  );
  expect(kept).toEqual([]);
  expect(await everythingOnDisk()).not.toContain(word);
}

/** The CPU time each worker thread of this process has used so far, by thread id (Linux only). */
function workerThreads(): Map<string, number> {
  const threads = new Map<string, number>();
  for (const id of readdirSync('/proc/self/task')) {
    try {
      if (readFileSync(`/proc/self/task/${id}/comm`, 'utf8').trim() !== 'WorkerThread') continue;
      const stat = readFileSync(`/proc/self/task/${id}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      threads.set(id, Number(fields[11]) + Number(fields[12]));
    } catch {
      // The thread ended between the listing and the reading.
    }
  }
  return threads;
}

describe('a document made to stop or crash the engine', () => {
  it('refuses a Word zip bomb (373 KB unpacking to 102 MB) before unpacking it, even when it lies about its sizes', async () => {
    for (const lying of [false, true]) {
      const fileName = lying ? 'lying-bomb.docx' : 'bomb.docx';
      const bomb = zipBombDocx('zephyrbomb', 102, { lying });
      expect(bomb.length).toBeLessThan(400_000);
      const { outcome, longestWait, sources } = await attack(fileName, bomb);
      expectRefused(outcome, fileName, /expands to more than 50 MB when unpacked/);
      expect(longestWait).toBeLessThan(1000);
      await expectNothingKept(sources, 'zephyrbomb');
    }
  });

  it('refuses Markdown of 200,000 open brackets and a page of 100,000 nested divisions as too complex', async () => {
    const markdown = await attack('brackets.md', bracketsMarkdown('marshwort'));
    expectRefused(markdown.outcome, 'brackets.md', /too complex to read safely/);
    expect(markdown.longestWait).toBeLessThan(1000);
    await expectNothingKept(markdown.sources, 'marshwort');

    const html = await attack('nested.html', nestedHtml('fernbrake'));
    expectRefused(html.outcome, 'nested.html', /too complex to read safely/);
    expect(html.longestWait).toBeLessThan(1000);
    await expectNothingKept(html.sources, 'fernbrake');
  });

  it('refuses a 120 KB PDF listing 20,000 pages without reading them', async () => {
    const pdf = manyPagesPdf('thistledown');
    expect(pdf.length).toBeLessThan(130_000);
    const started = performance.now();
    const { outcome, longestWait, sources } = await attack('pages.pdf', pdf);
    expectRefused(outcome, 'pages.pdf', /20,000 pages, more than the 2,000 Keel reads/);
    // Reading the pages took 79 s before there was a limit.
    expect(performance.now() - started).toBeLessThan(15_000);
    expect(longestWait).toBeLessThan(1000);
    await expectNothingKept(sources, 'thistledown');
  });

  it('refuses a file that would make more passages than a source may have', async () => {
    t.engine = await reopen({ sourceReadLimits: { passages: 20 } });
    const text = Array.from(
      { length: 60 },
      (_, at) => `Paragraph ${at} about the quillbeam. ${'x '.repeat(450)}`,
    );
    const { outcome, sources } = await attack('long.txt', text.join('\n\n'));
    expectRefused(outcome, 'long.txt', /more text than Keel reads from one source \(over 20 passages\)/);
    await expectNothingKept(sources, 'quillbeam');
  });

  it('ends a reader that needs more memory than it is allowed, and reads the next file as before', async () => {
    // The limit is lowered so that a modest table (8 MB of tiny rows) passes it: the same limit, at
    // 1 GB, ends a reader a bomb would fill.
    t.engine = await reopen({ sourceReadLimits: { memoryMb: 32 } });
    const rows = `periwinkle,count\n${'a,b\n'.repeat(2_000_000)}`;
    const { outcome, longestWait, sources } = await attack('rows.csv', rows);
    expectRefused(outcome, 'rows.csv', /reading it needs more than 32 MB of memory, so Keel stopped/);
    expect(longestWait).toBeLessThan(1000);
    await expectNothingKept(sources, 'periwinkle');
    const space = value(await t.engine.call('listSpaces', {}))[0]!;
    const next = await t.engine.call('addSource', {
      spaceId: space.id,
      fileName: 'memo.txt',
      file: await upload(t.engine, 'source', 'Margins held in the north.'),
    });
    expect(value(next).source.passages).toBe(1);
  });

  it('ends a reader that takes too long, answering other calls meanwhile', async () => {
    t.engine = await reopen({ sourceReadLimits: { seconds: 6 } });
    const linux = process.platform === 'linux';
    let busy: string[] = [];
    const measuring = (async () => {
      if (!linux) return;
      await sleep(3500);
      const during = workerThreads();
      await sleep(1500);
      const later = workerThreads();
      // The reader is the worker thread spending CPU meanwhile (an idle spare spends none).
      busy = [...later].filter(([id, ticks]) => ticks - (during.get(id) ?? ticks) >= 3).map(([id]) => id);
    })();
    const started = performance.now();
    const { outcome, waits, longestWait, sources } = await attack(
      'stalling.md',
      stallingMarkdown('larkspur'),
    );
    const took = performance.now() - started;
    await measuring;
    expectRefused(outcome, 'stalling.md', /took longer than 6 s to read, so Keel stopped/);
    expect(took).toBeGreaterThan(5500);
    expect(took).toBeLessThan(12_000);
    // The engine answered all along: many calls, none waiting a second.
    expect(waits.length).toBeGreaterThan(15);
    expect(longestWait).toBeLessThan(1000);
    await expectNothingKept(sources, 'larkspur');
    if (linux) {
      expect(busy).toHaveLength(1);
      await sleep(300);
      // The thread that was reading is gone.
      expect(existsSync(`/proc/self/task/${busy[0]}`)).toBe(false);
    }
  }, 30_000);

  it('still lets the engine process stop at once on SIGTERM while it reads such a file', async () => {
    // A folder of its own: this test's engine holds the lock on the other.
    const dataDir = await tempDataDir();
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', resolve('tests/security/engineWhileReading.ts'), dataDir, t.fake.url],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((done) => child.once('exit', (code) => done(code)));
    try {
      // Starting Node, tsx and the engine takes a while on a busy machine.
      await expect.poll(() => `${stdout}${stderr}`, { timeout: 45_000, interval: 100 }).toContain('reading');
      // Well into the reading: before there was a worker, the process no longer heard signals here.
      await sleep(2000);
      expect(child.exitCode).toBeNull();
      const signalled = performance.now();
      child.kill('SIGTERM');
      const code = await Promise.race([exited, sleep(10_000).then(() => 'still running')]);
      expect(code, stderr).toBe(0);
      expect(performance.now() - signalled, stderr).toBeLessThan(3000);
    } finally {
      if (child.exitCode === null) child.kill('SIGKILL');
      await removeDir(dataDir);
    }
  }, 60_000);
});

async function reopen(more: Parameters<typeof t.open>[0]) {
  await t.engine.close();
  return t.open(more);
}
