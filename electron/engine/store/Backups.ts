/**
 * Backups of the data folder and the one-file archive for moving it to another machine. Both copy
 * the files as they are on disk, so encrypted data stays encrypted (a backup carries the key file
 * of its time: it opens with the passphrase that was current when it was made). A backup is
 * written under a temporary name and renamed when complete, so a half-made backup never shows.
 */
import { randomBytes } from 'node:crypto';
import { copyFile, link, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { limits } from '../../../shared/contract';
import type { BackupInfo } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import { mkdirPrivate, syncFolder, writeFileAtomic } from './atomicWrite';
import { storageFailure } from './DocumentAdapter';
import { backedUpFiles, backedUpFolders, files, layout } from './layout';
import { keyFileName } from './Vault';
import { extractZipEntry, NotAZip, readZipDirectory, writeZip, type ZipEntry } from './zipFiles';

/** The files that make up the person's data, relative to the data folder (see `layout.ts`). */
const topFiles = backedUpFiles;
/** The folders of the data folder that hold data files, each with the names it may hold. */
const dataFolders = backedUpFolders;
/** The copy of a source's original file: the largest file a backup carries. */
const sourceOriginal = layout.sourceFile.names;
const backupId = /^b-\d{8}-\d{6}-\d{3}(-\d+)?$/;

const manifestSchema = z.object({
  version: z.literal(1),
  id: z.string(),
  createdAt: z.string(),
  reason: z.enum(['daily', 'manual', 'before-restore', 'before-import']),
  files: z.number(),
  bytes: z.number(),
});

const archiveManifestSchema = z.object({ format: z.literal('keel-archive'), version: z.literal(1) });
const archiveManifestName = 'keel-archive.json';

export class Backups {
  /** Files deleted for good since Keel started: a backup being made meanwhile leaves them out. */
  private readonly purged = new Set<string>();

  constructor(private readonly dataDir: string) {}

  private get folder(): string {
    return join(this.dataDir, files.backups);
  }

  /** The files of the data folder now (relative paths), without temp and moved-aside files. */
  async dataFiles(): Promise<string[]> {
    const present: string[] = [];
    for (const name of topFiles) {
      if (await exists(join(this.dataDir, name))) present.push(name);
    }
    for (const folder of dataFolders) {
      const names = await readdir(join(this.dataDir, folder.name)).catch(() => [] as string[]);
      for (const name of names.sort())
        if (folder.holds(`${folder.name}/${name}`)) present.push(`${folder.name}/${name}`);
    }
    return present;
  }

  async list(): Promise<BackupInfo[]> {
    const names = await readdir(this.folder).catch(() => [] as string[]);
    const backups: BackupInfo[] = [];
    for (const name of names) {
      if (!backupId.test(name)) continue;
      try {
        const manifest = manifestSchema.parse(
          JSON.parse(await readFile(join(this.folder, name, 'manifest.json'), 'utf8')),
        );
        const { version: _version, ...info } = manifest;
        backups.push(info);
      } catch {
        // A folder without a readable manifest is not a backup Keel made; leave it alone.
      }
    }
    return backups.sort((a, b) => b.id.localeCompare(a.id));
  }

  /** Copies the data folder into a new backup, then keeps only the newest `keep` backups. */
  async create(reason: BackupInfo['reason'], keep: number): Promise<BackupInfo> {
    const createdAt = new Date();
    let id = `b-${stamp(createdAt)}`;
    for (let n = 1; await exists(join(this.folder, id)); n += 1) id = `b-${stamp(createdAt)}-${n}`;
    const partial = join(this.folder, `.${id}.partial`);
    try {
      for (const folder of dataFolders) await mkdirPrivate(join(partial, folder.name));
      const files = await this.dataFiles();
      let bytes = 0;
      let count = 0;
      for (const file of files) {
        if (!(await copyInto(file, this.dataDir, partial))) continue;
        bytes += (await stat(join(partial, file))).size;
        count += 1;
      }
      // What was deleted for good while the copy was made (a source removed meanwhile) stays out.
      for (const file of this.purged) {
        if (await exists(join(partial, file))) {
          await rm(join(partial, file), { force: true });
          count -= 1;
        }
      }
      const info: BackupInfo = { id, createdAt: createdAt.toISOString(), reason, files: count, bytes };
      await writeFileAtomic(join(partial, 'manifest.json'), JSON.stringify({ version: 1, ...info }, null, 2));
      await syncFolder(partial);
      await rename(partial, join(this.folder, id));
      await syncFolder(this.folder);
      await this.prune(keep);
      return info;
    } catch (error) {
      await rm(partial, { recursive: true, force: true }).catch(() => undefined);
      throw storageFailure(error, 'make a backup of the data folder');
    }
  }

  /**
   * Puts a backup's files back: all of them (files made since are removed from the folder; they
   * are in the backup made just before), or with `loopId` only that loop's file.
   */
  async restore(id: string, loopId?: string): Promise<void> {
    const source = join(this.folder, id);
    if (!backupId.test(id) || !(await exists(join(source, 'manifest.json')))) {
      throw new KeelError('not-found', 'That backup no longer exists.', { field: 'backupId' });
    }
    try {
      if (loopId !== undefined) {
        const file = layout.loop.path(loopId);
        if (!(await exists(join(source, file)))) {
          throw new KeelError(
            'not-found',
            'That backup does not hold this loop: it was made before the loop began.',
            {
              field: 'loopId',
            },
          );
        }
        await writeFileAtomic(join(this.dataDir, file), await readFile(join(source, file)));
        return;
      }
      const files = await new Backups(source).dataFiles();
      await this.replaceWith(files, async (file) => readFile(join(source, file)));
    } catch (error) {
      if (error instanceof KeelError) throw error;
      throw storageFailure(error, 'restore the backup');
    }
  }

  /**
   * Writes the data folder as one zip archive to `to`, with a manifest saying what it is. Files are
   * deflated one at a time off the main thread, so other calls go on meanwhile.
   */
  async archive(to: string): Promise<void> {
    const manifest = JSON.stringify({
      format: 'keel-archive',
      version: 1,
      createdAt: new Date().toISOString(),
    });
    const files = await this.dataFiles();
    await writeZip(to, [
      { name: archiveManifestName, bytes: Buffer.from(manifest) },
      ...files.map((file) => ({ name: file, path: join(this.dataDir, file) })),
    ]);
  }

  /**
   * Checks the archive at `zipPath` whole and unpacks it into a new folder beside the data (which
   * it does not touch), returning that folder. Entries are filtered by name and declared size and
   * their total capped before anything is inflated; each stops inflating past its declared size.
   * Anything wrong fails with words and leaves nothing behind.
   */
  async stageArchive(zipPath: string): Promise<string> {
    const notArchive = () =>
      new KeelError('invalid-input', 'That file is not a Keel archive (made with “Export everything”).', {
        field: 'file',
      });
    const strange = (why: string) =>
      new KeelError('invalid-input', `That archive ${why}, so it was not imported. Nothing was changed.`, {
        field: 'file',
      });
    let entries: ZipEntry[];
    try {
      entries = await readZipDirectory(zipPath, limits.archiveEntries);
    } catch (error) {
      if (error instanceof NotAZip) throw notArchive();
      throw storageFailure(error, 'read the archive');
    }
    const names = new Set<string>();
    let total = 0;
    for (const entry of entries) {
      if (entry.name !== archiveManifestName && !isDataFile(entry.name))
        throw strange('holds files Keel does not know');
      if (names.has(entry.name)) throw strange('holds the same file twice');
      names.add(entry.name);
      if (entry.size > entryCap(entry.name))
        throw strange(`holds a file larger than Keel ever writes (${entry.name})`);
      total += entry.size;
    }
    if (!names.has(archiveManifestName)) throw notArchive();
    if (!names.has(layout.catalog.path())) throw strange('has no catalog of spaces');
    // Keel's files shrink a few times in a zip, never a hundredfold: more than that is a bomb.
    const archiveBytes = (await stat(zipPath)).size;
    if (total > limits.archiveUnpackedBytes || total > Math.max(64 * 1024 * 1024, archiveBytes * 100)) {
      throw strange('unpacks to more than Keel takes');
    }

    const staging = join(this.dataDir, `.import-${randomBytes(6).toString('hex')}`);
    try {
      for (const folder of dataFolders) await mkdirPrivate(join(staging, folder.name));
      // The manifest first: a file that is not Keel's stops before anything large is inflated.
      const ordered = [...entries].sort(
        (a, b) => Number(b.name === archiveManifestName) - Number(a.name === archiveManifestName),
      );
      for (const entry of ordered) {
        await extractZipEntry(zipPath, entry, join(staging, entry.name));
        if (entry.name === archiveManifestName) {
          try {
            archiveManifestSchema.parse(JSON.parse(await readFile(join(staging, entry.name), 'utf8')));
          } catch {
            throw notArchive();
          }
        }
      }
      await rm(join(staging, archiveManifestName), { force: true });
      return staging;
    } catch (error) {
      await rm(staging, { recursive: true, force: true }).catch(() => undefined);
      if (error instanceof KeelError) throw error;
      if (error instanceof NotAZip) throw strange('is damaged');
      throw storageFailure(error, 'unpack the archive');
    }
  }

  /** Replaces the data folder with a folder `stageArchive` unpacked. */
  async replaceWithStaged(staging: string): Promise<void> {
    try {
      const files = await new Backups(staging).dataFiles();
      await this.replaceWith(files, async (file) => readFile(join(staging, file)));
    } catch (error) {
      throw storageFailure(error, 'import the archive');
    }
  }

  /** Writes `files` (each atomically) and removes data files not among them. */
  private async replaceWith(files: string[], read: (file: string) => Promise<Uint8Array>): Promise<void> {
    for (const folder of dataFolders) await mkdirPrivate(join(this.dataDir, folder.name));
    for (const file of files) await writeFileAtomic(join(this.dataDir, file), await read(file));
    const keep = new Set(files);
    for (const file of await this.dataFiles()) {
      if (!keep.has(file)) await rm(join(this.dataDir, file), { force: true });
    }
    await syncFolder(join(this.dataDir, layout.loop.folder));
    await syncFolder(this.dataDir);
  }

  /**
   * Passes every file of every backup, and every damaged file moved aside, through `transform`
   * (sealing with a new key, or opening to plain). A file `transform` cannot read (damaged beyond
   * reading) is left as it is.
   */
  async reseal(transform: (bytes: Buffer, path: string) => Uint8Array | string): Promise<void> {
    const rewrite = async (path: string) => {
      let next: Uint8Array | string;
      try {
        next = transform(await readFile(path), path);
      } catch {
        return;
      }
      await writeFileAtomic(path, next);
    };
    try {
      for (const folder of [this.dataDir, ...dataFolders.map((data) => join(this.dataDir, data.name))]) {
        const names = await readdir(folder).catch(() => [] as string[]);
        for (const name of names) if (/\.damaged-\d+$/.test(name)) await rewrite(join(folder, name));
      }
      for (const backup of await this.list()) {
        const folder = join(this.folder, backup.id);
        for (const file of await new Backups(folder).dataFiles()) {
          if (file !== keyFileName) await rewrite(join(folder, file));
        }
      }
    } catch (error) {
      throw storageFailure(error, 'encrypt the backups again');
    }
  }

  /**
   * Deletes files from every backup for good (a removed source must not live on in them). Returns
   * how many were deleted.
   */
  async purge(relativePaths: readonly string[]): Promise<number> {
    for (const file of relativePaths) this.purged.add(file);
    let purged = 0;
    try {
      for (const backup of await this.list()) {
        for (const file of relativePaths) {
          const path = join(this.folder, backup.id, file);
          if (!(await exists(path))) continue;
          await rm(path, { force: true });
          purged += 1;
        }
      }
    } catch (error) {
      throw storageFailure(error, 'delete the file from the backups');
    }
    return purged;
  }

  /** Gives every backup the current key file (or none, with encryption off). */
  async setKeyFile(keyFile: string | undefined): Promise<void> {
    try {
      for (const backup of await this.list()) {
        const path = join(this.folder, backup.id, keyFileName);
        if (keyFile === undefined) await rm(path, { force: true });
        else await writeFileAtomic(path, keyFile);
      }
    } catch (error) {
      throw storageFailure(error, 'update the backups’ key file');
    }
  }

  /**
   * Keeps the newest `keep` daily and manual backups. The ones made before a restore or an import
   * are the only way back from them, so no count ever removes those.
   */
  private async prune(keep: number): Promise<void> {
    const backups = (await this.list()).filter(
      (backup) => backup.reason === 'daily' || backup.reason === 'manual',
    );
    for (const old of backups.slice(keep))
      await rm(join(this.folder, old.id), { recursive: true, force: true });
  }
}

/**
 * Copies one data file into a backup; false when it vanished meanwhile (deleted for good while the
 * backup was being made). A source's original never changes in place (every write replaces the
 * file whole), so backups share it through a hard link instead of holding a copy each.
 */
async function copyInto(file: string, dataDir: string, backup: string): Promise<boolean> {
  const from = join(dataDir, file);
  const to = join(backup, file);
  try {
    if (sourceOriginal.test(file)) {
      await link(from, to).catch(() => copyFile(from, to));
    } else {
      await copyFile(from, to);
    }
    return true;
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return false;
    throw error;
  }
}

/**
 * The largest an archive's file may be: small files small, a source's copy about what the largest
 * source takes as text, and nothing larger than Keel could read back as one string.
 */
function entryCap(name: string): number {
  if (name === archiveManifestName || name === layout.settings.path() || name === keyFileName)
    return 1024 * 1024;
  if (sourceOriginal.test(name)) return limits.sourceBytes * 2 + 1024 * 1024;
  return 512 * 1024 * 1024;
}

function isDataFile(name: string): boolean {
  return topFiles.includes(name) || dataFolders.some((folder) => folder.holds(name));
}

function stamp(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}-${iso.slice(20, 23)}`;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
