/**
 * The part of PouchDB's API that sync uses. The DefinitelyTyped package pulls the DOM's types into
 * the whole engine (`/// <reference lib="dom" />`), which breaks Node's Buffer types, so these few
 * declarations stand in for it (taken from PouchDB's API documentation, pouchdb.com/api.html).
 */
declare module 'pouchdb-core' {
  namespace PouchDB {
    interface Configuration {
      adapter?: string;
      fetch?: (url: string, options: RequestInit) => Promise<Response>;
      auth?: { username: string; password: string };
      skip_setup?: boolean;
    }
    interface ChangeResult {
      id: string;
      seq: string | number;
      deleted?: boolean;
      changes?: { rev: string }[];
      doc?: Record<string, unknown> & { _id: string; _rev: string; _deleted?: boolean };
    }
    interface ChangesOptions {
      since?: string | number;
      live?: boolean;
      include_docs?: boolean;
      attachments?: boolean;
      heartbeat?: number;
      limit?: number;
      conflicts?: boolean;
    }
    interface ChangesFeed extends PromiseLike<{ results: ChangeResult[]; last_seq: string | number }> {
      on(event: 'change', listener: (change: ChangeResult) => void): ChangesFeed;
      on(event: 'error', listener: (error: unknown) => void): ChangesFeed;
      on(event: 'complete', listener: (info: unknown) => void): ChangesFeed;
      cancel(): void;
    }
    interface Database {
      info(): Promise<{ db_name: string; doc_count: number; update_seq: string | number }>;
      get(
        id: string,
        options?: { attachments?: boolean; rev?: string; conflicts?: boolean; revs?: boolean },
      ): Promise<Record<string, unknown>>;
      put(document: Record<string, unknown>): Promise<{ ok: boolean; id: string; rev: string }>;
      bulkDocs(
        documents: Record<string, unknown>[],
      ): Promise<
        ({ ok: true; id: string; rev: string } | { error: true; id: string; status: number; name: string })[]
      >;
      remove(id: string, rev: string): Promise<{ ok: boolean; id: string; rev: string }>;
      /** Of the given revisions of each document, those the database lacks (documents it has them all of are left out). */
      revsDiff(revisions: Record<string, string[]>): Promise<Record<string, { missing: string[] }>>;
      changes(options: ChangesOptions & { live: true }): ChangesFeed;
      changes(options: ChangesOptions): Promise<{ results: ChangeResult[]; last_seq: string | number }>;
      close(): Promise<void>;
      destroy(): Promise<void>;
    }
    /** What one batch of a replication carried (`docs` holds the documents written). */
    interface ReplicationChange {
      docs_written: number;
      docs: { _id: string; _rev: string; _deleted?: boolean }[];
    }
    interface ReplicationOptions {
      live?: boolean;
      retry?: boolean;
      batch_size?: number;
      batches_limit?: number;
      /** The wait before trying again (ms), given the previous one (0 the first time). */
      back_off_function?: (delay: number) => number;
    }
    /** A running replication (one-way from `replicate`, both ways from `sync`); it is also a promise of its end. */
    interface Replication extends PromiseLike<unknown> {
      on(
        event: 'change',
        listener: (
          info: ReplicationChange & { direction?: 'push' | 'pull'; change?: ReplicationChange },
        ) => void,
      ): Replication;
      on(event: 'paused', listener: (error?: unknown) => void): Replication;
      on(event: 'active' | 'complete', listener: () => void): Replication;
      on(event: 'denied' | 'error' | 'requestError', listener: (error: unknown) => void): Replication;
      cancel(): void;
      /** Of a two-way sync: its two one-way replications. */
      push?: Replication;
      pull?: Replication;
    }
    interface Static {
      new (name: string, options?: Configuration): Database;
      plugin(plugin: unknown): Static;
      defaults(options: Configuration): Static;
      replicate(source: Database, target: Database, options?: ReplicationOptions): Replication;
      sync(local: Database, remote: Database, options?: ReplicationOptions): Replication;
    }
  }
  const PouchDB: PouchDB.Static;
  export default PouchDB;
}

declare module 'pouchdb-adapter-http' {
  const plugin: unknown;
  export default plugin;
}

declare module 'pouchdb-adapter-leveldb' {
  const plugin: unknown;
  export default plugin;
}

declare module 'pouchdb-replication' {
  const plugin: unknown;
  export default plugin;
}
