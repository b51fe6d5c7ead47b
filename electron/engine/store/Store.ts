/**
 * The one module that owns the data folder's files. Everything else asks it for documents and
 * saves them through it; each document has exactly one adapter (one writer) for the life of the
 * engine.
 */
import { access, readFile, readdir, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { Low } from 'lowdb';
import { KeelError } from '../../../shared/errors';
import type { Codec } from './codec';
import { mkdirPrivate, writeFileAtomic } from './atomicWrite';
import { DocumentAdapter, storageFailure, type DocumentSpec } from './DocumentAdapter';
import {
  catalogSpec,
  loopSpec,
  settingsSpec,
  type CatalogDocument,
  type LoopDocument,
  type SettingsDocument,
  templatesSpec,
  type TemplatesDocument,
} from './documents';

export interface Document<T extends { version: number }> {
  readonly data: T;
  /** Resolves once the current data is on disk. */
  save(): Promise<void>;
}

class LowDocument<T extends { version: number }> implements Document<T> {
  constructor(
    private readonly low: Low<T>,
    readonly adapter: DocumentAdapter<T>,
  ) {}
  get data(): T {
    return this.low.data;
  }
  save(): Promise<void> {
    return this.low.write();
  }
}

export class Store {
  private readonly loops = new Map<string, Promise<LowDocument<LoopDocument>>>();
  /** Other documents (memory shards and their vectors), by path relative to the data folder. */
  private readonly others = new Map<string, Promise<LowDocument<{ version: number }>>>();

  private constructor(
    readonly dataDir: string,
    readonly catalog: Document<CatalogDocument>,
    readonly settings: Document<SettingsDocument>,
    readonly templates: Document<TemplatesDocument>,
    private readonly flushers: (() => Promise<void>)[],
    private readonly codec: Codec,
  ) {}

  static async open(
    dataDir: string,
    defaultSettings: Omit<SettingsDocument, 'version'>,
    codec: Codec,
  ): Promise<Store> {
    try {
      await mkdirPrivate(join(dataDir, 'loops'));
    } catch (error) {
      throw storageFailure(error, `create the data folder ${dataDir}`);
    }
    await removeTempFiles(dataDir);
    await removeTempFiles(join(dataDir, 'loops'));
    await removeTempFiles(join(dataDir, 'memory'));
    await removeTempFiles(join(dataDir, 'search'));
    await removeTempFiles(join(dataDir, 'sources'));
    await removeTempFiles(join(dataDir, 'sync'));
    const catalog = await openDocument<CatalogDocument>(join(dataDir, 'catalog.json'), catalogSpec, codec, {
      version: 2,
      spaces: [],
      loops: [],
    });
    const settings = await openDocument<SettingsDocument>(
      join(dataDir, 'settings.json'),
      settingsSpec,
      codec,
      {
        version: 3,
        ...defaultSettings,
      },
    );
    const templates = await openDocument<TemplatesDocument>(
      join(dataDir, 'templates.json'),
      templatesSpec,
      codec,
      { version: 1, templates: [] },
    );
    return new Store(
      dataDir,
      catalog,
      settings,
      templates,
      [() => catalog.adapter.flush(), () => settings.adapter.flush(), () => templates.adapter.flush()],
      codec,
    );
  }

  /** Creates the file of a new loop and saves it. */
  async createLoop(document: LoopDocument, title: string): Promise<Document<LoopDocument>> {
    const opened = openDocument(this.loopPath(document.id), loopSpec(title), this.codec, document);
    this.loops.set(document.id, opened);
    const created = await opened;
    await created.save();
    return created;
  }

  /**
   * A loop's content without keeping it open (for indexing a whole library): the open document's
   * data when the loop is open, otherwise the file read once and let go.
   */
  async readLoop(loopId: string, title: string): Promise<LoopDocument | undefined> {
    const open = this.loops.get(loopId);
    if (open) return (await open).data;
    const adapter = new DocumentAdapter<LoopDocument>(this.loopPath(loopId), loopSpec(title), this.codec);
    return (await adapter.read()) ?? undefined;
  }

  /** Opens a loop's file (once; later calls share it). */
  openLoop(loopId: string, title: string): Promise<Document<LoopDocument>> {
    let opened = this.loops.get(loopId);
    if (!opened) {
      opened = openDocument(this.loopPath(loopId), loopSpec(title), this.codec, undefined).catch(
        (error: unknown) => {
          this.loops.delete(loopId);
          throw error;
        },
      );
      this.loops.set(loopId, opened);
    }
    return opened;
  }

  /**
   * Opens (once) a document at a path relative to the data folder, such as `memory/everywhere.json`;
   * `defaults` is used when the file does not exist yet.
   */
  document<T extends { version: number }>(
    relativePath: string,
    spec: DocumentSpec<T>,
    defaults: T,
  ): Promise<Document<T>> {
    let opened = this.others.get(relativePath) as Promise<LowDocument<T>> | undefined;
    if (!opened) {
      opened = mkdirPrivate(dirname(join(this.dataDir, relativePath)))
        .then(() => openDocument(join(this.dataDir, relativePath), spec, this.codec, defaults))
        .catch((error: unknown) => {
          this.others.delete(relativePath);
          throw error;
        });
      this.others.set(relativePath, opened as unknown as Promise<LowDocument<{ version: number }>>);
    }
    return opened;
  }

  /**
   * Writes a document that is written once and read rarely (a source's original file) without
   * keeping it open.
   */
  async writeDetached<T extends { version: number }>(
    relativePath: string,
    spec: DocumentSpec<T>,
    data: T,
  ): Promise<void> {
    const path = join(this.dataDir, relativePath);
    try {
      await mkdirPrivate(dirname(path));
    } catch (error) {
      throw storageFailure(error, `save ${spec.label}`);
    }
    await new DocumentAdapter<T>(path, spec, this.codec).write(data);
  }

  /** Reads a document without keeping it open; null when its file does not exist. */
  readDetached<T extends { version: number }>(
    relativePath: string,
    spec: DocumentSpec<T>,
  ): Promise<T | null> {
    return new DocumentAdapter<T>(join(this.dataDir, relativePath), spec, this.codec).read();
  }

  /** Whether a file exists at a path relative to the data folder. */
  async exists(relativePath: string): Promise<boolean> {
    try {
      await access(join(this.dataDir, relativePath));
      return true;
    } catch {
      return false;
    }
  }

  /** Deletes a document's file for good (after its pending writes). */
  async deleteDocument(relativePath: string): Promise<void> {
    const opened = this.others.get(relativePath);
    this.others.delete(relativePath);
    if (opened) await (await opened.catch(() => undefined))?.adapter.flush();
    await rm(join(this.dataDir, relativePath), { force: true });
  }

  /** Waits for every pending write of every open document. */
  async flush(): Promise<void> {
    const opened = await Promise.allSettled([...this.loops.values(), ...this.others.values()]);
    const flushers = [...this.flushers];
    for (const document of opened)
      if (document.status === 'fulfilled') flushers.push(() => document.value.adapter.flush());
    await Promise.all(flushers.map((flush) => flush()));
  }

  /**
   * Writes every document again through the codec, so a change of encryption (on, a new key, off)
   * reaches every file. Returns what could not be rewritten; a damaged file is moved aside and
   * is not among them.
   */
  async rewriteAll(): Promise<string[]> {
    const failed: string[] = [];
    // A damaged file was moved aside (the backups' pass seals it again); one still in place was not rewritten.
    const noteFailure = async (path: string, error: unknown) => {
      if (
        await access(path).then(
          () => true,
          () => false,
        )
      )
        failed.push(error instanceof Error ? error.message : String(error));
    };
    await Promise.all([this.catalog.save(), this.settings.save(), this.templates.save()]);
    // Memory, search and source files are rewritten as they are (whatever their schema), through the codec.
    for (const folder of ['memory', 'search', 'sources', 'sync']) {
      const names = await readdir(join(this.dataDir, folder)).catch(() => [] as string[]);
      for (const name of names) {
        if (!name.endsWith('.json') || name.startsWith('.')) continue;
        const relativePath = `${folder}/${name}`;
        try {
          const open = this.others.get(relativePath);
          if (open) await (await open).save();
          else await rewriteRaw(join(this.dataDir, relativePath), this.codec);
        } catch (error) {
          await noteFailure(join(this.dataDir, relativePath), error);
        }
      }
    }
    const titles = new Map(this.catalog.data.loops.map((loop) => [loop.id, loop.title]));
    const names = await readdir(join(this.dataDir, 'loops')).catch(() => [] as string[]);
    for (const name of names) {
      if (!name.endsWith('.json') || name.startsWith('.')) continue;
      const loopId = name.slice(0, -'.json'.length);
      try {
        const document = await this.openLoop(loopId, titles.get(loopId) ?? loopId);
        await document.save();
      } catch (error) {
        await noteFailure(this.loopPath(loopId), error);
      }
    }
    return failed;
  }

  private loopPath(loopId: string): string {
    return join(this.dataDir, 'loops', `${loopId}.json`);
  }
}

/**
 * Temp files left by a write that a crash cut short. The folder lock is held, so no other process
 * is writing: every temp file here is an abandoned write whose target still holds the last good data.
 */
async function removeTempFiles(folder: string): Promise<void> {
  const names = await readdir(folder).catch(() => [] as string[]);
  await Promise.all(
    names
      .filter((name) => name.startsWith('.') && name.endsWith('.tmp'))
      .map((name) => rm(join(folder, name), { force: true })),
  );
}

async function openDocument<T extends { version: number }>(
  path: string,
  spec: ConstructorParameters<typeof DocumentAdapter<T>>[1],
  codec: Codec,
  defaults: T | undefined,
): Promise<LowDocument<T>> {
  const adapter = new DocumentAdapter<T>(path, spec, codec);
  const stored = await adapter.read();
  if (stored === null && defaults === undefined) {
    throw new KeelError('not-found', `The file of ${spec.label} is missing from the data folder.`);
  }
  const low = new Low<T>(adapter, (stored ?? defaults) as T);
  low.data = (stored ?? defaults) as T;
  return new LowDocument(low, adapter);
}

/** Re-encodes a file that no document has open (its text stays the same; only the codec changes). */
async function rewriteRaw(path: string, codec: Codec): Promise<void> {
  const text = codec.decode(await readFile(path), path);
  await writeFileAtomic(path, codec.encode(text, path));
}
