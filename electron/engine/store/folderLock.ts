/**
 * One writer per data folder: the desktop app, the web host and a second instance must never
 * write the same files at once. proper-lockfile holds an atomic `mkdir` lock that it refreshes
 * while the engine lives (a crashed holder goes stale and is taken over); beside it a small note
 * says who holds it, so the second one can tell the person which process to close.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { KeelError } from '../../../shared/errors';

export interface LockHolder {
  pid: number;
  shell: string;
  since: string;
}

export interface FolderLock {
  release(): Promise<void>;
}

export async function lockDataFolder(dataDir: string, shell: string): Promise<FolderLock> {
  const lockPath = join(dataDir, '.keel.lock');
  const notePath = join(dataDir, '.keel.lock-holder.json');
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dataDir, {
      lockfilePath: lockPath,
      realpath: false,
      stale: 15_000,
      update: 5_000,
      onCompromised: (error) => console.error('Keel: the data folder lock was lost', error),
    });
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ELOCKED') {
      throw new KeelError('folder-in-use', describeHolder(await readHolder(notePath), dataDir), {
        cause: error,
      });
    }
    throw error;
  }
  const holder: LockHolder = { pid: process.pid, shell, since: new Date().toISOString() };
  await writeFile(notePath, JSON.stringify(holder));
  return {
    release: async () => {
      await rm(notePath, { force: true });
      await release();
    },
  };
}

async function readHolder(path: string): Promise<LockHolder | undefined> {
  try {
    return JSON.parse(await readFile(path, 'utf8')) as LockHolder;
  } catch {
    return undefined;
  }
}

function describeHolder(holder: LockHolder | undefined, dataDir: string): string {
  const who = holder
    ? `${holder.shell === 'web' ? 'the Keel web host' : 'the Keel desktop app'} (process ${holder.pid}, open since ${holder.since})`
    : 'another Keel';
  return `The data folder ${dataDir} is already in use by ${who}. Close it first, or point KEEL_DATA_DIR at another folder.`;
}
