/** Sync of a space between the person's computers. */
import { z } from 'zod';
import { idSchema, type SyncStatus } from '../domain';
import { call, none, limits } from './spec';

/** What reaches a space's sync server: the same for the computer that starts syncing and one that joins. */
const serverFields = {
  url: z.string().trim().min(1).max(2000),
  database: z.string().trim().min(1).max(200),
  username: z.string().max(limits.name).optional(),
  password: z.string().max(1000).optional(),
  passphrase: z.string().min(1).max(1000),
};

export const syncCalls = {
  /**
   * Starts syncing a space through a CouchDB-protocol server the person runs: everything of the
   * space is sealed on this computer with a key from the sync passphrase before it is sent.
   */
  setUpSync: call<SyncStatus>()(z.object({ spaceId: idSchema, ...serverFields }).strict()),

  /** Joins a space another computer syncs, with the same server, database, credentials and passphrase. */
  joinSync: call<SyncStatus>()(z.object(serverFields).strict()),

  /** Where a space's sync stands (`off` when it does not sync). */
  getSyncStatus: call<SyncStatus>()(z.object({ spaceId: idSchema }).strict()),

  /** Every space that syncs, with its server: what the Privacy page lists. */
  listSync: call<SyncStatus[]>()(none),

  /** Pauses a space's sync (nothing goes out or comes in) or resumes it. */
  pauseSync: call<SyncStatus>()(z.object({ spaceId: idSchema, paused: z.boolean() }).strict()),

  /** Stops syncing a space and forgets its server and credentials; the space stays on this computer. */
  leaveSync: call<SyncStatus>()(z.object({ spaceId: idSchema }).strict()),

  /** The person has looked at a conflict sync could not merge (known by when it was found and what it was about). */
  dismissSyncConflict: call<SyncStatus>()(
    z
      .object({ spaceId: idSchema, at: z.string().max(40), what: z.enum(['draft', 'intent', 'decision']) })
      .strict(),
  ),
} as const;
