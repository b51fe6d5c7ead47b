/**
 * Reads a document into passages in a worker thread of its own, with limits on its memory and
 * time: a file built to stall or swell a reader stops only that thread, which is ended, and the
 * file is refused with the reason in words; the engine answers other calls all the while, and
 * stops promptly when asked.
 */
import type { SourceFormat } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import type { Chunk } from './chunk';
import { defaultReadLimits, tooComplex, unreadable, type ReadLimits, type ReadProgress } from './parse';
import type { ParseMessage, ParseRequest } from './parseWorker';
import type { Worker } from 'node:worker_threads';
import { startParseWorker } from './startParseWorker';

export interface SourceReadLimits extends ReadLimits {
  /** How long reading one file may take, in seconds, before it is stopped. */
  seconds: number;
  /** The most memory the reader of one file may use for its objects, in MB. */
  memoryMb: number;
}

export const defaultSourceReadLimits: SourceReadLimits = {
  ...defaultReadLimits,
  seconds: 120,
  memoryMb: 1024,
};

export interface Read {
  chunks: Chunk[];
  pages?: number;
}

/**
 * The passages of a document, read in a worker. `progress` is told the pages read so far (it may
 * throw to stop the reading); `stop` ends the worker at once, rejecting with its reason.
 */
export function readInWorker(
  bytes: Uint8Array,
  format: SourceFormat,
  fileName: string,
  progress: ReadProgress,
  limits: SourceReadLimits,
  stop: AbortSignal,
): Promise<Read> {
  const { seconds, memoryMb, ...readLimits } = limits;
  return new Promise<Read>((resolve, reject) => {
    if (stop.aborted) return reject(stop.reason);
    const worker = takeReader(memoryMb);
    // The worker is handed its own copy of the bytes (moved, not copied again).
    const copy = new Uint8Array(bytes);
    const request: ParseRequest = { bytes: copy, format, fileName, limits: readLimits };
    worker.postMessage(request, [copy.buffer]);
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stop.removeEventListener('abort', onStop);
      worker.removeAllListeners('message');
      void worker.terminate();
      outcome();
    };
    const onStop = () => settle(() => reject(stop.reason));
    stop.addEventListener('abort', onStop);
    const timer = setTimeout(
      () =>
        settle(() =>
          reject(
            unreadable(
              fileName,
              `it took longer than ${seconds} s to read, so Keel stopped. It may be damaged or made to stall a reader; if it is a real document, split it and add the parts`,
            ),
          ),
        ),
      seconds * 1000,
    );
    worker.on('message', (message: ParseMessage) => {
      switch (message.type) {
        case 'progress':
          try {
            progress(message.done, message.total);
          } catch (error) {
            settle(() => reject(error));
          }
          return;
        case 'read':
          return settle(() =>
            resolve({
              chunks: message.chunks,
              ...(message.pages !== undefined ? { pages: message.pages } : {}),
            }),
          );
        case 'refused':
          return settle(() => reject(new KeelError('source-unreadable', message.message)));
      }
    });
    worker.on('error', (error: Error & { code?: string }) =>
      settle(() => reject(workerFailure(fileName, error, memoryMb))),
    );
    worker.on('exit', () =>
      settle(() => reject(unreadable(fileName, 'Keel stopped reading it before it was done'))),
    );
  });
}

/**
 * A worker started ahead of the next file, so adding one does not wait for a thread to start; each
 * file still has a worker of its own, never one that read another. Ended after a minute unused.
 */
let spare: { worker: Worker; memoryMb: number; gone: boolean; idle: NodeJS.Timeout } | undefined;

function takeReader(memoryMb: number): Worker {
  const ready = spare && !spare.gone && spare.memoryMb === memoryMb ? spare.worker : undefined;
  if (spare) {
    clearTimeout(spare.idle);
    if (!ready) void spare.worker.terminate();
  }
  spare = startSpare(memoryMb);
  const worker = ready ?? startReader(memoryMb);
  worker.ref();
  return worker;
}

function startSpare(memoryMb: number): NonNullable<typeof spare> {
  const worker = startReader(memoryMb);
  // A spare never keeps the process alive, nor outlives a minute unused.
  worker.unref();
  const started: NonNullable<typeof spare> = {
    worker,
    memoryMb,
    gone: false,
    idle: setTimeout(() => void worker.terminate(), 60_000).unref(),
  };
  const gone = () => (started.gone = true);
  worker.once('exit', gone).once('error', gone);
  return started;
}

function startReader(memoryMb: number): Worker {
  const worker = startParseWorker({
    resourceLimits: { maxOldGenerationSizeMb: memoryMb },
    stdout: true,
    stderr: true,
  });
  // What a reader prints (pdf.js's warnings about a damaged file) is not the engine's output.
  worker.stdout.resume();
  worker.stderr.resume();
  return worker;
}

function workerFailure(fileName: string, error: Error & { code?: string }, memoryMb: number): KeelError {
  if (error.code === 'ERR_WORKER_OUT_OF_MEMORY') {
    return unreadable(
      fileName,
      `reading it needs more than ${memoryMb} MB of memory, so Keel stopped. It may be damaged or made to exhaust memory; if it is a real document, split it and add the parts`,
      error,
    );
  }
  if (error instanceof RangeError) return unreadable(fileName, tooComplex, error);
  return unreadable(fileName, `it could not be read (${error.message})`, error);
}
