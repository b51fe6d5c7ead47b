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
import { shardSpec, signalSpec, vectorSpec } from '../memory/memoryDocuments';
import { emptyIndexFile, indexSpec } from '../search/searchDocuments';
import { fileSpec, listSpec, passagesSpec } from '../sources/sourceDocuments';
import { syncBaseSpec, syncSecretsSpec, syncStateSpec } from '../sync/syncDocuments';
import type { DocumentSpec } from './DocumentAdapter';
import { catalogSpec, loopSpec, settingsSpec, templatesSpec } from './documents';

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

/** Whether backups carry a kind of document (every kind is re-encrypted; the key file is the vault's). */
const backedUp = { backedUp: true, reEncrypted: true } as const;
const notBackedUp = { backedUp: false, reEncrypted: true } as const;
type Carried = typeof backedUp | typeof notBackedUp;

/** The one document at `path`. */
function single<T extends { version: number }, D extends (() => T) | undefined>(
  path: string,
  spec: DocumentSpec<T>,
  defaults: D,
  carried: Carried,
): DocumentKind<T> & { path: () => string; spec: () => DocumentSpec<T>; defaults: D } {
  const slash = path.lastIndexOf('/');
  return {
    path: () => path,
    folder: slash < 0 ? '' : path.slice(0, slash),
    names: new RegExp(`^${path.replace(/[.]/g, '\\.')}$`),
    spec: () => spec,
    defaults,
    ...carried,
  };
}

/** One document per key, at `<folder>/<key><suffix>`; `key` is the pattern every key matches. */
function perKey<T extends { version: number }, D extends (() => T) | undefined>(
  folder: string,
  suffix: string,
  key: string,
  spec: (label: string) => DocumentSpec<T>,
  defaults: D,
  carried: Carried,
): DocumentKind<T, string> & { defaults: D } {
  return {
    path: (name: string) => `${folder}/${name}${suffix}`,
    folder,
    names: new RegExp(`^${folder}/${key}${suffix.replace(/[.]/g, '\\.')}$`),
    spec,
    defaults,
    ...carried,
  };
}

export const layout = {
  catalog: single('catalog.json', catalogSpec, () => ({ version: 2, spaces: [], loops: [] }), backedUp),
  // The defaults depend on the machine (the model host); `createEngine` passes them to the store.
  settings: single('settings.json', settingsSpec, undefined, backedUp),
  templates: single('templates.json', templatesSpec, () => ({ version: 1, templates: [] }), backedUp),
  loop: perKey('loops', '.json', '[a-z0-9][a-z0-9-]{2,63}', loopSpec, undefined, backedUp),
  /** `everywhere` or `space-<id>` (loop-scoped memories live in their space's file). */
  memories: perKey('memory', '.json', id, shardSpec, () => ({ version: 2, items: [] }), backedUp),
  memoryVectors: perKey(
    'memory',
    '.vectors.json',
    id,
    vectorSpec,
    () => ({ version: 1, model: '', vectors: {} }),
    backedUp,
  ),
  steeringSignals: single(
    'memory/signals.json',
    signalSpec,
    () => ({ version: 1, setAside: [], suggestions: [], dismissed: [] }),
    backedUp,
  ),
  /** A space's list of sources, at `sources/space-<space id>.json`. */
  sourceList: {
    ...perKey('sources', '.json', id, listSpec, () => ({ version: 1, sources: [] }), backedUp),
    path: (spaceId: string) => `sources/space-${spaceId}.json`,
  },
  sourcePassages: perKey('sources', '.json', id, passagesSpec, undefined, backedUp),
  sourceFile: perKey('sources', '.file.json', id, fileSpec, undefined, backedUp),
  /** A synced space's server, keys and what was last shared (made when sync is set up). */
  syncState: perKey('sync', '.json', id, syncStateSpec, undefined, notBackedUp),
  /** `<space id>.<document id>`: the last shared copy of a document, the base of three-way merges. */
  syncBase: {
    ...perKey('sync', '.json', `${id}\\.${id}`, () => syncBaseSpec, undefined, notBackedUp),
    spec: () => syncBaseSpec,
  },
  syncSecrets: single('sync/secrets.json', syncSecretsSpec, () => ({ version: 1, spaces: {} }), notBackedUp),
  searchIndex: single('search/index.json', indexSpec, () => structuredClone(emptyIndexFile), notBackedUp),
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
