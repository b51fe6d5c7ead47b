/**
 * Files on their way in (an archive to import, a document to add) arrive as a byte stream, written
 * straight to a temporary file in the data folder with a hard size cap: never a string, never whole
 * in memory. The caller gets an opaque id good for one call within a few minutes; whatever is not
 * used is deleted, and the folder is emptied when the engine starts and closes. Files on their way
 * out (an exported archive) wait here the same way, under an id good for one download.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { uploadLimits, type UploadPurpose, type UploadReceipt } from '../../shared/contract';
import { KeelError } from '../../shared/errors';
import { files } from './store/dataFiles';

/** How long an upload waits for the call that uses it. */
const uploadTtlMs = 10 * 60_000;
/** How many uploads may wait at once (each up to its purpose's limit on disk). */
const maxPending = 4;

interface Pending {
  path: string;
  purpose: UploadPurpose;
  bytes: number;
  timer: NodeJS.Timeout;
}

/** A file the engine made for the person, waiting to be downloaded once. */
export interface Outgoing {
  path: string;
  bytes: number;
  fileName: string;
  mimeType: string;
}

export class Uploads {
  private readonly pending = new Map<string, Pending>();
  private readonly outgoing = new Map<string, Outgoing & { timer: NodeJS.Timeout }>();
  private receiving = 0;

  constructor(
    private readonly dataDir: string,
    /** Per-purpose caps (tests lower them). */
    private readonly caps: Record<UploadPurpose, number> = uploadLimits,
  ) {}

  private get folder(): string {
    return join(this.dataDir, files.uploads);
  }

  /** Removes what an earlier run left behind. */
  async clear(): Promise<void> {
    for (const upload of this.pending.values()) clearTimeout(upload.timer);
    this.pending.clear();
    for (const download of this.outgoing.values()) clearTimeout(download.timer);
    this.outgoing.clear();
    await rm(this.folder, { recursive: true, force: true });
  }

  /**
   * Writes `body` to a new temporary file, refusing it (and deleting what came) once it passes the
   * cap for `purpose`. `declaredBytes` (a Content-Length) lets an oversized upload be refused before
   * a byte is written.
   */
  async receive(
    purpose: UploadPurpose,
    body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
    declaredBytes?: number,
  ): Promise<UploadReceipt> {
    const cap = this.caps[purpose];
    const tooLarge = () =>
      new KeelError(
        'invalid-input',
        `That file is larger than Keel takes (${Math.round(cap / 1024 / 1024)} MB at most for ${purpose === 'archive' ? 'an archive' : 'a source'}).`,
        { field: 'file' },
      );
    if (declaredBytes !== undefined && declaredBytes > cap) throw tooLarge();
    if (this.pending.size + this.receiving >= maxPending) {
      throw new KeelError(
        'invalid-input',
        'Keel is still holding other files sent to it. Try again shortly.',
        {
          field: 'file',
        },
      );
    }
    this.receiving += 1;
    const id = `up-${randomBytes(16).toString('base64url')}`;
    const path = join(this.folder, id);
    let bytes = 0;
    try {
      await mkdir(this.folder, { recursive: true, mode: 0o700 });
      const counted = async function* () {
        for await (const chunk of body) {
          bytes += chunk.length;
          if (bytes > cap) throw tooLarge();
          yield chunk;
        }
      };
      await pipeline(counted(), createWriteStream(path, { mode: 0o600 }));
    } catch (error) {
      await rm(path, { force: true }).catch(() => undefined);
      if (error instanceof KeelError) throw error;
      throw new KeelError('invalid-input', 'The file did not arrive whole. Try again.', { field: 'file' });
    } finally {
      this.receiving -= 1;
    }
    const timer = setTimeout(() => void this.discard(id), uploadTtlMs);
    timer.unref();
    this.pending.set(id, { path, purpose, bytes, timer });
    return { file: id, bytes };
  }

  /**
   * The file of upload `id`, taken out of the waiting list (it serves one call): the caller reads
   * it and then calls `discard`.
   */
  take(id: string, purpose: UploadPurpose): { path: string; bytes: number } {
    const upload = this.pending.get(id);
    if (!upload || upload.purpose !== purpose) {
      throw new KeelError('invalid-input', 'That file is no longer waiting in Keel. Choose it again.', {
        field: 'file',
      });
    }
    this.pending.delete(id);
    clearTimeout(upload.timer);
    return { path: upload.path, bytes: upload.bytes };
  }

  /** Deletes an upload's file, used or not. */
  async discard(id: string): Promise<void> {
    const upload = this.pending.get(id);
    if (upload) clearTimeout(upload.timer);
    this.pending.delete(id);
    await rm(join(this.folder, id), { force: true }).catch(() => undefined);
  }

  /** A new path in this folder for a file the engine is about to make for the person. */
  async outgoingPath(): Promise<{ id: string; path: string }> {
    await mkdir(this.folder, { recursive: true, mode: 0o700 });
    const id = `dl-${randomBytes(16).toString('base64url')}`;
    return { id, path: join(this.folder, id) };
  }

  /** Offers a file made at `outgoingPath` for one download within a few minutes; then it is deleted. */
  offer(id: string, file: Omit<Outgoing, 'path'>): void {
    const timer = setTimeout(() => void this.discardOutgoing(id), uploadTtlMs);
    timer.unref();
    this.outgoing.set(id, { ...file, path: join(this.folder, id), timer });
  }

  /** The file waiting under `id`, taken out of the list: the caller streams it, then discards it. */
  takeOutgoing(id: string): Outgoing {
    const download = this.outgoing.get(id);
    if (!download) {
      throw new KeelError('invalid-input', 'That file is no longer waiting in Keel. Export it again.', {
        field: 'file',
      });
    }
    this.outgoing.delete(id);
    clearTimeout(download.timer);
    const { timer: _timer, ...file } = download;
    return file;
  }

  /** Deletes an outgoing file, downloaded or not. */
  async discardOutgoing(id: string): Promise<void> {
    const download = this.outgoing.get(id);
    if (download) clearTimeout(download.timer);
    this.outgoing.delete(id);
    await rm(join(this.folder, id), { force: true }).catch(() => undefined);
  }
}
