/**
 * What sync keeps on this computer, in the data folder's `sync/` folder (sealed like every other
 * file when Keel is encrypted, and left out of backups and archives):
 * - `sync/<space id>.json`: the space's server (origin and database, no credentials), the key
 *   settings, how far Keel has read the local sealed database's change feed, which Keel item each
 *   random document holds (with its revision and a hash of the copy both computers last shared),
 *   the revisions not yet carried to the server, and unmerged conflicts;
 * - `sync/<space id>.pouch/`: the local sealed database (PouchDB on LevelDB) that PouchDB's
 *   replicator keeps in step with the server: ciphertext only, exactly as the server holds it;
 * - `sync/<space id>.<document id>.json`: that last shared copy, the base of three-way merges;
 * - `sync/secrets.json`: credentials and derived keys, when the shell gives no keychain.
 */
import { z } from 'zod';
import { documentSpec, type DocumentSpec } from '../store/DocumentAdapter';
import { syncKdfSchema } from './syncCrypto';

export const syncStateSchema = z.object({
  version: z.literal(2),
  spaceId: z.string(),
  origin: z.string(),
  database: z.string(),
  kdf: syncKdfSchema,
  /** Where the local sealed database's change feed was read up to: a restart goes on from here. */
  since: z.union([z.string(), z.number()]),
  paused: z.boolean(),
  lastSyncedAt: z.string().optional(),
  lastSyncedBy: z.string().optional(),
  /** Keel item (`space`, `memory`, `loop:<id>`) → its server document. */
  documents: z.record(z.string(), z.object({ id: z.string(), rev: z.string(), hash: z.string() })),
  /**
   * Revisions (`<document id> <revision>`) written to the local sealed database that the replicator
   * has not carried to the server yet → their Keel item, so a restart still counts them as waiting.
   * Older files lack it (and need no migration: nothing was remembered then).
   */
  unsent: z.record(z.string(), z.string()).optional(),
  conflicts: z.array(
    z.object({
      at: z.string(),
      loopId: z.string().optional(),
      what: z.enum(['draft', 'intent', 'decision']),
      message: z.string(),
    }),
  ),
});
export type SyncStateDocument = z.infer<typeof syncStateSchema>;

export function syncStateSpec(spaceId: string): DocumentSpec<SyncStateDocument> {
  // Migrations are indexed by the version they upgrade from (there was never a version 0).
  return documentSpec(`the sync settings of a space (sync/${spaceId}.json)`, syncStateSchema, [
    (document) => document,
    // 1 → 2: `since` was a place in the server's feed; it is now one in the local sealed database,
    // which starts empty and is filled by replication, so its feed is read from the start (the
    // revisions this computer already took are recognised and skipped).
    (document) => ({ ...document, since: 0 }),
  ]);
}

export const syncBaseSchema = z.object({ version: z.literal(1), value: z.unknown() });
export type SyncBaseDocument = z.infer<typeof syncBaseSchema>;
export const syncBaseSpec = documentSpec<SyncBaseDocument>(
  'the last copy shared with the sync server',
  syncBaseSchema,
);

export const syncSecretSchema = z.object({
  username: z.string().optional(),
  password: z.string().optional(),
  /** The key derived from the sync passphrase (base64); the passphrase itself is never kept. */
  key: z.string(),
});
export type SyncSecret = z.infer<typeof syncSecretSchema>;

export const syncSecretsSchema = z.object({
  version: z.literal(1),
  spaces: z.record(z.string(), syncSecretSchema),
});
export type SyncSecretsDocument = z.infer<typeof syncSecretsSchema>;
export const syncSecretsSpec = documentSpec<SyncSecretsDocument>(
  'the sync credentials (sync/secrets.json)',
  syncSecretsSchema,
);

/**
 * Where the credentials and keys of synced spaces are kept. The desktop shell gives one backed by
 * the operating system's keychain (Electron's safeStorage); without one, the engine seals them in
 * the data folder like its other files.
 */
export interface SyncSecretStore {
  get(spaceId: string): Promise<SyncSecret | undefined>;
  set(spaceId: string, secret: SyncSecret): Promise<void>;
  delete(spaceId: string): Promise<void>;
}
