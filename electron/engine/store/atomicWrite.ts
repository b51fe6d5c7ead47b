/**
 * Every file Keel writes is readable by its owner only (0600) and every folder it makes is 0700, so
 * another account on the machine cannot read the data even where encryption is off.
 *
 * Writes a file so that a crash, a kill or a power cut leaves either the old content or the new,
 * never a mix: the data goes to a temp file unique to this process and write, is flushed to disk,
 * renamed over the target, and the folder itself is flushed so the rename survives a power cut.
 * (steno, lowdb's writer, renames but never fsyncs, and uses one fixed temp name per file.)
 */
import { chmod, mkdir, open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

export const privateFileMode = 0o600;
export const privateFolderMode = 0o700;

let sequence = 0;

export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  const folder = dirname(path);
  sequence += 1;
  const temp = join(folder, `.${basename(path)}.${process.pid}.${sequence}.tmp`);
  try {
    const file = await open(temp, 'w', privateFileMode);
    try {
      await file.writeFile(data);
      await file.sync();
    } finally {
      await file.close();
    }
    await rename(temp, path);
  } catch (error) {
    await rm(temp, { force: true }).catch(() => undefined);
    throw error;
  }
  await syncFolder(folder);
}

/** Flushes a folder's entries (the rename) to disk. Some platforms cannot open folders: that is fine. */
export async function syncFolder(folder: string): Promise<void> {
  let handle;
  try {
    handle = await open(folder, 'r');
    await handle.sync();
  } catch {
    // Windows cannot fsync a directory; its rename is durable through NTFS's own journal.
  } finally {
    await handle?.close();
  }
}

/** Makes a folder (and its parents) that only its owner can enter. */
export async function mkdirPrivate(folder: string): Promise<void> {
  await mkdir(folder, { recursive: true, mode: privateFolderMode });
}

/**
 * Makes the data folder private: created 0700, and a folder made by an older Keel (0755) is
 * tightened when this account owns it. Some platforms (Windows) have no such bits: that is fine.
 */
export async function makePrivateFolder(folder: string): Promise<void> {
  await mkdirPrivate(folder);
  const info = await stat(folder);
  const owner = process.getuid?.();
  if ((info.mode & 0o077) !== 0 && owner !== undefined && info.uid === owner) {
    await chmod(folder, privateFolderMode);
  }
}
