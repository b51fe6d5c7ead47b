/**
 * Sync per space, opted into: setting it up, joining from another computer, pausing, leaving, and
 * what it shows. Each synced space has its own server, database, credentials and key; a space that
 * does not sync sends nothing, and nothing but the spaces' own items (their record, loops,
 * memories, sources and own templates) ever goes to a server: not the settings, other spaces, the outbound log or backups.
 */
import { mkdir, readdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';
import type { SyncConflictNote, SyncServer, SyncSetUp, SyncStatus } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import type { EventHub } from '../EventHub';
import type { LoopService } from '../loops/LoopService';
import type { TemplateService } from '../loops/TemplateService';
import type { MemoryService } from '../memory/MemoryService';
import type { OutboundLog } from '../model/outboundFetch';
import type { SourceService } from '../sources/SourceService';
import type { ScryptCost } from '../store/Vault';
import type { Store } from '../store/Store';
import { layout, syncDatabase } from '../store/layout';
import {
  allSources,
  describe,
  headerId,
  openLocalDatabase,
  openServerDatabase,
  replicateOnce,
  SpaceSync,
  type SpaceSyncOptions,
} from './SpaceSync';
import {
  deriveSyncKey,
  newSyncKdf,
  openValue,
  passphraseCheck,
  sealValue,
  syncKdfSchema,
  verifyPassphrase,
  type SyncKey,
} from './syncCrypto';
import { type SyncSecret, type SyncSecretStore, type SyncStateDocument } from './syncDocuments';

export interface SyncOptions extends SpaceSyncOptions {
  /** scrypt's cost for new sync keys (tests lower it; default the vault's). */
  scryptCost?: ScryptCost;
  /** Where credentials and keys are kept (the desktop shell's keychain); default: sealed in the data folder. */
  secrets?: SyncSecretStore;
  /** This computer's name as the other computers see it (default: its host name). */
  computerName?: string;
}

const databaseName = /^[a-z][a-z0-9_$()+/-]{0,199}$/;

/** Sync of spaces between the person's computers, as the workspace's calls use it. */
export interface Sync {
  setUp(server: SyncSetUp): Promise<SyncStatus>;
  join(server: SyncServer): Promise<SyncStatus>;
  status(spaceId: string): SyncStatus;
  list(): SyncStatus[];
  pause(spaceId: string, paused: boolean): Promise<SyncStatus>;
  leave(spaceId: string): Promise<SyncStatus>;
  dismissConflict(spaceId: string, at: string, what: SyncConflictNote['what']): Promise<SyncStatus>;
}

export class SyncService implements Sync {
  private readonly spaces = new Map<string, SpaceSync>();
  private readonly secrets: SyncSecretStore;
  private readonly computer: string;
  private closed = false;

  constructor(
    private readonly store: Store,
    private readonly loops: LoopService,
    private readonly memory: MemoryService,
    private readonly sources: SourceService,
    private readonly templates: TemplateService,
    private readonly events: EventHub,
    private readonly outbound: OutboundLog,
    private readonly options: SyncOptions = {},
  ) {
    this.secrets = options.secrets ?? new DataFolderSecrets(store);
    this.computer = options.computerName ?? hostname();
    loops.onLoopChanged((loopId) => {
      const spaceId = store.catalog.data.loops.find((loop) => loop.id === loopId)?.spaceId;
      if (spaceId) this.spaces.get(spaceId)?.changed(`loop:${loopId}`);
    });
    memory.onMemoryChanged(() => {
      for (const space of this.spaces.values()) space.changed('memory');
    });
    sources.onSourcesChanged((spaceId) => this.spaces.get(spaceId)?.changed(allSources));
    templates.onTemplateChanged(({ spaceId, templateId }) =>
      this.spaces.get(spaceId)?.changed(`template:${templateId}`),
    );
  }

  /** Starts every space that synced when Keel last ran. */
  async start(): Promise<void> {
    const folder = layout.syncState.folder;
    const names = await readdir(join(this.store.dataDir, folder)).catch(() => [] as string[]);
    for (const name of names) {
      const match = /^(sp-[0-9a-f-]{36})\.json$/.exec(name);
      if (!match) continue;
      const spaceId = match[1]!;
      try {
        const state = await this.store.document(
          layout.syncState.path(spaceId),
          layout.syncState.spec(spaceId),
          undefined as never,
        );
        const secret = await this.secrets.get(spaceId);
        if (!secret) continue;
        await this.run(spaceId, state, secret);
      } catch (error) {
        console.error('Keel: a space’s sync could not start', error);
      }
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([...this.spaces.values()].map((space) => space.close()));
    this.spaces.clear();
  }

  /** The running sync of a space (for tests and the bench). */
  space(spaceId: string): SpaceSync | undefined {
    return this.spaces.get(spaceId);
  }

  async setUp(input: SyncSetUp): Promise<SyncStatus> {
    if (!this.store.catalog.data.spaces.some((space) => space.id === input.spaceId)) {
      throw new KeelError('not-found', 'That space no longer exists.', { field: 'spaceId' });
    }
    if (this.spaces.has(input.spaceId)) {
      throw new KeelError(
        'invalid-input',
        'This space syncs already. Leave sync first to use another server.',
      );
    }
    const server = serverAddress(input.url);
    const database = checkDatabase(input.database);
    const db = openServerDatabase(server, database, input, this.outbound);
    const header = await readHeader(db);
    if (header) {
      throw new KeelError(
        'invalid-input',
        'That database already holds a synced Keel space. To take it onto this computer, join it instead; to sync this space, name another database.',
        { field: 'database' },
      );
    }
    const kdf = newSyncKdf(this.options.scryptCost);
    const key = await deriveSyncKey(input.passphrase, kdf);
    await failsInWords(
      db.put({
        _id: headerId,
        format: 1,
        kdf,
        check: passphraseCheck(key, headerId).toString('base64'),
        // Sealed, so a joining computer knows which space it takes (and where its local database goes) at once.
        space: sealValue(key, `${headerId}#space`, input.spaceId).toString('base64'),
      }),
    );
    const secret = secretOf(input, key);
    await this.secrets.set(input.spaceId, secret);
    const state = await this.newState(input.spaceId, server, database, kdf, 0);
    const sync = await this.run(input.spaceId, state, secret);
    return sync.status();
  }

  /**
   * Joins a space another computer syncs. The passphrase is checked against the server before
   * anything is written here: a wrong one changes nothing.
   */
  async join(input: SyncServer): Promise<SyncStatus> {
    const server = serverAddress(input.url);
    const database = checkDatabase(input.database);
    const db = openServerDatabase(server, database, input, this.outbound);
    const header = await readHeader(db);
    if (!header) {
      throw new KeelError(
        'invalid-input',
        'That database holds no Keel space yet. Set up sync on the computer that has the space first.',
        { field: 'database' },
      );
    }
    const kdf = syncKdfSchema.safeParse(header.kdf);
    if (!kdf.success || typeof header.check !== 'string') {
      throw new KeelError('sync-failed', 'The sync server holds key settings Keel does not accept.');
    }
    const key = await deriveSyncKey(input.passphrase, kdf.data);
    verifyPassphrase(key, headerId, Buffer.from(header.check, 'base64'));
    const spaceId =
      typeof header.space === 'string' ? sealedSpaceId(key, header.space) : await findSpaceId(db, key);
    if (this.spaces.has(spaceId)) {
      throw new KeelError('invalid-input', 'This space is on this computer and syncs already.');
    }
    const secret = secretOf(input, key);
    await this.secrets.set(spaceId, secret);
    const state = await this.newState(spaceId, server, database, kdf.data, 0);
    const local = await this.openLocal(spaceId);
    const sync = new SpaceSync(spaceId, local, db, state, key, this.services(), this.options);
    try {
      // The replicator copies the server's documents in batches into the local database; the
      // bridge then takes them into Keel's files.
      await replicateOnce(db, local);
      await sync.pullAll();
    } catch (error) {
      await local.close().catch(() => undefined);
      throw new KeelError('sync-failed', `Joining did not finish: ${describe(error)} Try again.`, {
        cause: error,
      });
    }
    this.spaces.set(spaceId, sync);
    sync.start();
    return sync.status();
  }

  status(spaceId: string): SyncStatus {
    return this.spaces.get(spaceId)?.status() ?? { spaceId, state: 'off', pending: 0, conflicts: [] };
  }

  list(): SyncStatus[] {
    return [...this.spaces.values()].map((space) => space.status());
  }

  async pause(spaceId: string, paused: boolean): Promise<SyncStatus> {
    const sync = this.needSync(spaceId);
    await sync.setPaused(paused);
    return sync.status();
  }

  /**
   * Stops syncing and forgets the server, the credentials, the key and the local sealed database;
   * the space stays here as it is.
   */
  async leave(spaceId: string): Promise<SyncStatus> {
    const sync = this.needSync(spaceId);
    await sync.destroy();
    this.spaces.delete(spaceId);
    for (const entry of Object.values(sync.data.documents)) {
      await this.store.deleteDocument(layout.syncBase.path(`${spaceId}.${entry.id}`));
    }
    await this.store.deleteDocument(layout.syncState.path(spaceId));
    await this.secrets.delete(spaceId);
    const status = this.status(spaceId);
    this.events.emit({ type: 'sync.status', status, loopIds: [] });
    return status;
  }

  /** Takes a conflict off the list once the person has seen to it. */
  async dismissConflict(spaceId: string, at: string, what: SyncConflictNote['what']): Promise<SyncStatus> {
    const sync = this.needSync(spaceId);
    await sync.dismissConflict(at, what);
    return sync.status();
  }

  private needSync(spaceId: string): SpaceSync {
    const sync = this.spaces.get(spaceId);
    if (!sync) throw new KeelError('invalid-input', 'This space does not sync.', { field: 'spaceId' });
    return sync;
  }

  private async newState(
    spaceId: string,
    server: string,
    database: string,
    kdf: SyncStateDocument['kdf'],
    since: string | number,
  ) {
    const state = await this.store.document(layout.syncState.path(spaceId), layout.syncState.spec(spaceId), {
      version: 2,
      spaceId,
      origin: server,
      database,
      kdf,
      since,
      paused: false,
      documents: {},
      conflicts: [],
    });
    await state.save();
    return state;
  }

  private async openLocal(spaceId: string) {
    await mkdir(join(this.store.dataDir, syncDatabase.folder), { recursive: true });
    return openLocalDatabase(join(this.store.dataDir, syncDatabase.path(spaceId)));
  }

  private async run(
    spaceId: string,
    state: Awaited<ReturnType<SyncService['newState']>>,
    secret: SyncSecret,
  ): Promise<SpaceSync> {
    const db = openServerDatabase(state.data.origin, state.data.database, secret, this.outbound);
    const key: SyncKey = { key: Buffer.from(secret.key, 'base64') };
    const local = await this.openLocal(spaceId);
    const sync = new SpaceSync(spaceId, local, db, state, key, this.services(), this.options);
    this.spaces.set(spaceId, sync);
    if (!this.closed) sync.start();
    return sync;
  }

  private services() {
    return {
      store: this.store,
      loops: this.loops,
      memory: this.memory,
      sources: this.sources,
      templates: this.templates,
      outbound: this.outbound,
      computer: this.computer,
      onStatus: (status: SyncStatus, loopIds: string[]) =>
        this.events.emit({ type: 'sync.status', status, loopIds }),
    };
  }
}

/** The server's address as the person gave it, checked: http(s), no credentials inside, https unless on this computer. */
function serverAddress(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new KeelError(
      'invalid-input',
      'Give the sync server’s address, such as https://couch.example.com.',
      {
        field: 'url',
      },
    );
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new KeelError('invalid-input', 'The sync server’s address must start with https://.', {
      field: 'url',
    });
  }
  if (parsed.username || parsed.password) {
    throw new KeelError(
      'invalid-input',
      'Give the user name and password in their own fields, not in the address.',
      {
        field: 'url',
      },
    );
  }
  const loopback = ['127.0.0.1', 'localhost', '[::1]'].includes(parsed.hostname);
  if (parsed.protocol === 'http:' && !loopback) {
    throw new KeelError(
      'invalid-input',
      'Use https:// for a sync server on another computer: over plain http the password could be read on the way.',
      { field: 'url' },
    );
  }
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}

function checkDatabase(name: string): string {
  if (!databaseName.test(name)) {
    throw new KeelError(
      'invalid-input',
      'A database name starts with a lowercase letter and holds only lowercase letters, digits and _$()+-/.',
      { field: 'database' },
    );
  }
  return name;
}

function secretOf(input: { username?: string; password?: string }, key: SyncKey): SyncSecret {
  return {
    ...(input.username ? { username: input.username } : {}),
    ...(input.password ? { password: input.password } : {}),
    key: key.key.toString('base64'),
  };
}

async function failsInWords<T>(promise: Promise<T>): Promise<T> {
  try {
    return await promise;
  } catch (error) {
    if (error instanceof KeelError) throw error;
    throw new KeelError('sync-failed', describe(error), { cause: error });
  }
}

async function readHeader(
  db: ReturnType<typeof openServerDatabase>,
): Promise<Record<string, unknown> | undefined> {
  try {
    return await db.get(headerId);
  } catch (error) {
    if ((error as { status?: number }).status === 404) return undefined;
    throw new KeelError('sync-failed', describe(error), { cause: error });
  }
}

/** The space a header names (sealed under the space's key). */
function sealedSpaceId(key: SyncKey, sealed: string): string {
  const spaceId = openValue(key, `${headerId}#space`, Buffer.from(sealed, 'base64'));
  if (typeof spaceId !== 'string' || !/^sp-[0-9a-f-]{36}$/.test(spaceId)) {
    throw new KeelError('sync-failed', 'The sync server holds key settings Keel does not accept.');
  }
  return spaceId;
}

/**
 * Which space the database holds, for a database set up before headers named it: its record is
 * sealed like everything else, so the feed is read until it is found.
 */
async function findSpaceId(db: ReturnType<typeof openServerDatabase>, key: SyncKey): Promise<string> {
  const feed = await failsInWords(db.changes({ since: 0, include_docs: true, attachments: true }));
  for (const change of feed.results) {
    const doc = change.doc as {
      _id: string;
      _deleted?: boolean;
      _attachments?: Record<string, { data?: string }>;
    };
    if (!doc || doc._id === headerId || doc._deleted) continue;
    // Only the sealed body (p0, p1, …); a source's file parts (f0, …) are sealed on their own.
    const parts = Object.keys(doc._attachments ?? {})
      .filter((name) => /^p\d+$/.test(name))
      .sort((a, b) => Number(a.slice(1)) - Number(b.slice(1)))
      .map((name) => Buffer.from(doc._attachments![name]!.data ?? '', 'base64'));
    let payload: { key?: string; value?: { id?: string } };
    try {
      payload = openValue(key, doc._id, Buffer.concat(parts)) as typeof payload;
    } catch {
      continue;
    }
    if (payload.key === 'space' && typeof payload.value?.id === 'string') return payload.value.id;
  }
  throw new KeelError('sync-failed', 'The sync server does not hold the space yet. Try again in a moment.');
}

/** Credentials and keys sealed in the data folder, like every other file (the web host's keeping). */
class DataFolderSecrets implements SyncSecretStore {
  constructor(private readonly store: Store) {}
  private document() {
    return this.store.document(
      layout.syncSecrets.path(),
      layout.syncSecrets.spec(),
      layout.syncSecrets.defaults(),
    );
  }
  async get(spaceId: string): Promise<SyncSecret | undefined> {
    return (await this.document()).data.spaces[spaceId];
  }
  async set(spaceId: string, secret: SyncSecret): Promise<void> {
    const document = await this.document();
    document.data.spaces[spaceId] = secret;
    await document.save();
  }
  async delete(spaceId: string): Promise<void> {
    const document = await this.document();
    delete document.data.spaces[spaceId];
    await document.save();
  }
}
