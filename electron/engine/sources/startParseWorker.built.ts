/// <reference types="electron-vite/node" />
/**
 * Starts the worker that reads a document in the built app: electron-vite bundles `parseWorker.ts`
 * as a chunk of its own beside the main process's (`?nodeWorker`), and this starts it from there.
 * It takes the place of `startParseWorker.ts` in the build (electron.vite.config.ts).
 */
import type { Worker, WorkerOptions } from 'node:worker_threads';
import start from './parseWorker?nodeWorker';

export const startParseWorker: (options: WorkerOptions) => Worker = start;
