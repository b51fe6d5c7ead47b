/**
 * Downloads the catalog's GGUF models into `<dataDir>/models/` for the built-in runtime, in a way a
 * person can trust:
 * - started only by a call (the person's click), never on its own;
 * - into `<file>.part`, resumed with an HTTP Range request after a cut connection (on its own a few
 *   times, then when the person presses Retry);
 * - never more bytes written than the catalog's size, and the free disk space checked first;
 * - verified by SHA-256 before the file is renamed into place; a file that does not match is deleted;
 * - redirects followed only for these downloads and only to origins the catalog names (the model
 *   host and its CDN); every request, redirect and refusal recorded in the outbound log;
 * - progress as the Ollama pull reports it (`pull.progress`, with `runtime: 'builtin'`), so the same
 *   progress bar shows it.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, open, readdir, rename, rm, stat, statfs } from 'node:fs/promises';
import { join } from 'node:path';
import type { CatalogModel, ModelCatalog, PullProgress } from '../../../../shared/domain';
import { KeelError } from '../../../../shared/errors';
import type { EventHub } from '../../EventHub';
import type { OutboundLog, OutboundRecord } from '../outboundFetch';
import { DownloadJobs, type DownloadJob } from '../DownloadJobs';
import {
  gpuLabel,
  recommendModels,
  type CatalogEntry,
  type MachineInfo,
  type ModelCatalogSource,
} from './catalog';

export interface ModelDownloadsOptions {
  modelsDir: string;
  source: ModelCatalogSource;
  outbound: OutboundLog;
  events: EventHub;
  /** The machine's memory and graphics processor, asked once (see machine.ts). */
  machine: () => Promise<MachineInfo>;
  /** Free bytes on the disk that holds the models folder (tests pretend the disk is nearly full). */
  freeBytes?: (dir: string) => Promise<number>;
  /** How long a download may receive nothing before it stops as stalled (default 60 s). */
  stallMs?: number;
  /** How many times a cut connection is resumed without asking (default 3). */
  autoResumes?: number;
}

const maxRedirects = 5;
/** Room left on the disk after a download, so the data folder can still be written. */
const diskReserve = 200 * 1024 * 1024;

class CutConnection extends Error {}

/** The built-in runtime's catalog and the downloads of its models, as the workspace's calls use them. */
export interface BuiltinModelDownloads {
  /** The catalog with what is installed, and the model that fits this machine, with why. */
  catalog(): Promise<ModelCatalog>;
  /** Starts (or resumes) downloading a catalog model; progress follows as `pull.progress` events. */
  start(id: string): PullProgress;
  cancel(id: string): Promise<PullProgress>;
}

export class ModelDownloads implements BuiltinModelDownloads {
  private readonly jobs: DownloadJobs;
  private readonly freeBytes: (dir: string) => Promise<number>;

  constructor(private readonly options: ModelDownloadsOptions) {
    this.jobs = new DownloadJobs(
      options.events,
      'cancelled: what was downloaded is kept, and downloading again resumes from there',
    );
    this.freeBytes =
      options.freeBytes ??
      (async (dir) => {
        const disk = await statfs(dir);
        return Number(disk.bavail) * Number(disk.bsize);
      });
  }

  /** The catalog with what is installed, and the model that fits this machine, with why. */
  async catalog(): Promise<ModelCatalog> {
    const machine = await this.options.machine();
    const files = new Set(await readdir(this.options.modelsDir).catch(() => [] as string[]));
    const models: CatalogModel[] = this.options.source.entries.map((entry) => ({
      id: entry.id,
      name: entry.name,
      kind: entry.kind,
      fileName: entry.fileName,
      bytes: entry.bytes,
      license: entry.license,
      contextLength: entry.contextLength,
      memoryBytes: entry.memoryBytes,
      host: new URL(entry.url).host,
      installed: files.has(entry.fileName),
    }));
    return {
      models,
      recommended: recommendModels(machine, this.options.source.entries),
      memoryBytes: machine.memoryBytes,
      gpu: gpuLabel(machine.gpu),
      downloadHosts: this.options.source.origins.map((origin) => new URL(origin).host),
    };
  }

  start(id: string): PullProgress {
    return this.jobs.start(id, () => {
      const entry = this.entry(id);
      return {
        progress: {
          model: id,
          runtime: 'builtin',
          state: 'pulling',
          status: 'starting',
          completedBytes: 0,
          totalBytes: entry.bytes,
          percent: 0,
        },
        run: (job) => this.download(entry, job),
        failure: (error) => downloadError(error, entry),
      };
    });
  }

  cancel(id: string): Promise<PullProgress> {
    return this.jobs.cancel(
      id,
      () => new KeelError('not-found', `${this.entry(id).name} is not being downloaded.`, { field: 'id' }),
    );
  }

  cancelAll(): Promise<void> {
    return this.jobs.cancelAll();
  }

  private entry(id: string): CatalogEntry {
    const entry = this.options.source.entries.find((candidate) => candidate.id === id);
    if (!entry)
      throw new KeelError('not-found', `Keel's catalog has no model called ${id}.`, { field: 'id' });
    return entry;
  }

  private async download(entry: CatalogEntry, job: DownloadJob): Promise<void> {
    const { progress, signal } = job;
    const setStatus = (status: string) => {
      progress.status = status;
      job.emit(true);
    };
    const advance = (bytes: number) => job.advance(bytes, entry.bytes);

    const target = join(this.options.modelsDir, entry.fileName);
    const partial = `${target}.part`;
    await mkdir(this.options.modelsDir, { recursive: true });
    if ((await sizeOf(target)) === entry.bytes) {
      advance(entry.bytes);
      return;
    }
    const have = Math.min(await sizeOf(partial), entry.bytes);
    advance(have);
    const free = await this.freeBytes(this.options.modelsDir);
    if (free < entry.bytes - have + diskReserve) throw diskShort(entry.name, entry.bytes - have, free);

    let resumes = this.options.autoResumes ?? 3;
    for (;;) {
      try {
        await this.fetchInto(entry, partial, signal, setStatus, advance);
        break;
      } catch (error) {
        if (!(error instanceof CutConnection) || signal.aborted || resumes-- <= 0) throw error;
        setStatus('the connection was cut: resuming where it stopped');
        await new Promise((resolve) => setTimeout(resolve, 300));
      }
    }
    setStatus('verifying sha256 digest');
    const digest = await sha256Of(partial, signal);
    if (digest !== entry.sha256) {
      await rm(partial, { force: true });
      progress.completedBytes = 0;
      throw new KeelError(
        'download-failed',
        `The downloaded file of ${entry.name} is not the published one (its SHA-256 checksum does not match), so Keel deleted it and will not use it. Press Retry to download it again; if this happens again, the download is being tampered with or damaged on the way.`,
      );
    }
    await rename(partial, target);
  }

  /** One attempt: from what `.part` holds to the end, following allowed redirects. */
  private async fetchInto(
    entry: CatalogEntry,
    partial: string,
    cancel: AbortSignal,
    setStatus: (status: string) => void,
    advance: (bytes: number) => void,
  ): Promise<void> {
    let have = Math.min(await sizeOf(partial), entry.bytes);
    if (have === entry.bytes) return;
    const stall = new AbortController();
    const signal = AbortSignal.any([cancel, stall.signal]);
    const stallMs = this.options.stallMs ?? 60_000;
    let timer = setTimeout(() => stall.abort(), stallMs);
    const alive = () => {
      clearTimeout(timer);
      timer = setTimeout(() => stall.abort(), stallMs);
    };
    setStatus(
      have > 0 ? `resuming at ${Math.floor((have / entry.bytes) * 100)}%` : `downloading ${entry.fileName}`,
    );
    try {
      const { response, record } = await this.request(entry, have, signal);
      if (response.status === 416 && have > 0) {
        // The host has nothing after what we hold: the part is whole or damaged; start over clean.
        await response.body?.cancel().catch(() => undefined);
        await rm(partial, { force: true });
        throw new CutConnection('the host refused to resume');
      }
      if (response.status !== 200 && response.status !== 206) {
        await response.body?.cancel().catch(() => undefined);
        throw httpError(response.status, entry);
      }
      if (response.status === 206) {
        const range = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(response.headers.get('content-range') ?? '');
        if (!range || Number(range[1]) !== have || (range[3] !== '*' && Number(range[3]) !== entry.bytes)) {
          await response.body?.cancel().catch(() => undefined);
          throw new KeelError(
            'download-failed',
            `The model host sent a different part of ${entry.name} than Keel asked for. Press Retry to download it again.`,
          );
        }
      } else {
        // A whole file (the host ignored the Range request): start the part over.
        have = 0;
        const length = response.headers.get('content-length');
        if (length !== null && Number(length) !== entry.bytes) {
          await response.body?.cancel().catch(() => undefined);
          throw sizeMismatch(entry);
        }
      }
      advance(have);
      if (!response.body) throw new CutConnection('no body');
      const file = await open(partial, have === 0 ? 'w' : 'a');
      let written = have;
      try {
        try {
          for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
            alive();
            record.bytesReceived = (record.bytesReceived ?? 0) + chunk.byteLength;
            if (written + chunk.byteLength > entry.bytes) {
              // Never more than the catalog's size: the rest is refused and the part is not trusted.
              await file.close().catch(() => undefined);
              await rm(partial, { force: true });
              throw sizeMismatch(entry);
            }
            await file.write(chunk);
            written += chunk.byteLength;
            advance(written);
          }
        } catch (error) {
          if (error instanceof KeelError || cancel.aborted) throw error;
          if (stall.signal.aborted) throw stalled(entry, stallMs);
          throw new CutConnection(describe(error));
        } finally {
          record.durationMs = Math.round(performance.now() - recordStarted.get(record)!);
        }
        await file.sync();
      } finally {
        await file.close().catch(() => undefined);
      }
      if (written < entry.bytes) throw new CutConnection('the host ended the file early');
    } catch (error) {
      if (!cancel.aborted && stall.signal.aborted && !(error instanceof KeelError))
        throw stalled(entry, stallMs);
      if (error instanceof TypeError && !cancel.aborted) throw new CutConnection(describe(error));
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  /** GET with a Range from `have`, following redirects only to the catalog's origins; every hop logged. */
  private async request(
    entry: CatalogEntry,
    have: number,
    signal: AbortSignal,
  ): Promise<{ response: Response; record: OutboundRecord }> {
    const allowed = this.options.source.origins;
    let url = new URL(entry.url);
    for (let hop = 0; ; hop++) {
      const record = this.options.outbound.add({
        at: new Date().toISOString(),
        method: 'GET',
        origin: url.origin,
        path: url.pathname,
        bytesSent: 0,
        model: entry.fileName,
      });
      recordStarted.set(record, performance.now());
      if (!allowed.includes(url.origin)) {
        record.refused = true;
        throw new KeelError(
          'host-not-allowed',
          `Keel refused to download ${entry.name} from ${url.origin}: model downloads may only go to ${allowed.map((origin) => new URL(origin).host).join(', ')}.`,
        );
      }
      const response = await fetch(url, {
        method: 'GET',
        headers: have > 0 ? { Range: `bytes=${have}-` } : {},
        redirect: 'manual',
        signal,
      });
      record.status = response.status;
      if (response.status < 300 || response.status >= 400 || response.status === 304)
        return { response, record };
      await response.body?.cancel().catch(() => undefined);
      record.durationMs = Math.round(performance.now() - recordStarted.get(record)!);
      const location = response.headers.get('location');
      let next: URL | undefined;
      try {
        next = location === null ? undefined : new URL(location, url);
      } catch {
        next = undefined;
      }
      record.redirectTo = next ? `${next.origin}${next.pathname}` : 'an address that is not valid';
      if (!next || !allowed.includes(next.origin)) {
        record.refused = true;
        throw new KeelError(
          'host-not-allowed',
          `The model host sent the download of ${entry.name} on to ${next ? next.origin : 'an address that is not valid'}, which is not one of the download hosts Keel trusts, so Keel did not follow it and nothing was downloaded from there.`,
        );
      }
      if (hop >= maxRedirects) {
        throw new KeelError(
          'download-failed',
          `The model host redirected the download of ${entry.name} too many times.`,
        );
      }
      url = next;
    }
  }
}

const recordStarted = new WeakMap<OutboundRecord, number>();

async function sizeOf(path: string): Promise<number> {
  return stat(path).then(
    (stats) => stats.size,
    () => 0,
  );
}

async function sha256Of(path: string, signal: AbortSignal): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path, { signal })) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const cause = error.cause instanceof Error ? `: ${error.cause.message}` : '';
    return `${error.message}${cause}`;
  }
  return String(error);
}

function bytesLabel(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  return `${Math.max(1, Math.round(bytes / 1e6))} MB`;
}

function diskShort(name: string, needed: number, free: number): KeelError {
  return new KeelError(
    'storage-failed',
    `There is not enough free disk space for ${name}: it needs ${bytesLabel(needed + diskReserve)} (with room to spare for your data) and the disk holding Keel's data folder has ${bytesLabel(free)} free. Free up some space, then press Retry.`,
  );
}

function sizeMismatch(entry: CatalogEntry): KeelError {
  return new KeelError(
    'download-failed',
    `The model host offered a file of a different size than the published ${entry.name} (${bytesLabel(entry.bytes)}), so Keel stopped and kept none of it.`,
  );
}

function stalled(entry: CatalogEntry, ms: number): KeelError {
  return new KeelError(
    'download-failed',
    `The download of ${entry.name} received nothing for ${Math.round(ms / 1000)} s. Check the internet connection and press Retry: it resumes where it stopped.`,
  );
}

function httpError(status: number, entry: CatalogEntry): KeelError {
  const why =
    status === 404
      ? 'the model host no longer has this file'
      : status === 401 || status === 403
        ? 'the model host refused to hand it out'
        : status === 429
          ? 'the model host asks Keel to wait before downloading more'
          : status >= 500
            ? 'the model host had a problem of its own'
            : 'the model host answered in a way Keel did not expect';
  return new KeelError(
    'download-failed',
    `Keel could not download ${entry.name}: ${why} (HTTP ${status}). Try again later.`,
  );
}

/** Everything that stops a download, in words: Keel's own refusals already say what happened. */
function downloadError(error: unknown, entry: CatalogEntry): KeelError {
  if (error instanceof KeelError) return error;
  if (error instanceof CutConnection) {
    return new KeelError(
      'download-failed',
      `The connection to the model host was lost while downloading ${entry.name} (${error.message}). Press Retry: it resumes where it stopped.`,
    );
  }
  const code = (error as NodeJS.ErrnoException)?.code;
  if (code === 'ENOSPC') {
    return new KeelError(
      'storage-failed',
      `The disk filled up while downloading ${entry.name}. Free up some space, then press Retry.`,
    );
  }
  if (typeof code === 'string' && /^E[A-Z]+$/.test(code)) {
    return new KeelError(
      'storage-failed',
      `Keel could not write ${entry.fileName} into its models folder (${code}).`,
    );
  }
  return new KeelError('download-failed', `Keel could not download ${entry.name}: ${describe(error)}.`);
}
