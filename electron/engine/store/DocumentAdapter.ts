/**
 * A lowdb adapter for one JSON document of Keel's: reads through the codec, migrates old versions
 * up, validates with the document's schema, and writes atomically through a single writer that
 * coalesces: while one write is on its way, later writes wait and only the newest data is written,
 * and every caller's promise resolves only once a write that contains its data is on disk.
 */
import { readFile, rename } from 'node:fs/promises';
import type { Adapter } from 'lowdb';
import type { z } from 'zod';
import { KeelError } from '../../../shared/errors';
import { writeFileAtomic } from './atomicWrite';
import { plainCodec, type Codec } from './codec';

/** Migration N takes a document of version N to version N + 1. */
export type Migration = (document: Record<string, unknown>) => Record<string, unknown>;

export interface DocumentSpec<T extends { version: number }> {
  /** What the document is, in words a person understands ("the list of spaces and loops"). */
  label: string;
  schema: z.ZodType<T>;
  version: number;
  /** Indexed by the version they migrate from; index 0 upgrades files written before versions existed. */
  migrations: readonly Migration[];
}

/** The document a spec describes. */
export type DocumentOf<S> = S extends DocumentSpec<infer T> ? T : never;

/**
 * A document's spec, with its version read from the schema's own `version` literal, so the
 * version is written once (and a spec can never name another version than its schema).
 */
export function documentSpec<T extends { version: number }>(
  label: string,
  schema: z.ZodType<T> & { shape: { version: { value: T['version'] } } },
  migrations: readonly Migration[] = [],
): DocumentSpec<T> {
  return { label, schema, version: schema.shape.version.value, migrations };
}

export class DocumentAdapter<T extends { version: number }> implements Adapter<T> {
  private latest: T | undefined;
  private pending: Promise<void> | undefined;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    readonly path: string,
    private readonly spec: DocumentSpec<T>,
    private readonly codec: Codec = plainCodec,
  ) {}

  async read(): Promise<T | null> {
    let bytes: Buffer;
    try {
      bytes = await readFile(this.path);
    } catch (error) {
      if (isNodeError(error) && error.code === 'ENOENT') return null;
      throw storageFailure(error, `read ${this.spec.label}`);
    }
    let raw: unknown;
    try {
      raw = JSON.parse(this.codec.decode(bytes, this.path));
    } catch (cause) {
      // Locked meanwhile (the idle lock) is not damage: the file stays where it is.
      if (cause instanceof KeelError && cause.code === 'locked') throw cause;
      return this.damaged(cause);
    }
    // A file from a newer Keel is not damaged: it stays where it is and the person is told to update.
    const migrated = migrate(raw, this.spec);
    const parsed = this.spec.schema.safeParse(migrated);
    return parsed.success ? parsed.data : this.damaged(parsed.error);
  }

  /** A file that does not parse or fails validation is moved aside, never overwritten. */
  private async damaged(cause: unknown): Promise<never> {
    const movedTo = `${this.path}.damaged-${Date.now()}`;
    await rename(this.path, movedTo).catch(() => undefined);
    throw new KeelError(
      'storage-corrupt',
      `Keel could not read ${this.spec.label}: the file is damaged. It was moved aside to ${movedTo} so nothing overwrites it; restore it from a backup.`,
      { cause },
    );
  }

  write(data: T): Promise<void> {
    this.latest = data;
    if (this.pending) return this.pending;
    const run = this.chain.then(async () => {
      this.pending = undefined;
      const snapshot = this.latest;
      if (snapshot === undefined) return;
      try {
        await writeFileAtomic(this.path, this.codec.encode(JSON.stringify(snapshot), this.path));
      } catch (error) {
        throw storageFailure(error, `save ${this.spec.label}`);
      }
    });
    this.pending = run;
    this.chain = run.catch(() => undefined);
    return run;
  }

  /** Resolves when every write asked for so far has finished (successfully or not). */
  async flush(): Promise<void> {
    await this.chain;
  }
}

export function migrate<T extends { version: number }>(raw: unknown, spec: DocumentSpec<T>): unknown {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return raw;
  let document = raw as Record<string, unknown>;
  let version = typeof document.version === 'number' ? document.version : 0;
  if (version > spec.version) {
    throw new KeelError(
      'storage-corrupt',
      `${spec.label} was written by a newer version of Keel (format ${version}); update Keel to open it.`,
    );
  }
  while (version < spec.version) {
    const step = spec.migrations[version];
    if (!step) throw new Error(`No migration from version ${version} of ${spec.label}`);
    document = { ...step(document), version: version + 1 };
    version += 1;
  }
  return document;
}

export function isNodeError(error: unknown): error is NodeJS.ErrnoException {
  return error instanceof Error && 'code' in error;
}

/** Disk failures in words: a full disk and a read-only folder are the ones people meet. */
export function storageFailure(error: unknown, action: string): KeelError {
  const code = isNodeError(error) ? error.code : undefined;
  const reason =
    code === 'ENOSPC'
      ? 'the disk is full. Free some space, then try again'
      : code === 'EROFS' || code === 'EACCES' || code === 'EPERM'
        ? 'the data folder cannot be written to (it is read-only or not yours). Check its permissions'
        : `the system said: ${error instanceof Error ? error.message : String(error)}`;
  return new KeelError(
    'storage-failed',
    `Keel could not ${action}: ${reason}. Nothing saved earlier was lost.`,
    {
      cause: error,
    },
  );
}
