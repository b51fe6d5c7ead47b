/**
 * The worker thread a document is read in (`readInWorker.ts` starts it): a hostile file that makes
 * a reader loop, recurse or swell stalls and fills only this thread, which is ended, while the
 * engine goes on answering. It reads one file into passages and posts them back, with the pages
 * read as it goes.
 */
import { lstatSync, mkdirSync } from 'node:fs';
import { enableCompileCache } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parentPort } from 'node:worker_threads';
import type { SourceFormat } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import { chunkBlocks, type Chunk } from './chunk';
import { parseSource, tooComplex, tooManyPassages, unreadable, type ReadLimits } from './parse';

export interface ParseRequest {
  bytes: Uint8Array;
  format: SourceFormat;
  fileName: string;
  limits: ReadLimits;
}

export type ParseMessage =
  | { type: 'progress'; done: number; total: number }
  | { type: 'read'; chunks: Chunk[]; pages?: number }
  | { type: 'refused'; message: string };

/**
 * Each file has a fresh worker, which loads its reader (pdf.js, mammoth…) anew: compiled once and
 * kept on disk by Node, they load in a fraction of the time. Compiled code is run as it is found,
 * so the folder must be this user's alone: one another account could write to (made before Keel in
 * the shared temporary folder) is not used, and the readers are compiled afresh instead.
 */
function privateCompileCache(): string | undefined {
  const folder = join(tmpdir(), `keel-compiled-${process.getuid?.() ?? 'user'}`);
  try {
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const found = lstatSync(folder);
    if (!found.isDirectory()) return undefined;
    if (process.getuid && (found.uid !== process.getuid() || (found.mode & 0o077) !== 0)) return undefined;
    return folder;
  } catch {
    return undefined;
  }
}
const compileCache = privateCompileCache();
if (compileCache) enableCompileCache?.(compileCache);

const port = parentPort!;
const post = (message: ParseMessage) => port.postMessage(message);

async function read({ bytes, format, fileName, limits }: ParseRequest): Promise<void> {
  try {
    const parsed = await parseSource(
      bytes,
      format,
      fileName,
      (done, total) => post({ type: 'progress', done, total }),
      limits,
    );
    const chunks = chunkBlocks(parsed.blocks);
    if (chunks.length > limits.passages) throw tooManyPassages(fileName, limits);
    post({ type: 'read', chunks, ...(parsed.pages !== undefined ? { pages: parsed.pages } : {}) });
  } catch (error) {
    // A reader that recursed too deep for this thread's stack met a file too deeply nested.
    const refusal =
      error instanceof KeelError
        ? error
        : error instanceof RangeError
          ? unreadable(fileName, tooComplex)
          : unreadable(
              fileName,
              `it could not be read (${error instanceof Error ? error.message : String(error)})`,
            );
    post({ type: 'refused', message: refusal.message });
  }
}

// A worker is started ahead of need and reads the one file it is then sent.
port.once('message', (request: ParseRequest) => void read(request));
