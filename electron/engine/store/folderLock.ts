/**
 * One writer per data folder: the desktop app, the web host and a second instance must never
 * write the same files at once. proper-lockfile holds an atomic `mkdir` lock that it refreshes
 * while the engine lives (a crashed holder goes stale and is taken over); beside it a small note
 * says who holds it, so the second one can tell the person which process to close.
 */
import { chmod, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import lockfile from 'proper-lockfile';
import { KeelError } from '../../../shared/errors';
import { privateFolderMode, writeFileAtomic } from './atomicWrite';
import { files } from './layout';

export interface LockHolder {
  pid: number;
  shell: string;
  since: string;
}

export interface FolderLock {
  release(): Promise<void>;
}

export async function lockDataFolder(dataDir: string, shell: string): Promise<FolderLock> {
  const lockPath = join(dataDir, files.lock);
  const notePath = join(dataDir, files.lockHolder);
  const options = {
    lockfilePath: lockPath,
    realpath: false,
    stale: 15_000,
    update: 5_000,
    onCompromised: (error: Error) => console.error('Keel: the data folder lock was lost', error),
  };
  let release: () => Promise<void>;
  try {
    release = await lockfile.lock(dataDir, options);
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'ELOCKED')) throw error;
    const holder = await readHolder(notePath);
    // A live holder writes its note right after taking the lock; a lock with no note that is more
    // than a moment old belongs to a process killed in between.
    const holderGone = holder ? !isAlive(holder.pid) : await olderThan(lockPath, 2_000);
    if (!holderGone) {
      throw new KeelError('folder-in-use', describeHolder(holder, dataDir), { cause: error });
    }
    // The holder died without releasing (a crash or a kill): its lock is void, so take it over now
    // rather than making the person wait for it to go stale.
    await rm(lockPath, { recursive: true, force: true });
    release = await lockfile.lock(dataDir, options);
  }
  // The lock folder and the note say only which process holds the folder: nothing of the person's.
  await chmod(lockPath, privateFolderMode).catch(() => undefined);
  const holder: LockHolder = { pid: process.pid, shell, since: new Date().toISOString() };
  await writeFileAtomic(notePath, JSON.stringify(holder));
  return {
    release: async () => {
      await rm(notePath, { force: true });
      await release();
    },
  };
}

/** Whether a process of this machine is still running (signal 0 checks without signalling). */
function isAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
}

async function olderThan(path: string, ms: number): Promise<boolean> {
  try {
    return Date.now() - (await stat(path)).mtimeMs > ms;
  } catch {
    return true;
  }
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
