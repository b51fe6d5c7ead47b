/** Shared set-up for engine tests: a temp data folder, a fake Ollama and an engine on both. */
import { readFile } from 'node:fs/promises';
import type { KeelEvent } from '../../shared/contract';
import type { Result } from '../../shared/errors';
import { createInspectableEngine, type InspectableEngine } from '../../electron/engine/createEngine';
import type { Engine, EngineOptions } from '../../electron/engine/Engine';

export { removeDir, tempDataDir } from './tempDir';

export function openEngine(
  dataDir: string,
  ollamaHost: string,
  extra: Partial<EngineOptions> = {},
): Promise<InspectableEngine> {
  // A 16 GiB machine unless a test says otherwise, so the context Keel asks for is the same everywhere.
  return createInspectableEngine({ dataDir, ollamaHost, shell: 'web', memoryBytes: 16 * 2 ** 30, ...extra });
}

/** Unwraps a successful result, failing the test with the error's message otherwise. */
export function value<T>(result: Result<T>): T {
  if (!result.ok) throw new Error(`Expected success, got ${result.error.code}: ${result.error.message}`);
  return result.value;
}

/** Collects every event; `next` waits for the first matching one not yet seen. */
export function recordEvents(engine: Engine) {
  const events: KeelEvent[] = [];
  const waiters: { match: (event: KeelEvent) => boolean; resolve: (event: KeelEvent) => void }[] = [];
  const stop = engine.onEvent((event) => {
    events.push(event);
    for (const waiter of [...waiters]) {
      if (waiter.match(event)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(event);
      }
    }
  });
  return {
    events,
    stop,
    next<T extends KeelEvent['type']>(
      type: T,
      match: (event: Extract<KeelEvent, { type: T }>) => boolean = () => true,
      timeoutMs = 10_000,
    ): Promise<Extract<KeelEvent, { type: T }>> {
      const predicate = (event: KeelEvent) =>
        event.type === type && match(event as Extract<KeelEvent, { type: T }>);
      const seen = events.find(predicate);
      if (seen) return Promise.resolve(seen as Extract<KeelEvent, { type: T }>);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`No ${type} event within ${timeoutMs} ms`)),
          timeoutMs,
        );
        waiters.push({
          match: predicate,
          resolve: (event) => {
            clearTimeout(timer);
            resolve(event as Extract<KeelEvent, { type: T }>);
          },
        });
      });
    },
  };
}

/** Uploads `bytes` as the workspace would and returns the id a call takes as `file`. */
export async function upload(
  engine: Engine,
  purpose: 'archive' | 'source',
  bytes: Uint8Array | string,
): Promise<string> {
  return value(await engine.upload(purpose, [Buffer.from(bytes)])).file;
}

/** The bytes of a file the engine made for download (`exportArchive`'s `file`), as a host streams it. */
export async function downloaded(engine: Engine, file: string): Promise<Buffer> {
  const download = value(await engine.download(file));
  try {
    return await readFile(download.path);
  } finally {
    await download.done();
  }
}

/** Exports everything and downloads the archive, as “Export everything” does. */
export async function exportedArchive(engine: Engine): Promise<Buffer> {
  return downloaded(engine, value(await engine.call('exportArchive', {})).file);
}
