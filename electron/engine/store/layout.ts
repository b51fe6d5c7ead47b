/**
 * The data folder, written down once: every document Keel keeps there, where it lives, its schema
 * (through its spec, with its numbered migrations), what it holds when there is no file yet,
 * whether backups and the one-file archive carry it, and whether it is written again through the
 * codec when encryption is turned on or off or the passphrase changes. Every other module takes
 * its paths from here.
 *
 * ```
 * catalog.json, settings.json, templates.json   the spaces and loops, settings, templates
 * keel-encryption.json                          the wrapped keys (when encryption is on)
 * loops/<loop>.json                             one loop each
 * memory/everywhere.json, memory/space-<id>.json  memories; *.vectors.json beside; signals.json
 * sources/space-<id>.json, sources/<id>.json, sources/<id>.file.json  a space's list, passages, original
 * search/index.json                             the search index (made again from the rest)
 * sync/<space>.json, sync/<space>.<doc>.json, sync/secrets.json  sync's state (not backed up)
 * sync/<space>.pouch/                           a synced space's sealed local database (PouchDB)
 * backups/<id>/                                 backups (never inside each other)
 * ```
 */
import {
  shardSpec,
  signalSpec,
  vectorSpec,
  type Shard,
  type Signals,
  type VectorShard,
} from '../memory/memoryDocuments';
import { emptyIndexFile, indexSpec, type IndexFile } from '../search/searchDocuments';
import {
  fileSpec,
  listSpec,
  passagesSpec,
  type SourceList,
  type StoredFile,
  type StoredPassages,
} from '../sources/sourceDocuments';
import {
  syncBaseSpec,
  syncSecretsSpec,
  syncStateSpec,
  type SyncBaseDocument,
  type SyncSecretsDocument,
  type SyncStateDocument,
} from '../sync/syncDocuments';
import type { DocumentSpec } from './DocumentAdapter';
import {
  catalogSpec,
  loopSpec,
  settingsSpec,
  templatesSpec,
  type CatalogDocument,
  type LoopDocument,
  type SettingsDocument,
  type TemplatesDocument,
} from './documents';

/** One kind of document of the data folder. */
export interface DocumentKind<T extends { version: number }, K extends string = never> {
  /** Its path relative to the data folder (with `/`), from its key (a loop's id, a space's…). */
  path: (key: K) => string;
  /** The folder it lives in ('' for the top of the data folder). */
  folder: string;
  /** Every name of this kind, as a relative path: what backups and imports accept. */
  names: RegExp;
  /** Its schema, version and migrations; `label` names the one document in messages. */
  spec: (label: string) => DocumentSpec<T>;
  /** What it holds before its file exists (undefined: made by its owner, never opened empty). */
  defaults: (() => T) | undefined;
  /** Carried by backups and by the archive that transfers the data to another computer. */
  backedUp: boolean;
  /** Written again through the codec when encryption changes (the key file is the vault's own). */
  reEncrypted: boolean;
}

const id = '[a-z0-9][a-z0-9-]{2,80}';

export const layout = {
  catalog: {
    path: () => 'catalog.json',
    folder: '',
    names: /^catalog\.json$/,
    spec: () => catalogSpec,
    defaults: (): CatalogDocument => ({ version: 2, spaces: [], loops: [] }),
    backedUp: true,
    reEncrypted: true,
  } satisfies DocumentKind<CatalogDocument>,
  settings: {
    path: () => 'settings.json',
    folder: '',
    names: /^settings\.json$/,
    spec: () => settingsSpec,
    // The defaults depend on the machine (the model host); `createEngine` passes them to the store.
    defaults: undefined,
    backedUp: true,
    reEncrypted: true,
  } satisfies DocumentKind<SettingsDocument>,
  templates: {
    path: () => 'templates.json',
    folder: '',
    names: /^templates\.json$/,
    spec: () => templatesSpec,
    defaults: (): TemplatesDocument => ({ version: 1, templates: [] }),
    backedUp: true,
    reEncrypted: true,
  } satisfies DocumentKind<TemplatesDocument>,
  loop: {
    path: (loopId: string) => `loops/${loopId}.json`,
    folder: 'loops',
    names: /^loops\/[a-z0-9][a-z0-9-]{2,63}\.json$/,
    spec: loopSpec,
    defaults: undefined,
    backedUp: true,
    reEncrypted: true,
  } satisfies DocumentKind<LoopDocument, string>,
  memories: {
    /** `everywhere` or `space-<id>` (loop-scoped memories live in their space's file). */
    path: (key: string) => `memory/${key}.json`,
    folder: 'memory',
    names: new RegExp(`^memory/${id}\\.json$`),
    spec: shardSpec,
    defaults: (): Shard => ({ version: 1, items: [] }),
    backedUp: true,
    reEncrypted: true,
  } satisfies DocumentKind<Shard, string>,
  memoryVectors: {
    path: (key: string) => `memory/${key}.vectors.json`,
    folder: 'memory',
    names: new RegExp(`^memory/${id}\\.vectors\\.json$`),
    spec: vectorSpec,
    defaults: (): VectorShard => ({ version: 1, model: '', vectors: {} }),
    backedUp: true,
    reEncrypted: true,
  } satisfies DocumentKind<VectorShard, string>,
  steeringSignals: {
    path: () => 'memory/signals.json',
    folder: 'memory',
    names: /^memory\/signals\.json$/,
    spec: () => signalSpec,
    defaults: (): Signals => ({ version: 1, setAside: [], suggestions: [], dismissed: [] }),
    backedUp: true,
    reEncrypted: true,
  } satisfies DocumentKind<Signals>,
  sourceList: {
    path: (spaceId: string) => `sources/space-${spaceId}.json`,
    folder: 'sources',
    names: new RegExp(`^sources/${id}\\.json$`),
    spec: listSpec,
    defaults: (): SourceList => ({ version: 1, sources: [] }),
    backedUp: true,
    reEncrypted: true,
  } satisfies DocumentKind<SourceList, string>,
  sourcePassages: {
    path: (sourceId: string) => `sources/${sourceId}.json`,
    folder: 'sources',
    names: new RegExp(`^sources/${id}\\.json$`),
    spec: passagesSpec,
    defaults: undefined,
    backedUp: true,
    reEncrypted: true,
  } satisfies DocumentKind<StoredPassages, string>,
  sourceFile: {
    path: (sourceId: string) => `sources/${sourceId}.file.json`,
    folder: 'sources',
    names: new RegExp(`^sources/${id}\\.file\\.json$`),
    spec: fileSpec,
    defaults: undefined,
    backedUp: true,
    reEncrypted: true,
  } satisfies DocumentKind<StoredFile, string>,
  syncState: {
    /** A synced space's server, keys and what was last shared (made when sync is set up). */
    path: (spaceId: string) => `sync/${spaceId}.json`,
    folder: 'sync',
    names: new RegExp(`^sync/${id}\\.json$`),
    spec: syncStateSpec,
    defaults: undefined,
    backedUp: false,
    reEncrypted: true,
  } satisfies DocumentKind<SyncStateDocument, string>,
  syncBase: {
    /** `<space id>.<document id>`: the last shared copy of a document, the base of three-way merges. */
    path: (key: string) => `sync/${key}.json`,
    folder: 'sync',
    names: new RegExp(`^sync/${id}\\.${id}\\.json$`),
    spec: () => syncBaseSpec,
    defaults: undefined,
    backedUp: false,
    reEncrypted: true,
  } satisfies DocumentKind<SyncBaseDocument, string>,
  syncSecrets: {
    path: () => 'sync/secrets.json',
    folder: 'sync',
    names: /^sync\/secrets\.json$/,
    spec: () => syncSecretsSpec,
    defaults: (): SyncSecretsDocument => ({ version: 1, spaces: {} }),
    backedUp: false,
    reEncrypted: true,
  } satisfies DocumentKind<SyncSecretsDocument>,
  searchIndex: {
    path: () => 'search/index.json',
    folder: 'search',
    names: /^search\/index\.json$/,
    spec: () => indexSpec,
    defaults: (): IndexFile => structuredClone(emptyIndexFile),
    backedUp: false,
    reEncrypted: true,
  } satisfies DocumentKind<IndexFile>,
} as const;

/**
 * A synced space's local sealed database: a LevelDB folder that PouchDB's replicator keeps in step
 * with the server. Not a document of the store (PouchDB writes it, and it holds only ciphertext, so
 * encryption never rewrites it); never backed up; removed when the space leaves sync.
 */
export const syncDatabase = {
  path: (spaceId: string) => `sync/${spaceId}.pouch`,
  folder: 'sync',
} as const;

export { files } from './dataFiles';
import { files } from './dataFiles';

type AnyKind = (typeof layout)[keyof typeof layout];
const kinds: readonly AnyKind[] = Object.values(layout);

const folderOf = (kind: AnyKind): string => kind.folder;

/** The folders that hold documents (temp files left by a crash are cleared from these at start). */
export const documentFolders: readonly string[] = [...new Set(kinds.map(folderOf).filter((f) => f !== ''))];

/** The top-level files a backup carries, the key file among them. */
export const backedUpFiles: readonly string[] = [
  ...kinds
    .filter((kind) => kind.backedUp && folderOf(kind) === '')
    .map((kind) => kind.path(undefined as never)),
  files.encryptionKey,
];

/** The folders a backup carries, each with a test of the names it may hold. */
export const backedUpFolders: readonly { name: string; holds: (relativePath: string) => boolean }[] = [
  ...new Set(kinds.filter((kind) => kind.backedUp && folderOf(kind) !== '').map(folderOf)),
].map((name) => ({
  name,
  holds: (relativePath: string) =>
    kinds.some((kind) => kind.backedUp && folderOf(kind) === name && kind.names.test(relativePath)),
}));

/** The folders (besides `loops`, opened one loop at a time) whose documents encryption rewrites as they are. */
export const rewrittenFolders: readonly string[] = [
  ...new Set(kinds.filter((kind) => kind.reEncrypted && folderOf(kind) !== '').map(folderOf)),
].filter((name) => name !== 'loops');
