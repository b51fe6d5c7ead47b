/**
 * Where the runtime's process code is: beside this file when the engine runs from source (tests, the
 * bench). The built app uses `runtimeHostPath.built.ts` instead (electron.vite.config.ts).
 */
import { fileURLToPath } from 'node:url';

export const runtimeHostPath: string = fileURLToPath(new URL('./runtimeHost.ts', import.meta.url));
