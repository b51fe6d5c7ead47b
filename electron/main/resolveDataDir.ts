/**
 * Where Keel keeps its files. `KEEL_DATA_DIR` wins so tests, benchmarks and people with a second
 * workspace can point Keel elsewhere; otherwise Electron's per-user folder for the app.
 */
import { resolve } from 'node:path';

/**
 * The data folder: `KEEL_DATA_DIR` (made absolute against the working directory) when set to
 * something other than blanks, else `app.getPath('userData')`.
 */
export function resolveDataDir(
  env: Readonly<Record<string, string | undefined>>,
  app: { getPath(name: 'userData'): string },
): string {
  const fromEnv = env.KEEL_DATA_DIR?.trim();
  return fromEnv ? resolve(fromEnv) : app.getPath('userData');
}
