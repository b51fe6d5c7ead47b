/** Sync of a space between the person's computers. */
export const syncStates = ['off', 'connecting', 'up-to-date', 'syncing', 'offline', 'paused'] as const;
export type SyncState = (typeof syncStates)[number];

/** What sync could not merge by itself and kept both sides of, for the person to see. */
export interface SyncConflictNote {
  at: string;
  loopId?: string;
  what: 'draft' | 'intent' | 'decision';
  message: string;
}

export interface SyncStatus {
  spaceId: string;
  state: SyncState;
  /** The server's origin and the database's name (never the credentials). */
  origin?: string;
  database?: string;
  /** When this space last took or gave a change, and which computer made it ("this computer" or its name). */
  lastSyncedAt?: string;
  lastSyncedBy?: string;
  /** Changes made here that the server does not hold yet. */
  pending: number;
  conflicts: SyncConflictNote[];
  /** Why it is offline or stopped, in words. */
  problem?: string;
}

// ---- what the person asks of sync, in the product's terms ----

/** The server a space syncs through, and the passphrase its key comes from (the same on every computer). */
export interface SyncServer {
  url: string;
  database: string;
  username?: string;
  password?: string;
  passphrase: string;
}

/** Starting to sync one space through a server. */
export interface SyncSetUp extends SyncServer {
  spaceId: string;
}
