/**
 * Starts the worker that reads a document (`parseWorker.ts`) when Keel runs from its TypeScript
 * sources (the tests, the bench): Node runs TypeScript itself, and a resolve hook lets the sources'
 * imports leave out the `.ts` as they do for the bundler. The built app starts the bundled worker
 * instead: electron.vite.config.ts puts `startParseWorker.built.ts` in this file's place.
 */
import { Worker, type WorkerOptions } from 'node:worker_threads';

const workerUrl = new URL('./parseWorker.ts', import.meta.url).href;

const bootstrap = `
const { registerHooks } = require('node:module');
registerHooks({
  resolve(specifier, context, next) {
    try {
      return next(specifier, context);
    } catch (error) {
      if (!/^\\.\\.?\\//.test(specifier)) throw error;
      return next(specifier + '.ts', context);
    }
  },
});
import(${JSON.stringify(workerUrl)});
`;

export function startParseWorker(options: WorkerOptions): Worker {
  return new Worker(bootstrap, { ...options, eval: true });
}
