/**
 * Chromium's own folder (its caches, cookies, local storage, GPU cache and the single-instance
 * lock), kept apart from the person's data folder. Electron keys both the profile and
 * `requestSingleInstanceLock` on `userData`; pointing `userData` at a folder derived from the data
 * folder makes "one Keel" mean one Keel per data folder, so a second Keel on another
 * `KEEL_DATA_DIR` runs beside the first instead of focusing it and quitting.
 */
import { createHash } from 'node:crypto';
import { join, resolve } from 'node:path';

/** The folder, under the per-user application folder, that holds one Chromium profile per data folder. */
export const chromiumProfilesFolderName = 'Keel Chromium';

/**
 * `<appData>/Keel Chromium/<16 hex digits of the data folder's SHA-256>`: the same data folder
 * always gets the same profile (and lock), another folder another one, and neither is ever inside a
 * data folder (the default data folder is `<appData>/Keel`, a sibling).
 */
export function chromiumProfileDir(dataDir: string, appDataDir: string): string {
  const key = createHash('sha256').update(resolve(dataDir)).digest('hex').slice(0, 16);
  return join(appDataDir, chromiumProfilesFolderName, key);
}
