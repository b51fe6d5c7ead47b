/**
 * The data folder the desktop app uses (Electron's `userData` for an app named Keel), so the web
 * host and the desktop window open the same library unless KEEL_DATA_DIR says otherwise.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';

export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.KEEL_DATA_DIR) return env.KEEL_DATA_DIR;
  if (platform === 'win32') return join(env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), 'Keel');
  if (platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Keel');
  return join(env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), 'Keel');
}
