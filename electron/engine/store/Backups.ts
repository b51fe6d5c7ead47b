/**
 * Backups of the data folder and the one-file archive for moving it to another machine. Both copy
 * the files as they are on disk, so encrypted data stays encrypted (a backup carries the key file
 * of its time: it opens with the passphrase that was current when it was made). A backup is
 * written under a temporary name and renamed when complete, so a half-made backup never shows.
 */
import { copyFile, link, readdir, readFile, rename, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { z } from 'zod';
import type { BackupInfo } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import { mkdirPrivate, syncFolder, writeFileAtomic } from './atomicWrite';
import { storageFailure } from './DocumentAdapter';
import { keyFileName } from './Vault';

/** The files that make up the person's data, relative to the data folder. */
const topFiles = ['catalog.json', 'settings.json', 'templates.json', keyFileName] as const;
const loopFile = /^loops\/[a-z0-9][a-z0-9-]{2,63}\.json$/;
const memoryFile = /^memory\/[a-z0-9][a-z0-9-]{2,80}(\.vectors)?\.json$/;
/** A space's list of sources, a source's passages, and the copy of its original file. */
const sourceFile = /^sources\/[a-z0-9][a-z0-9-]{2,80}(\.file)?\.json$/;
const sourceOriginal = /^sources\/[a-z0-9][a-z0-9-]{2,80}\.file\.json$/;
/** The folders of the data folder that hold data files, each with the names it may hold. */
const dataFolders = [
  { name: 'loops', file: loopFile },
  { name: 'memory', file: memoryFile },
  { name: 'sources', file: sourceFile },
] as const;
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

export class Backups {
  /** Files deleted for good since Keel started: a backup being made meanwhile leaves them out. */
  private readonly purged = new Set<string>();

  constructor(private readonly dataDir: string) {}

  private get folder(): string {
    return join(this.dataDir, 'backups');
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
        if (folder.file.test(`${folder.name}/${name}`)) present.push(`${folder.name}/${name}`);
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
        const file = `loops/${loopId}.json`;
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

  /** The data folder as one zip archive, with a manifest saying what it is. */
  async archive(): Promise<Uint8Array> {
    const entries: Record<string, Uint8Array> = {
      'keel-archive.json': strToU8(
        JSON.stringify({ format: 'keel-archive', version: 1, createdAt: new Date().toISOString() }),
      ),
    };
    for (const file of await this.dataFiles())
      entries[file] = new Uint8Array(await readFile(join(this.dataDir, file)));
    return zipSync(entries, { level: 6 });
  }

  /** Replaces the data folder with an archive's files, after checking it is a Keel archive. */
  async importArchive(bytes: Uint8Array): Promise<void> {
    let entries: Record<string, Uint8Array>;
    try {
      entries = unzipSync(bytes);
      archiveManifestSchema.parse(JSON.parse(strFromU8(entries['keel-archive.json'] ?? new Uint8Array())));
    } catch {
      throw new KeelError(
        'invalid-input',
        'That file is not a Keel archive (made with “Export everything”).',
        {
          field: 'base64',
        },
      );
    }
    const files = Object.keys(entries).filter((name) => name !== 'keel-archive.json');
    const strange = files.find((name) => !isDataFile(name));
    if (strange !== undefined || !files.includes('catalog.json')) {
      throw new KeelError(
        'invalid-input',
        'That archive holds files Keel does not know, so it was not imported.',
        {
          field: 'base64',
        },
      );
    }
    try {
      await this.replaceWith(files, async (file) => entries[file]!);
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
    await syncFolder(join(this.dataDir, 'loops'));
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

  private async prune(keep: number): Promise<void> {
    const backups = await this.list();
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

function isDataFile(name: string): boolean {
  return (
    (topFiles as readonly string[]).includes(name) || dataFolders.some((folder) => folder.file.test(name))
  );
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
