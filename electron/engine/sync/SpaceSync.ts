/**
 * One space kept in step with its sync server by PouchDB's replicator (CouchDB's replication
 * protocol, with PouchDB's own checkpoints, batches and retries). The replicator runs between the
 * server and a local sealed database (`sync/<space>.pouch`, PouchDB on LevelDB) that holds the
 * space's documents exactly as the server does: ciphertext under random ids (see syncCrypto.ts).
 *
 * Keel's files stay the truth; this class is the bridge between them and the local database:
 * - a change here is sealed and written to the local database as a new revision (the replicator
 *   then carries it up);
 * - the local database's change feed, read from a saved place, brings what replication wrote:
 *   each document is opened, merged with what is here (merge.ts) and written through the loop,
 *   memory, source and template services, so their atomic writes, encryption at rest and the search index
 *   see it like any other change;
 * - a document two computers changed apart has conflicting revisions: Keel merges them all, writes
 *   the merge as a new revision and removes the losing ones, so every computer ends on one.
 *
 * The bridge runs in one queue, one step at a time; a failure (the server gone, a cut request)
 * leaves the changes in the local database or pending here, and the replicator tries again with a
 * growing wait, from its last checkpoint.
 */
import { createHash } from 'node:crypto';
import PouchDB from 'pouchdb-core';
import httpAdapter from 'pouchdb-adapter-http';
import type { Space, SyncConflictNote, SyncStatus } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import { now } from '../ids';
import type { LoopService } from '../loops/LoopService';
import type { TemplateService } from '../loops/TemplateService';
import type { MemoryService } from '../memory/MemoryService';
import type { OutboundLog } from '../model/outboundFetch';
import type { SourceService } from '../sources/SourceService';
import type { SourceRecord } from '../sources/sourceDocuments';
import type { Document, Store } from '../store/Store';
import { layout } from '../store/layout';
import { canonicalJson, mergeLoop, mergeMemories, type LoopValue, type SyncConflict } from './merge';
import { newDocumentId, openBytes, openValue, sealBytes, sealValue, type SyncKey } from './syncCrypto';
import { memoriesForSync, memoriesFromSync, sharedMemories } from './syncedMemories';
import type { SyncStateDocument } from './syncDocuments';
import { createSyncFetch } from './syncFetch';

PouchDB.plugin(httpAdapter);

let replicationLoaded: Promise<void> | undefined;
/**
 * LevelDB and the replicator are loaded the first time a space syncs: Keel starts without them
 * (they take a good part of a second to load on a busy machine) when no space syncs.
 */
function loadReplication(): Promise<void> {
  replicationLoaded ??= Promise.all([import('pouchdb-adapter-leveldb'), import('pouchdb-replication')]).then(
    ([leveldb, replication]) => {
      PouchDB.plugin(leveldb.default).plugin(replication.default);
    },
    (error: unknown) => {
      replicationLoaded = undefined;
      throw error;
    },
  );
  return replicationLoaded;
}

/** A sealed document as Keel writes it: nothing but its id, revision and sealed parts. */
interface SealedDocument {
  _id: string;
  _rev?: string;
  _deleted?: boolean;
  _conflicts?: string[];
  _attachments?: Record<string, { content_type?: string; data?: string | Buffer }>;
}

/** A new revision of one item, sealed and ready to write. */
interface Prepared {
  key: string;
  id: string;
  light: unknown;
  valueHash: string;
  at: string;
  bytes: number;
  doc: SealedDocument & Record<string, unknown>;
}

/** What a sealed body holds: which Keel item, its value, and who sent it when. */
interface Payload {
  key: string;
  value: unknown;
  by: string;
  at: string;
}

export const headerId = 'keel-space';
/** Pending marks that stand for many items: all of the space, or all of its sources. */
const everything = '*';
export const allSources = 'sources';

export interface SpaceSyncServices {
  store: Store;
  loops: LoopService;
  memory: MemoryService;
  sources: SourceService;
  templates: TemplateService;
  outbound: OutboundLog;
  /** This computer's name, sealed into what it sends, to say who synced last. */
  computer: string;
  onStatus: (status: SyncStatus, loopIds: string[]) => void;
}

export interface SpaceSyncOptions {
  /** The largest sealed part stored as one attachment (default 4 MB, well under CouchDB's limits). */
  partBytes?: number;
  /** The first wait before trying again after a failure (doubles up to 30 s). */
  retryMs?: number;
}

export function openServerDatabase(
  origin: string,
  database: string,
  credentials: { username?: string; password?: string },
  outbound: OutboundLog,
): PouchDB.Database {
  const auth =
    credentials.username !== undefined && credentials.username !== ''
      ? { auth: { username: credentials.username, password: credentials.password ?? '' } }
      : {};
  const remote = new PouchDB(`${origin}/${encodeURIComponent(database)}`, {
    adapter: 'http',
    fetch: createSyncFetch(new URL(origin).origin, outbound) as never,
    ...auth,
  } as PouchDB.Configuration);
  return withInfoThatNeverRejects(remote, database);
}

/**
 * PouchDB's replicator asks the server for its info after each batch only to count progress, and
 * never handles that request failing (pouchdb-replication 9.0.0, `src.info().then(…)` with no
 * catch): a server that goes away mid-sync would end the process with an unhandled rejection. Keel
 * reads nothing from the server's info, so a failed one answers "nothing known"; the replication
 * requests themselves still fail, and are retried, as they should.
 */
function withInfoThatNeverRejects(remote: PouchDB.Database, database: string): PouchDB.Database {
  const info = remote.info.bind(remote);
  remote.info = () => info().catch(() => ({ db_name: database, doc_count: 0, update_seq: 0 }));
  return remote;
}

/** The local sealed database of a space, at an absolute path (its folder is made by the caller). */
export async function openLocalDatabase(path: string): Promise<PouchDB.Database> {
  await loadReplication();
  return new PouchDB(path, { adapter: 'leveldb' });
}

/** Copies the server's documents into the local database once (joining), in the replicator's batches. */
export async function replicateOnce(remote: PouchDB.Database, local: PouchDB.Database): Promise<void> {
  await loadReplication();
  await PouchDB.replicate(remote, local, { batch_size: 100, batches_limit: 4 });
}

export class SpaceSync {
  private queue: Promise<unknown> = Promise.resolve();
  private readonly dirty = new Set<string>();
  /**
   * Revisions the replicator carried before this side noted them written (the replicator can be
   * quicker than the write's answer); those not carried yet are `unsent`, kept in the sync state.
   */
  private readonly carried = new Set<string>();
  /** The remembered unsent revisions were checked against the server since the last start. */
  private unsentChecked = false;
  private flushTimer: NodeJS.Timeout | undefined;
  private retryTimer: NodeJS.Timeout | undefined;
  private feedTimer: NodeJS.Timeout | undefined;
  private retryWait: number;
  private feed: PouchDB.ChangesFeed | undefined;
  private replication: PouchDB.Replication | undefined;
  private replicationEnded: Promise<void> = Promise.resolve();
  /** The replicator has caught up both ways and waits for more. */
  private idle = false;
  private stopped = true;
  private state: SyncStatus['state'] = 'connecting';
  private problem: string | undefined;
  private readonly partBytes: number;
  /** Which Keel item each document holds (a base is read per document id). */
  private readonly keysById = new Map<string, string>();

  constructor(
    readonly spaceId: string,
    private readonly local: PouchDB.Database,
    private readonly remote: PouchDB.Database,
    private readonly sync: Document<SyncStateDocument>,
    private readonly key: SyncKey,
    private readonly services: SpaceSyncServices,
    private readonly options: SpaceSyncOptions = {},
  ) {
    this.partBytes = options.partBytes ?? 4_000_000;
    this.retryWait = options.retryMs ?? 1000;
    for (const [key, entry] of Object.entries(sync.data.documents)) this.keysById.set(entry.id, key);
  }

  get data(): SyncStateDocument {
    return this.sync.data;
  }

  /**
   * Revisions (`<id> <rev>`) written to the local database that the replicator has not carried to
   * the server yet, with their items: saved with the sync state, so changes sealed here while the
   * server was away still count as waiting after a restart.
   */
  private get unsent(): Record<string, string> {
    return (this.sync.data.unsent ??= {});
  }

  /** Starts live sync: everything of the space is checked for changes, the replicator runs both ways, the local feed is followed. */
  start(): void {
    this.stopped = false;
    this.unsentChecked = false;
    if (this.sync.data.paused) {
      this.state = 'paused';
      this.announce([]);
      return;
    }
    this.dirty.add(everything);
    this.schedulePush(0);
    this.follow();
    this.replicate();
  }

  /** Stops the replicator and the bridge; what is pending stays pending. Resolves once the current step ends. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.flushTimer);
    clearTimeout(this.retryTimer);
    clearTimeout(this.feedTimer);
    this.flushTimer = undefined;
    this.feed?.cancel();
    this.feed = undefined;
    this.replication?.cancel();
    this.replication = undefined;
    this.idle = false;
    await this.replicationEnded;
    await this.queue.catch(() => undefined);
  }

  /** Stops and closes the local database (Keel closing). */
  async close(): Promise<void> {
    await this.stop();
    await this.local.close().catch(() => undefined);
  }

  /** Stops and removes the local sealed database (leaving sync). */
  async destroy(): Promise<void> {
    await this.stop();
    await this.local.destroy();
  }

  /** Pauses (nothing goes out or comes in) or resumes, and keeps that choice. */
  async setPaused(paused: boolean): Promise<void> {
    await this.stop();
    this.sync.data.paused = paused;
    await this.sync.save();
    this.state = paused ? 'paused' : 'connecting';
    this.start();
  }

  /** Takes a conflict off the list (the person has seen to it). */
  async dismissConflict(at: string, what: SyncConflictNote['what']): Promise<void> {
    const before = this.sync.data.conflicts.length;
    this.sync.data.conflicts = this.sync.data.conflicts.filter(
      (conflict) => !(conflict.at === at && conflict.what === what),
    );
    if (this.sync.data.conflicts.length === before) {
      throw new KeelError('not-found', 'That sync conflict is no longer listed.');
    }
    await this.sync.save();
    this.announce([]);
  }

  /** A Keel item of this space changed here: it goes out soon (changes close together go as one). */
  changed(key: string): void {
    this.dirty.add(key);
    if (!this.stopped && !this.sync.data.paused) this.schedulePush(50);
    this.announce([]);
  }

  status(): SyncStatus {
    const data = this.sync.data;
    const pending = new Set([...this.dirty, ...Object.values(this.unsent)]);
    pending.delete(everything);
    pending.delete(allSources);
    return {
      spaceId: this.spaceId,
      state: data.paused
        ? 'paused'
        : this.state === 'up-to-date' && pending.size > 0
          ? 'syncing'
          : this.state,
      origin: data.origin,
      database: data.database,
      ...(data.lastSyncedAt ? { lastSyncedAt: data.lastSyncedAt } : {}),
      ...(data.lastSyncedBy
        ? { lastSyncedBy: data.lastSyncedBy === this.services.computer ? 'this computer' : data.lastSyncedBy }
        : {}),
      pending: pending.size,
      conflicts: data.conflicts.map((conflict) => ({ ...conflict })),
      ...(this.problem ? { problem: this.problem } : {}),
    };
  }

  /**
   * Waits until nothing is pending here, the replicator has carried everything to the server and
   * the local feed has been read to its end (for tests and the bench).
   */
  async settled(timeoutMs = 60_000): Promise<void> {
    const until = Date.now() + timeoutMs;
    for (;;) {
      await this.enqueue(async () => this.pushDirty());
      if (this.stopped || this.sync.data.paused) return;
      const { update_seq } = await this.local.info();
      if (
        this.dirty.size === 0 &&
        Object.keys(this.unsent).length === 0 &&
        this.idle &&
        String(update_seq) === String(this.sync.data.since)
      )
        return;
      if (Date.now() > until)
        throw new KeelError('sync-failed', 'Sync did not finish in time. It goes on in the background.');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  /**
   * Reads the local database's whole feed once (joining, after `replicateOnce`): the space's own
   * record first, so the space exists before its loops arrive.
   */
  async pullAll(): Promise<void> {
    await this.enqueue(async () => {
      const changes = await this.local.changes({
        since: this.sync.data.since,
        include_docs: true,
        attachments: true,
        conflicts: true,
      });
      const docs: { doc: SealedDocument; payload: Payload }[] = [];
      for (const change of changes.results) {
        const doc = change.doc as SealedDocument | undefined;
        if (!doc || doc._deleted || doc._id === headerId) continue;
        docs.push({ doc, payload: this.open(doc) });
      }
      docs.sort((a, b) => Number(b.payload.key === 'space') - Number(a.payload.key === 'space'));
      const loopIds: string[] = [];
      for (const { doc } of docs) await this.take(doc, loopIds, false);
      this.sync.data.since = changes.last_seq;
      await this.sync.save();
      // Everything the server held is here now: up to date until the replicator says otherwise.
      this.connected();
      this.announce(loopIds);
    });
  }

  // ---- the replicator ---------------------------------------------------------------------------

  private replicate(): void {
    if (this.stopped || this.sync.data.paused || this.replication) return;
    const first = this.options.retryMs ?? 1000;
    const running = PouchDB.sync(this.local, this.remote, {
      live: true,
      retry: true,
      batch_size: 100,
      back_off_function: (delay) => (delay === 0 ? first : Math.min(delay * 2, 30_000)),
    });
    this.replication = running;
    this.idle = false;
    this.replicationEnded = new Promise<void>((resolve) => {
      running.on('complete', () => resolve());
      running.on('error', () => resolve());
    });
    running.on('change', (info) => {
      if (this.replication !== running || info.direction !== 'push' || !info.change) return;
      let forgot = false;
      for (const doc of info.change.docs) {
        const revision = `${doc._id} ${doc._rev}`;
        if (Object.hasOwn(this.unsent, revision)) forgot = true;
        else this.carried.add(revision);
        // The revisions of this document it replaces went up with it, as its history.
        forgot = this.forgetUpTo(doc._id, doc._rev) || forgot;
      }
      if (info.change.docs_written > 0 || forgot) {
        this.sync.data.lastSyncedAt = now();
        this.sync.data.lastSyncedBy = this.services.computer;
        void this.enqueue(() => this.sync.save()).catch((error: unknown) => this.failed(error));
      }
      this.connected();
      this.announce([]);
    });
    running.on('active', () => {
      if (this.replication === running) this.idle = false;
    });
    running.on('paused', (error) => {
      if (this.replication !== running) return;
      if (error) {
        this.idle = false;
        this.failed(error);
        return;
      }
      this.idle = true;
      this.connected();
      this.announce([]);
      this.checkUnsent();
    });
    running.on('denied', (error) => this.failed(error));
    // A failed request is only told by each direction (the two-way sync's own pause hides it).
    for (const direction of [running.push, running.pull]) {
      direction?.on('requestError', (error) => {
        if (this.replication !== running) return;
        this.idle = false;
        this.failed(error);
      });
    }
    running.on('error', (error) => {
      // Only a refusal of the credentials ends a live replication that retries: try again later.
      if (this.replication !== running) return;
      this.replication = undefined;
      this.idle = false;
      this.failed(error);
      this.retryTimer = setTimeout(() => this.replicate(), this.retryWait);
      this.retryTimer.unref();
      this.retryWait = Math.min(this.retryWait * 2, 30_000);
    });
  }

  // ---- the local feed ---------------------------------------------------------------------------

  /** Follows the local database's change feed: what the replicator wrote is taken into Keel's files. */
  private follow(): void {
    if (this.stopped || this.sync.data.paused) return;
    const feed = this.local.changes({ since: this.sync.data.since, live: true });
    this.feed = feed;
    feed.on('change', (change) => {
      void this.enqueue(async () => {
        if (this.stopped) return;
        const loopIds: string[] = [];
        const key = this.keysById.get(change.id);
        const own = key !== undefined && this.sync.data.documents[key]?.rev === change.changes?.[0]?.rev;
        // This computer's own write coming back through the feed is skipped without reading it.
        if (change.id !== headerId && !own) {
          if (change.deleted) await this.removed(change.id);
          else {
            const doc = await this.read(change.id);
            if (doc) await this.take(doc, loopIds);
          }
        }
        this.sync.data.since = change.seq;
        await this.sync.save();
        this.announce(loopIds);
      }).catch((error: unknown) => this.failed(error));
    });
    feed.on('error', (error: unknown) => {
      if (this.feed !== feed) return;
      this.feed = undefined;
      this.failed(error);
      this.feedTimer = setTimeout(() => this.follow(), this.retryWait);
      this.feedTimer.unref();
    });
  }

  /** A document's winning revision as it is now, with its sealed parts and its conflicting revisions. */
  private async read(id: string, rev?: string): Promise<SealedDocument | undefined> {
    try {
      return (await this.local.get(id, {
        attachments: true,
        ...(rev ? { rev } : { conflicts: true }),
      })) as unknown as SealedDocument;
    } catch (error) {
      if ((error as { status?: number }).status === 404) return undefined;
      throw error;
    }
  }

  private open(doc: SealedDocument): Payload {
    const payload = openValue(this.key, doc._id, this.parts(doc, 'p')) as Payload;
    if (typeof payload?.key !== 'string') {
      throw new KeelError('sync-failed', 'A document on the sync server is not one Keel sealed.');
    }
    // A source's original file travels beside the rest as sealed bytes, under its own additional data.
    const file = (payload.value as { file?: { base64?: string } } | undefined)?.file;
    if (
      payload.key.startsWith('source:') &&
      file &&
      Object.keys(doc._attachments ?? {}).some((name) => name.startsWith('f'))
    ) {
      file.base64 = openBytes(this.key, `${doc._id}#file`, this.parts(doc, 'f')).toString('base64');
    }
    return payload;
  }

  /** The sealed bytes in a document's attachments named `<prefix>0`, `<prefix>1`, … in order. */
  private parts(doc: SealedDocument, prefix: 'p' | 'f'): Buffer {
    return Buffer.concat(
      Object.keys(doc._attachments ?? {})
        .filter((name) => name.startsWith(prefix) && /^\d+$/.test(name.slice(1)))
        .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)))
        .map((name) => {
          const data = doc._attachments![name]!.data;
          return typeof data === 'string' ? Buffer.from(data, 'base64') : Buffer.from(data ?? []);
        }),
    );
  }

  /** A document deleted on another computer: a tombstone of an item this computer knew. */
  private async removed(documentId: string): Promise<void> {
    const data = this.sync.data;
    const key = this.keysById.get(documentId);
    if (!key || data.documents[key]?.id !== documentId) return;
    delete data.documents[key];
    this.keysById.delete(documentId);
    await this.services.store.deleteDocument(this.basePath(documentId));
    // Removed on another computer: removed here too, for good (its copy, passages and backups).
    if (key.startsWith('source:')) {
      await this.services.sources.remove(key.slice('source:'.length)).catch((error: unknown) => {
        if (!(error instanceof KeelError && error.code === 'not-found')) throw error;
      });
    }
    if (key.startsWith('template:')) {
      await this.services.templates.removeSynced(this.spaceId, key.slice('template:'.length));
    }
    await this.sync.save();
  }

  /**
   * Takes one document of the local database into Keel's files: its winning revision, unless it is
   * this computer's own, is merged with what is here and written through the services; if the
   * merge differs from it, it goes out as a new revision on top of it.
   */
  private async take(doc: SealedDocument, loopIds: string[], save = true): Promise<void> {
    const data = this.sync.data;
    const winner = this.open(doc);
    const key = winner.key;
    const entry = data.documents[key];
    const mine = (rev: string) => entry !== undefined && entry.id === doc._id && entry.rev === rev;
    // Of conflicting revisions, the one of this computer that lost: it is merged with the winner
    // here, written on top of it, and removed. A computer whose revision won waits for the others
    // to do the same (as a refused write to a server would have them do), so the merges do not
    // cross and every computer ends on one revision.
    const lost = (doc._conflicts ?? []).filter((rev) => mine(rev));
    if (mine(doc._rev!)) return;
    const adopt = !entry || entry.id === doc._id || doc._id < entry.id;
    const base =
      entry && entry.id === doc._id ? await this.commonBase(doc._id, doc._rev!, entry.rev) : undefined;
    const conflicts: SyncConflict[] = [];
    const { value: merged, written } = await this.applyMerged(key, base, winner.value, conflicts);
    if (written && key.startsWith('loop:')) loopIds.push(key.slice('loop:'.length));
    data.lastSyncedAt = winner.at;
    data.lastSyncedBy = winner.by;
    for (const conflict of conflicts) {
      data.conflicts.push({
        at: now(),
        ...(key.startsWith('loop:') ? { loopId: key.slice('loop:'.length) } : {}),
        ...conflict,
      } satisfies SyncConflictNote);
    }
    if (lost.length > 0) {
      // Merged into this computer's copy: its losing revision goes, here and (replicated) everywhere.
      await this.local.bulkDocs(lost.map((rev) => ({ _id: doc._id, _rev: rev, _deleted: true })));
    }
    if (adopt) {
      // Two computers that made the same item on their own settle on one document (the smaller id).
      if (entry && entry.id !== doc._id) {
        this.keysById.delete(entry.id);
        await this.local.remove(entry.id, entry.rev).catch(() => undefined);
        await this.services.store.deleteDocument(this.basePath(entry.id));
      }
      data.documents[key] = { id: doc._id, rev: doc._rev!, hash: digest(key, winner.value) };
      this.keysById.set(doc._id, key);
      await this.keepBase(doc._id, lightValue(key, winner.value));
    }
    if (!adopt || digest(key, merged) !== digest(key, winner.value)) this.dirty.add(key);
    if (save) await this.sync.save();
    if (this.dirty.size > 0) this.schedulePush(0);
  }

  // ---- sending ----------------------------------------------------------------------------------

  private schedulePush(delayMs: number): void {
    if (this.flushTimer || this.stopped) return;
    this.flushTimer = setTimeout(() => {
      this.flushTimer = undefined;
      void this.enqueue(() => this.pushDirty()).catch((error: unknown) => this.failed(error));
    }, delayMs);
    this.flushTimer.unref();
  }

  /** Seals what changed here into the local database, in batches; the replicator carries it up. */
  private async pushDirty(): Promise<void> {
    if (this.stopped || this.sync.data.paused) return;
    this.dirty.add('space');
    if (this.dirty.has(everything) || this.dirty.has(allSources)) {
      for (const key of await this.localKeys(this.dirty.has(everything))) this.dirty.add(key);
      this.dirty.delete(everything);
      this.dirty.delete(allSources);
    }
    // Changed items go in batches (one write, one save of the sync state per batch); one that
    // replication changed meanwhile, or one removed here, goes on its own.
    let batch: Prepared[] = [];
    let batchBytes = 0;
    const send = async () => {
      if (batch.length === 0) return;
      const sending = batch;
      batch = [];
      batchBytes = 0;
      const results = await this.local.bulkDocs(sending.map((item) => item.doc));
      for (const [index, item] of sending.entries()) {
        const result = results[index];
        if (result && 'rev' in result && result.rev && !('error' in result && result.error)) {
          await this.committed(item, result.rev);
        } else {
          await this.push(item.key);
        }
        this.dirty.delete(item.key);
      }
      await this.sync.save();
    };
    for (const key of [...this.dirty]) {
      const prepared = await this.prepare(key);
      if (prepared === 'unchanged') this.dirty.delete(key);
      else if (prepared === 'alone') {
        await this.push(key);
        this.dirty.delete(key);
      } else {
        batch.push(prepared);
        batchBytes += prepared.bytes;
        if (batch.length >= 100 || batchBytes >= this.partBytes) await send();
      }
    }
    await send();
    this.announce([]);
  }

  /**
   * An item ready to be written as a new revision, or why not: `unchanged` since the copy both
   * computers share, or `alone` (removed here, or a newer copy to merge first), which `push` handles.
   */
  private async prepare(key: string): Promise<Prepared | 'unchanged' | 'alone'> {
    const entry = this.sync.data.documents[key];
    const light = await this.localValue(key, true);
    if (light === undefined) return entry ? 'alone' : 'unchanged';
    const valueHash = digest(key, light);
    if (entry?.hash === valueHash) return 'unchanged';
    const value = key.startsWith('source:') ? await this.localValue(key) : light;
    if (value === undefined) return 'alone';
    const id = entry?.id ?? newDocumentId();
    const at = now();
    const file = (value as { file?: { fileName: string; mimeType: string; base64: string } }).file;
    const body = file
      ? { ...(value as object), file: { fileName: file.fileName, mimeType: file.mimeType } }
      : value;
    const attachments: Record<string, { content_type: string; data: Buffer }> = {};
    let bytes = 0;
    const split = (prefix: 'p' | 'f', sealed: Buffer) => {
      bytes += sealed.length;
      for (let part = 0; part * this.partBytes < sealed.length || part === 0; part += 1) {
        attachments[`${prefix}${part}`] = {
          content_type: 'application/octet-stream',
          data: sealed.subarray(part * this.partBytes, (part + 1) * this.partBytes),
        };
      }
    };
    split(
      'p',
      sealValue(this.key, id, { key, value: body, by: this.services.computer, at } satisfies Payload),
    );
    if (file) split('f', sealBytes(this.key, `${id}#file`, Buffer.from(file.base64, 'base64')));
    return {
      key,
      id,
      light,
      valueHash,
      at,
      bytes,
      doc: { _id: id, ...(entry ? { _rev: entry.rev } : {}), _attachments: attachments },
    };
  }

  /** Notes a revision written to the local database (the caller saves the sync state). */
  private async committed(item: Prepared, rev: string): Promise<void> {
    const data = this.sync.data;
    data.documents[item.key] = { id: item.id, rev, hash: item.valueHash };
    this.keysById.set(item.id, item.key);
    this.written(item.id, rev, item.key);
    await this.keepBase(item.id, item.light);
  }

  /** Notes a revision written locally as waiting for the replicator, unless it has carried it already. */
  private written(id: string, rev: string, key: string): void {
    const revision = `${id} ${rev}`;
    if (!this.carried.delete(revision)) this.unsent[revision] = key;
  }

  /** Forgets the unsent revisions of a document up to the given one's generation; says whether any were. */
  private forgetUpTo(id: string, rev: string): boolean {
    const generation = Number.parseInt(rev, 10);
    let forgot = false;
    for (const revision of Object.keys(this.unsent)) {
      const [documentId = '', documentRev = ''] = revision.split(' ');
      if (documentId === id && Number.parseInt(documentRev, 10) <= generation) {
        delete this.unsent[revision];
        forgot = true;
      }
    }
    return forgot;
  }

  /**
   * Forgets the remembered unsent revisions the server already has: one carried just before Keel
   * stopped, whose removal was not saved, would otherwise stay waiting for good (the replicator,
   * past it, never reports it again). Asked once per start, once the replicator has caught up; a
   * failed question is asked again the next time it has.
   */
  private checkUnsent(): void {
    if (this.unsentChecked || Object.keys(this.unsent).length === 0) return;
    this.unsentChecked = true;
    void this.enqueue(async () => {
      if (this.stopped) return;
      const remembered = Object.keys(this.unsent);
      let forgot = false;
      for (let start = 0; start < remembered.length; start += 500) {
        const asked: Record<string, string[]> = {};
        for (const revision of remembered.slice(start, start + 500)) {
          const [id = '', rev = ''] = revision.split(' ');
          (asked[id] ??= []).push(rev);
        }
        const missing = await this.remote.revsDiff(asked);
        for (const [id, revs] of Object.entries(asked)) {
          for (const rev of revs) {
            if (missing[id]?.missing.includes(rev)) continue;
            delete this.unsent[`${id} ${rev}`];
            forgot = true;
          }
        }
      }
      if (!forgot) return;
      await this.sync.save();
      this.announce([]);
    }).catch((error: unknown) => {
      // The server went away meanwhile, or the disk failed: said in the status like any sync failure,
      // and asked again the next time the replicator has caught up.
      this.unsentChecked = false;
      this.failed(error);
    });
  }

  /** Writes one item if it changed since the copy both computers share; a newer copy replicated meanwhile is merged first. */
  private async push(key: string): Promise<void> {
    for (let attempt = 0; attempt < 5; attempt += 1) {
      const data = this.sync.data;
      const entry = data.documents[key];
      const prepared = await this.prepare(key);
      if (prepared === 'unchanged') return;
      if (prepared === 'alone') {
        if (entry && (await this.localValue(key, true)) === undefined) {
          let removed: { rev: string } | undefined;
          try {
            removed = await this.local.remove(entry.id, entry.rev);
          } catch (error) {
            if ((error as { status?: number }).status !== 409) throw error;
            const newer = await this.read(entry.id);
            if (newer) removed = await this.local.remove(entry.id, newer._rev!);
          }
          if (removed) this.written(entry.id, removed.rev, key);
          delete data.documents[key];
          this.keysById.delete(entry.id);
          await this.services.store.deleteDocument(this.basePath(entry.id));
          await this.sync.save();
          return;
        }
        continue;
      }
      try {
        const result = await this.local.put(prepared.doc);
        await this.committed(prepared, result.rev);
        await this.sync.save();
        return;
      } catch (error) {
        if ((error as { status?: number }).status !== 409 || !entry) throw error;
        // Replication brought a newer copy first: take it in, merge, and write the merge.
        const newer = await this.read(entry.id);
        if (!newer) throw error;
        const loopIds: string[] = [];
        await this.take(newer, loopIds);
        this.announce(loopIds);
      }
    }
    throw new KeelError(
      'sync-failed',
      'The space kept changing while Keel saved a change; it will try again.',
    );
  }

  // ---- Keel's side --------------------------------------------------------------------------------

  /** The items of the space that sync (all of them, or its sources only), and those the server had. */
  private async localKeys(all: boolean): Promise<string[]> {
    const { store, sources, templates } = this.services;
    const keys = Object.keys(this.sync.data.documents).filter((key) => all || key.startsWith('source:'));
    for (const record of await sources.syncedRecords(this.spaceId)) keys.push(`source:${record.id}`);
    if (all) {
      const loops = store.catalog.data.loops.filter((loop) => loop.spaceId === this.spaceId);
      keys.push('space', 'memory', ...loops.map((loop) => `loop:${loop.id}`));
      keys.push(...templates.spaceTemplates(this.spaceId).map((template) => `template:${template.id}`));
    }
    return [...new Set(keys)];
  }

  /**
   * This computer's copy of an item; `light` leaves out what never changes after it is made (a
   * source's passages and file), which is all that is needed to see whether it changed.
   */
  private async localValue(key: string, light = false): Promise<unknown> {
    const { store, loops, memory, sources } = this.services;
    if (key.startsWith('source:')) {
      const sourceId = key.slice('source:'.length);
      if (light) {
        const record = (await sources.syncedRecords(this.spaceId)).find(
          (candidate) => candidate.id === sourceId,
        );
        return record ? { record: sharedRecord(record) } : undefined;
      }
      const whole = await sources.syncedSource(this.spaceId, sourceId);
      return whole ? { ...whole, record: sharedRecord(whole.record) } : undefined;
    }
    if (key === 'space') {
      const space = store.catalog.data.spaces.find((candidate) => candidate.id === this.spaceId);
      if (!space) return undefined;
      const { chatModel: _chat, embeddingModel: _embedding, updatedAt: _updated, ...shared } = space;
      return shared;
    }
    if (key === 'memory') return memoriesForSync(await memory.spaceItems(this.spaceId));
    if (key.startsWith('template:')) {
      const templateId = key.slice('template:'.length);
      return this.services.templates
        .spaceTemplates(this.spaceId)
        .find((template) => template.id === templateId);
    }
    if (key.startsWith('loop:')) {
      const loopId = key.slice('loop:'.length);
      const summary = store.catalog.data.loops.find((loop) => loop.id === loopId);
      if (!summary) return undefined;
      const { document } = await loops.open(loopId);
      const { layout: _layout, ...shared } = document.data;
      return {
        title: summary.title,
        archived: summary.archived,
        createdAt: summary.createdAt,
        document: shared,
      } satisfies LoopValue;
    }
    return undefined;
  }

  /**
   * Merges the server's copy of an item with this computer's and writes the result, if it differs,
   * through the services. The merge runs inside the write, against the file as it is at that
   * moment, so nothing saved here meanwhile is lost.
   */
  private async applyMerged(
    key: string,
    base: unknown,
    remote: unknown,
    conflicts: SyncConflict[],
  ): Promise<{ value: unknown; written: boolean }> {
    const { loops, memory } = this.services;
    if (key === 'space') {
      const local = await this.localValue(key);
      const value = local !== undefined && base !== undefined && hash(local) !== hash(base) ? local : remote;
      const space = value as Omit<Space, 'chatModel' | 'embeddingModel' | 'updatedAt'>;
      if (space.id !== this.spaceId)
        throw new KeelError('sync-failed', 'The sync server holds another space.');
      if (local !== undefined && hash(local) === hash(value)) return { value, written: false };
      await loops.putSyncedSpace({ ...space, updatedAt: now() });
      return { value, written: true };
    }
    if (key === 'memory') {
      // Read (and checked) before the write: what the other computer sent may be an older Keel's.
      const theirs = memoriesFromSync(remote);
      const shared = sharedMemories(base);
      let value: unknown = remote;
      let written = false;
      await memory.putSyncedItems(this.spaceId, (current) => {
        const merged = mergeMemories(shared, current, theirs);
        value = memoriesForSync(merged);
        written = hash(merged) !== hash(current);
        return written ? merged : undefined;
      });
      return { value, written };
    }
    if (key.startsWith('loop:')) {
      let value: unknown = remote;
      let written = false;
      await loops.putSyncedLoop(this.spaceId, remote as LoopValue, (current) => {
        written = true;
        if (!current) return remote as LoopValue;
        const { layout: _layout, ...document } = current.document;
        const here: LoopValue = { ...current, document };
        const merged = mergeLoop(base as LoopValue | undefined, here, remote as LoopValue, now());
        conflicts.push(...merged.conflicts);
        value = merged.value;
        written = hash(merged.value) !== hash(here);
        return written ? merged.value : undefined;
      });
      return { value, written };
    }
    if (key.startsWith('source:')) {
      const synced = remote as { record: SourceRecord };
      const here = await this.localValue(key, true);
      if (here === undefined && this.sync.data.documents[key]) {
        // Removed here while the other computer changed it: the removal stands and goes out.
        return { value: undefined, written: false };
      }
      const baseRecord = (base as { record?: SourceRecord } | undefined)?.record;
      let value: unknown = remote;
      await this.services.sources.putSyncedSource(this.spaceId, synced, (current) => {
        const mine = sharedRecord(current);
        const merged = { ...current };
        for (const field of ['name', 'loopId', 'pinnedIn', 'leftOutOf'] as const) {
          const keepMine = baseRecord === undefined || hash(mine[field]) !== hash(baseRecord[field]);
          const chosen = keepMine ? mine[field] : synced.record[field];
          if (chosen === undefined) delete merged[field];
          else Object.assign(merged, { [field]: structuredClone(chosen) });
        }
        value = { record: sharedRecord(merged) };
        return merged;
      });
      return { value, written: here === undefined || hash(here) !== hash(value) };
    }
    if (key.startsWith('template:')) {
      const here = await this.localValue(key);
      if (here === undefined && this.sync.data.documents[key]) {
        // Deleted here while the other computer changed it: the deletion stands and goes out.
        return { value: undefined, written: false };
      }
      // A template is one piece: the copy changed here since the shared one wins, else theirs.
      const keepMine = here !== undefined && base !== undefined && hash(here) !== hash(base);
      if (keepMine || (here !== undefined && hash(here) === hash(remote)))
        return { value: here, written: false };
      await this.services.templates.putSynced(this.spaceId, key.slice('template:'.length), remote);
      return { value: remote, written: true };
    }
    return { value: remote, written: false };
  }

  /**
   * The base of a three-way merge: the newest revision both this computer's copy and the incoming
   * one descend from, read from the local database (which keeps earlier revisions); the last shared
   * copy kept beside it when that revision is not there any more.
   */
  private async commonBase(documentId: string, incoming: string, own: string): Promise<unknown> {
    try {
      const history = async (rev: string) => {
        const doc = (await this.local.get(documentId, { rev, revs: true })) as {
          _revisions?: { start: number; ids: string[] };
        };
        const { start, ids } = doc._revisions ?? { start: 0, ids: [] };
        return ids.map((id, index) => `${start - index}-${id}`);
      };
      const ours = new Set(await history(own));
      const ancestor = (await history(incoming)).find((rev) => ours.has(rev));
      const sealed = ancestor ? await this.read(documentId, ancestor) : undefined;
      if (sealed && !sealed._deleted) {
        const payload = this.open(sealed);
        return lightValue(payload.key, payload.value);
      }
    } catch (error) {
      if ((error as { status?: number }).status !== 404) throw error;
    }
    return this.base(documentId);
  }

  private basePath(documentId: string): string {
    return layout.syncBase.path(`${this.spaceId}.${documentId}`);
  }

  private async base(documentId: string): Promise<unknown> {
    const document = await this.services.store.document(this.basePath(documentId), layout.syncBase.spec(), {
      version: 1,
      value: undefined,
    });
    return document.data.value;
  }

  private async keepBase(documentId: string, value: unknown): Promise<void> {
    const document = await this.services.store.document(this.basePath(documentId), layout.syncBase.spec(), {
      version: 1,
      value: undefined,
    });
    document.data.value = structuredClone(value);
    await document.save();
  }

  // ---- status -----------------------------------------------------------------------------------

  private enqueue<T>(step: () => Promise<T>): Promise<T> {
    const run = this.queue.then(step, step);
    this.queue = run.catch(() => undefined);
    return run;
  }

  private connected(): void {
    this.state = 'up-to-date';
    this.problem = undefined;
    this.retryWait = this.options.retryMs ?? 1000;
  }

  private failed(error: unknown): void {
    if (this.stopped) return;
    this.state = 'offline';
    this.problem = describe(error);
    this.announce([]);
    if (this.dirty.size > 0) {
      clearTimeout(this.flushTimer);
      this.flushTimer = undefined;
      this.schedulePush(this.retryWait);
    }
  }

  private announce(loopIds: string[]): void {
    this.services.onStatus(this.status(), loopIds);
  }
}

/** A source's entry as it syncs: what each computer counts for itself (uses, vectors) stays there. */
function sharedRecord(
  record: SourceRecord,
): Omit<SourceRecord, 'usedInTurns' | 'usedInLoops' | 'embeddedWith'> {
  const { usedInTurns: _turns, usedInLoops: _loops, embeddedWith: _model, ...shared } = record;
  return shared;
}

/** What is compared and kept as the base: a source by its entry (its passages and file never change). */
function lightValue(key: string, value: unknown): unknown {
  return key.startsWith('source:') && value !== undefined
    ? { record: (value as { record: unknown }).record }
    : value;
}

function digest(key: string, value: unknown): string {
  return hash(lightValue(key, value));
}

export function hash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('base64');
}

/** A failure in words: the server's refusal, or that it cannot be reached. */
export function describe(error: unknown): string {
  if (error instanceof KeelError) return error.message;
  const status = (error as { status?: number } | undefined)?.status;
  if (status === 401 || status === 403) {
    return 'The sync server refused the user name or password. Check them in the space’s sync settings.';
  }
  if (typeof status === 'number' && status >= 400) {
    return `The sync server answered with an error (${status}). Keel will try again.`;
  }
  return 'The sync server cannot be reached. Your changes are kept here and go out once it is back.';
}
