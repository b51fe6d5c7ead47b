/// <reference types="electron-vite/node" />
/**
 * Where the runtime's process code is in the built app: electron-vite bundles `runtimeHost.ts` as an
 * entry of its own beside the main process (`?modulePath`), with node-llama-cpp left outside the
 * bundle (its native binaries are found through its package folders). It takes the place of
 * `runtimeHostPath.ts` in the build (electron.vite.config.ts).
 */
import hostPath from './runtimeHost?modulePath';

export const runtimeHostPath: string = hostPath;
