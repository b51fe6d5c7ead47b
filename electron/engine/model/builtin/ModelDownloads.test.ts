/**
 * Downloads of built-in models against a local fake model host and its "CDN" (two real servers on
 * 127.0.0.1): what ends up in the models folder, what the outbound log records, what the person is told.
 */
import { createHash, randomBytes } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KeelEvent } from '../../../../shared/contract';
import type { PullProgress } from '../../../../shared/domain';
import { startFakeModelHost, type FakeModelHost } from '../../../../tests/fixtures/fakeModelHost';
import { removeDir, tempDataDir } from '../../../../tests/helpers/tempDir';
import { EventHub } from '../../EventHub';
import { OutboundLog } from '../outboundFetch';
import type { CatalogEntry } from './catalog';
import { ModelDownloads, type ModelDownloadsOptions } from './ModelDownloads';

const body = randomBytes(700_000);
const sha256 = createHash('sha256').update(body).digest('hex');

let dir: string;
let host: FakeModelHost;
let cdn: FakeModelHost;
let outbound: OutboundLog;
let events: KeelEvent[];
let hub: EventHub;

beforeEach(async () => {
  dir = await tempDataDir();
  host = await startFakeModelHost();
  cdn = await startFakeModelHost();
  outbound = new OutboundLog();
  hub = new EventHub();
  events = [];
  hub.on((event) => events.push(event));
});

afterEach(async () => {
  await host.close();
  await cdn.close();
  await removeDir(dir);
});

function entry(more: Partial<CatalogEntry> = {}): CatalogEntry {
  return {
    id: 'tiny-chat',
    name: 'Tiny Chat',
    kind: 'chat',
    fileName: 'tiny-chat.gguf',
    url: `${host.origin}/org/tiny/resolve/abc/tiny-chat.gguf`,
    bytes: body.length,
    sha256,
    license: 'MIT',
    contextLength: 512,
    memoryBytes: 10_000_000,
    ...more,
  };
}

function downloads(more: Partial<ModelDownloadsOptions> = {}, catalogEntry = entry()): ModelDownloads {
  return new ModelDownloads({
    modelsDir: join(dir, 'models'),
    source: { entries: [catalogEntry], origins: [host.origin, cdn.origin] },
    outbound,
    events: hub,
    machine: async () => ({ memoryBytes: 8 * 1024 ** 3, gpu: null }),
    freeBytes: async () => 100 * 1024 ** 3,
    ...more,
  });
}

/** Waits for the download's last event (done, failed or cancelled). */
async function finished(id = 'tiny-chat'): Promise<PullProgress> {
  for (let i = 0; i < 500; i++) {
    const last = events
      .filter((event) => event.type === 'pull.progress' && event.progress.model === id)
      .at(-1);
    if (last?.type === 'pull.progress' && last.progress.state !== 'pulling') return last.progress;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error('The download did not finish.');
}

const modelFiles = () => readdir(join(dir, 'models')).catch(() => [] as string[]);

describe('downloading a built-in model', () => {
  it('follows the model host’s redirect to its CDN, verifies the file and puts it in the models folder', async () => {
    host.route('/org/tiny/resolve/abc/tiny-chat.gguf', { redirect: `${cdn.origin}/blobs/tiny?sig=secret` });
    cdn.route('/blobs/tiny', { file: { body } });
    const service = downloads();

    const first = service.start('tiny-chat');
    expect(first).toMatchObject({
      model: 'tiny-chat',
      runtime: 'builtin',
      state: 'pulling',
      totalBytes: body.length,
    });
    const last = await finished();

    expect(last).toMatchObject({
      state: 'done',
      completedBytes: body.length,
      totalBytes: body.length,
      percent: 100,
    });
    expect(sameBytes(await readFile(join(dir, 'models', 'tiny-chat.gguf')), body)).toBe(true);
    expect(await modelFiles()).toEqual(['tiny-chat.gguf']);
    // The progress went through the checksum before it was done, as the Ollama pull does.
    const statuses = events.flatMap((event) =>
      event.type === 'pull.progress' ? [event.progress.status] : [],
    );
    expect(statuses).toContain('verifying sha256 digest');
    // Both hops are in the outbound log; the redirect's query (a signature) is not.
    const log = outbound.list();
    expect(log).toHaveLength(2);
    expect(log[0]).toMatchObject({
      origin: host.origin,
      status: 302,
      redirectTo: `${cdn.origin}/blobs/tiny`,
      bytesSent: 0,
    });
    expect(log[0]!.refused).toBeUndefined();
    expect(log[1]).toMatchObject({
      origin: cdn.origin,
      path: '/blobs/tiny',
      status: 200,
      bytesReceived: body.length,
    });

    // Asked again, it is already there: nothing more is fetched.
    service.start('tiny-chat');
    events.length = 0;
    expect(await finished()).toMatchObject({ state: 'done' });
    expect(outbound.list()).toHaveLength(2);
  });

  it('resumes from where a cut connection stopped, with an HTTP Range request', async () => {
    host.route('/org/tiny/resolve/abc/tiny-chat.gguf', { file: { body, cutAt: 300_000 } });
    downloads().start('tiny-chat');

    expect(await finished()).toMatchObject({ state: 'done', completedBytes: body.length });
    expect(sameBytes(await readFile(join(dir, 'models', 'tiny-chat.gguf')), body)).toBe(true);
    // It asks for the rest from what reached the disk: at most what was sent before the cut (the
    // last pieces in flight may be lost with the connection), never from the start.
    const [first, second, ...more] = host.requests.map((request) => request.range);
    expect(first).toBeUndefined();
    expect(more).toEqual([]);
    const resumedAt = Number(/^bytes=(\d+)-$/.exec(second ?? '')?.[1]);
    expect(resumedAt).toBeGreaterThan(100_000);
    expect(resumedAt).toBeLessThanOrEqual(300_000);
    const statuses = events.flatMap((event) =>
      event.type === 'pull.progress' ? [event.progress.status] : [],
    );
    expect(statuses).toContain('the connection was cut: resuming where it stopped');
    expect(statuses).toContain(`resuming at ${Math.floor((resumedAt / body.length) * 100)}%`);
  });

  it('keeps what arrived when the connection keeps failing, says so, and Retry resumes from there', async () => {
    host.route('/org/tiny/resolve/abc/tiny-chat.gguf', { file: { body, cutAt: 200_000, cuts: 1 } });
    const service = downloads({ autoResumes: 0 });
    service.start('tiny-chat');
    const failed = await finished();
    expect(failed.state).toBe('failed');
    expect(failed.error?.code).toBe('download-failed');
    expect(failed.error?.message).toMatch(
      /connection to the model host was lost.*Press Retry: it resumes where it stopped/,
    );
    expect(await modelFiles()).toEqual(['tiny-chat.gguf.part']);

    events.length = 0;
    service.start('tiny-chat');
    expect(await finished()).toMatchObject({ state: 'done' });
    expect(host.requests.at(-1)?.range).toBe(`bytes=${failed.completedBytes}-`);
    expect(failed.completedBytes).toBeGreaterThan(0);
    expect(failed.completedBytes).toBeLessThanOrEqual(200_000);
    expect(sameBytes(await readFile(join(dir, 'models', 'tiny-chat.gguf')), body)).toBe(true);
  });

  it('refuses a file whose SHA-256 does not match, and keeps none of it', async () => {
    const corrupted = Buffer.from(body);
    corrupted[123_456] = corrupted[123_456]! ^ 0xff;
    host.route('/org/tiny/resolve/abc/tiny-chat.gguf', { file: { body: corrupted } });
    downloads().start('tiny-chat');

    const last = await finished();
    expect(last.state).toBe('failed');
    expect(last.error).toMatchObject({ code: 'download-failed' });
    expect(last.error?.message).toMatch(/SHA-256 checksum does not match.*deleted it/);
    expect(await modelFiles()).toEqual([]);
  });

  it('refuses a redirect to a host the catalog does not name, and sends nothing there', async () => {
    const elsewhere = await startFakeModelHost();
    try {
      elsewhere.route('/blobs/tiny', { file: { body } });
      host.route('/org/tiny/resolve/abc/tiny-chat.gguf', { redirect: `${elsewhere.origin}/blobs/tiny` });
      downloads().start('tiny-chat');

      const last = await finished();
      expect(last.state).toBe('failed');
      expect(last.error?.code).toBe('host-not-allowed');
      expect(last.error?.message).toContain(elsewhere.origin);
      expect(elsewhere.requests).toEqual([]);
      expect(outbound.list()).toEqual([
        expect.objectContaining({
          origin: host.origin,
          refused: true,
          redirectTo: `${elsewhere.origin}/blobs/tiny`,
        }),
      ]);
      expect(await modelFiles()).toEqual([]);
    } finally {
      await elsewhere.close();
    }
  });

  it('cancels a download midway, keeps the part, and a new download resumes it', async () => {
    host.route('/org/tiny/resolve/abc/tiny-chat.gguf', {
      file: { body, trickle: { bytes: 20_000, delayMs: 15 } },
    });
    const service = downloads();
    service.start('tiny-chat');
    while (
      !events.some((event) => event.type === 'pull.progress' && event.progress.completedBytes >= 100_000)
    ) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    const cancelled = await service.cancel('tiny-chat');
    expect(cancelled.state).toBe('cancelled');
    expect(cancelled.completedBytes).toBeGreaterThanOrEqual(100_000);
    expect(cancelled.completedBytes).toBeLessThan(body.length);
    expect(await modelFiles()).toEqual(['tiny-chat.gguf.part']);
    await expect(service.cancel('tiny-chat')).rejects.toThrow(/not being downloaded/);

    host.route('/org/tiny/resolve/abc/tiny-chat.gguf', { file: { body } });
    events.length = 0;
    service.start('tiny-chat');
    expect(await finished()).toMatchObject({ state: 'done' });
    expect(host.requests.at(-1)?.range).toMatch(/^bytes=\d+-$/);
    expect(sameBytes(await readFile(join(dir, 'models', 'tiny-chat.gguf')), body)).toBe(true);
  });

  it('checks the free disk space first and says plainly when it is short', async () => {
    host.route('/org/tiny/resolve/abc/tiny-chat.gguf', { file: { body } });
    downloads({ freeBytes: async () => 50_000_000 }).start('tiny-chat');

    const last = await finished();
    expect(last.state).toBe('failed');
    expect(last.error?.code).toBe('storage-failed');
    expect(last.error?.message).toMatch(/not enough free disk space for Tiny Chat.*has 50 MB free/);
    expect(host.requests).toEqual([]);
    expect(outbound.list()).toEqual([]);
  });

  it('never writes more than the catalog’s size', async () => {
    const longer = Buffer.concat([body, randomBytes(50_000)]);
    host.route('/org/tiny/resolve/abc/tiny-chat.gguf', { file: { body: longer } });
    downloads().start('tiny-chat');
    const last = await finished();
    expect(last.state).toBe('failed');
    expect(last.error?.message).toMatch(/different size than the published Tiny Chat/);
    expect(await modelFiles()).toEqual([]);

    // A host that does not say the size (chunked) is stopped at the limit all the same.
    host.route('/org/tiny/resolve/abc/tiny-chat.gguf', { file: { body: longer, hideLength: true } });
    events.length = 0;
    downloads().start('tiny-chat');
    expect((await finished()).error?.message).toMatch(/different size than the published Tiny Chat/);
    expect(await modelFiles()).toEqual([]);
  });

  it('tells a missing file on the host in words', async () => {
    downloads().start('tiny-chat');
    const last = await finished();
    expect(last.error?.message).toBe(
      'Keel could not download Tiny Chat: the model host no longer has this file (HTTP 404). Try again later.',
    );
  });
});

/** Compared as bytes: a deep equality over 700,000 numbers takes the test runner seconds. */
function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.equals(b);
}
