/**
 * Composes the engine: the data folder (locked to this engine), its vault (encryption at rest),
 * backups, the record of outbound requests, and the workspace (every service over the person's
 * data) once the data can be read. While the data is locked or a file Keel needs is damaged, only
 * the calls that unlock, restore or describe the engine work; the others say why they cannot.
 */
import { readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Sequencer } from '../../shared/async';
import {
  callNames,
  type CallArgs,
  downloadIdPattern,
  type CallName,
  type CallResult,
  type KeelHandlers,
} from '../../shared/contract';
import {
  guardedSettings,
  type AppInfo,
  type EngineState,
  type GuardedSetting,
  type Settings,
} from '../../shared/domain';
import { fail, KeelError, ok, toErrorInfo, type Result } from '../../shared/errors';
import { invokeCall } from '../../shared/invoke';
import type { Engine, EngineOptions } from './Engine';
import { EventHub } from './EventHub';
import { currentPlatform } from './model/ModelService';
import { parseOllamaHost } from './model/ollamaHost';
import { Diagnostics } from './Diagnostics';
import { OutboundLog } from './model/outboundFetch';
import { Backups } from './store/Backups';
import { makePrivateFolder } from './store/atomicWrite';
import { storageFailure } from './store/DocumentAdapter';
import { lockDataFolder } from './store/folderLock';
import { Store } from './store/Store';
import { files, layout } from './store/layout';
import { keyFileName, Vault } from './store/Vault';
import { Uploads } from './Uploads';
import { openWorkspace, type EngineOnlyCall, type Workspace, type WorkspaceHandlers } from './Workspace';

export const keelVersion = '0.1.0';

/** Written by an import and removed once the imported settings were checked against the kept ones. */
const importReviewFile = files.importReview;

type GuardedValues = Partial<Pick<Settings, GuardedSetting>>;

/** A daily backup is due when the newest one is older than this. */
const backupInterval = 24 * 3600_000;

/** Calls a page makes on its own (status checks): they are not the person at work, so the idle lock ignores them. */
const backgroundCalls = new Set<string>([
  'getAppInfo',
  'getEngineState',
  'getModelStatus',
  'getOutboundLog',
  'getBackgroundProblems',
]);

export async function createEngine(options: EngineOptions): Promise<Engine> {
  const { dataDir } = options;
  await makePrivateFolder(dataDir).catch((error: unknown) => {
    throw storageFailure(error, `create the data folder ${dataDir}`);
  });
  const folderLock = await lockDataFolder(dataDir, options.shell);
  const events = new EventHub();
  const outbound = new OutboundLog();
  const diagnostics = new Diagnostics();
  const backups = new Backups(dataDir);
  const uploads = new Uploads(dataDir, options.uploadLimits);
  await uploads.clear();
  await removeUnfinishedImports(dataDir);
  let vault: Vault | undefined;
  let workspace: Workspace | undefined;
  /** Why the workspace could not open, in words. */
  let problem: string | undefined;
  let backupTimer: NodeJS.Timeout | undefined;
  let closed = false;
  /** The person's guarded settings as they were before an import, to keep over the archive's. */
  let keptOverImport: GuardedValues | undefined;
  /** The archive's guarded settings that differ from the kept ones, until the person decides. */
  let importedSettings: GuardedValues | undefined;
  /** True while a restore or an import swaps the files, so calls meanwhile say so. */
  let replacing = false;

  const settingsDefaults = {
    // Empty: not chosen yet, so Keel uses an installed model (see automaticModels.ts).
    chatModel: options.defaultChatModel ?? '',
    embeddingModel: '',
    theme: 'system' as const,
    keepAlive: '10m',
    ollamaHost: '',
    allowRemoteHost: false,
    backupKeep: 7,
    lockAfterMinutes: 15,
    notifyDueForecasts: true,
    runtime: 'automatic' as const,
    modelFiles: [],
  };

  /** Opens the vault and, unless it is locked, the workspace; a file that cannot be read leaves the engine damaged. */
  async function open(): Promise<void> {
    problem = undefined;
    try {
      vault ??= await Vault.open(dataDir, {
        cost: options.scryptCost,
        wrongPassphraseDelayMs: options.wrongPassphraseDelayMs,
      });
      if (vault.state === 'locked') return;
      const store = await Store.open(dataDir, settingsDefaults, vault.codec);
      workspace = openWorkspace(store, options, {
        events,
        outbound,
        noteProblem: diagnostics.note,
        purgeBackups: (paths) => backups.purge(paths),
        takeUpload: async (id) => {
          const upload = uploads.take(id, 'source');
          try {
            return await readFile(upload.path);
          } finally {
            await uploads.discard(id);
          }
        },
      });
      await reviewImportedSettings(workspace);
      scheduleBackups();
    } catch (error) {
      if (!(error instanceof KeelError)) throw error;
      problem = error.message;
    }
  }

  /**
   * The first open after an import: the settings that decide where data goes or what is trusted
   * keep the person's values (or, if Keel restarted meanwhile, the safe defaults), and the archive's
   * differing values wait for the person to confirm them.
   */
  async function reviewImportedSettings(ws: Workspace): Promise<void> {
    const marker = join(dataDir, importReviewFile);
    if (
      !(await readFile(marker).then(
        () => true,
        () => false,
      ))
    )
      return;
    const kept: GuardedValues = keptOverImport ?? pick(settingsDefaults);
    const archive = pick(ws.store.settings.data);
    const differing: GuardedValues = {};
    for (const key of guardedSettings) {
      if (archive[key] !== kept[key]) Object.assign(differing, { [key]: archive[key] });
    }
    await ws.handlers.updateSettings(kept);
    importedSettings = Object.keys(differing).length > 0 ? differing : undefined;
    keptOverImport = undefined;
    await rm(marker, { force: true });
  }

  async function closeWorkspace(): Promise<void> {
    const open = workspace;
    workspace = undefined;
    clearTimeout(backupTimer);
    await open?.close();
  }

  function needWorkspace(): Workspace {
    if (workspace) return workspace;
    if (replacing) {
      throw new KeelError(
        'busy',
        'Keel is putting another copy of your data in place. Try again in a moment.',
      );
    }
    if (vault?.state === 'locked' || locking) {
      throw new KeelError('locked', 'Keel is locked. Unlock it with your passphrase to go on.');
    }
    throw new KeelError('storage-corrupt', problem ?? 'The data folder could not be opened.');
  }

  async function state(): Promise<EngineState> {
    const latest = (await backups.list().catch(() => []))[0];
    return {
      status: workspace ? 'open' : vault?.state === 'locked' ? 'locked' : 'damaged',
      encrypted: vault !== undefined && vault.state !== 'plain',
      ...(problem && !workspace ? { problem } : {}),
      ...(latest ? { latestBackup: latest } : {}),
      ...(importedSettings && workspace ? { importedSettings: { ...importedSettings } } : {}),
    };
  }

  /** Stops every stream, writes what is pending, then forgets the keys and tells every window. */
  let locking = false;
  async function lockNow(): Promise<EngineState> {
    locking = true;
    try {
      await closeWorkspace();
      vault?.lock();
    } finally {
      locking = false;
    }
    return announce();
  }

  /**
   * The idle lock lives here, not only in the page: with no window open (or a page that stopped
   * counting) the engine still drops its keys once the person's "lock after idle minutes" have
   * passed since the last call, and every window then shows the lock screen.
   */
  const minuteMs = options.idleMinuteMs ?? 60_000;
  let lastCallAt = Date.now();
  /** Calls of the person still running: a slow one (a save on a busy disk) is not idleness. */
  let callsRunning = 0;
  function noteCall(name: unknown): void {
    if (typeof name !== 'string' || !backgroundCalls.has(name)) lastCallAt = Date.now();
  }
  function idleLimitMs(): number | undefined {
    if (vault?.state !== 'unlocked' || !workspace || callsRunning > 0) return undefined;
    const minutes = workspace.store.settings.data.lockAfterMinutes;
    return minutes > 0 ? minutes * minuteMs : undefined;
  }
  const idleTimer = setInterval(
    () => {
      const limit = idleLimitMs();
      if (closed || limit === undefined || Date.now() - lastCallAt < limit) return;
      void oneAtATime(async () => {
        // A call may have come while this waited its turn.
        const still = idleLimitMs();
        if (closed || still === undefined || Date.now() - lastCallAt < still) return;
        await lockNow();
      }).catch((error: unknown) => diagnostics.note('the idle lock', error));
    },
    Math.max(20, Math.min(minuteMs / 4, 15_000)),
  );
  idleTimer.unref();

  /** Every call from outside goes through here, so it counts as activity for the idle lock. */
  async function invokeCounted(name: unknown, input: unknown): Promise<Result<unknown>> {
    const counted = typeof name !== 'string' || !backgroundCalls.has(name);
    if (counted) callsRunning += 1;
    noteCall(name);
    try {
      return await invokeCall(handlers, name, input);
    } finally {
      if (counted) callsRunning -= 1;
      noteCall(name);
    }
  }

  async function announce(): Promise<EngineState> {
    const current = await state();
    events.emit({ type: 'engine.state', state: current });
    return current;
  }

  /** Whole-folder operations (restore, import, passphrase changes, lock) run one at a time. */
  const exclusive = new Sequencer();
  function oneAtATime<T>(operation: () => Promise<T>): Promise<T> {
    return exclusive.run(operation);
  }

  function keep(): number {
    return workspace?.store.settings.data.backupKeep ?? settingsDefaults.backupKeep;
  }

  /** A backup when the newest is a day old, checked now and every hour while the workspace is open. */
  function scheduleBackups(): void {
    clearTimeout(backupTimer);
    const check = async () => {
      if (!workspace || closed) return;
      const newest = (await backups.list())[0];
      const hasData = workspace.store.catalog.data.spaces.length > 0;
      if (hasData && (!newest || Date.now() - Date.parse(newest.createdAt) > backupInterval)) {
        // One at a time with restores, imports and closing, so none of them pulls files from under it.
        await oneAtATime(async () => {
          if (!workspace || closed) return;
          await workspace.flush();
          await backups.create('daily', keep());
        });
      }
    };
    const loop = () => {
      check()
        .catch((error: unknown) => diagnostics.note('the daily backup', error))
        .finally(() => {
          if (workspace && !closed) {
            backupTimer = setTimeout(loop, 3600_000);
            backupTimer.unref();
          }
        });
    };
    backupTimer = setTimeout(loop, options.firstBackupDelayMs ?? 30_000);
    backupTimer.unref();
  }

  /**
   * After the whole folder was replaced, the search index (which archives and backups leave out,
   * since it is made from the rest) may describe other data or be sealed with another key: it is
   * made again at the next search.
   */
  async function forgetSearchIndex(): Promise<void> {
    await rm(join(dataDir, layout.searchIndex.path()), { force: true });
  }

  /** Writes every file (and backup) again through the vault's codec after the keys changed. */
  async function rewriteEverything(): Promise<void> {
    const ws = needWorkspace();
    await ws.flush();
    const failed = await ws.store.rewriteAll();
    await ws.flush();
    if (failed.length > 0) {
      throw new KeelError('storage-failed', `Some files could not be rewritten: ${failed.join(' ')}`);
    }
    const sealer = vault!;
    // The backups get the key file with both keys first, so each stays readable while it is rewritten.
    const keyFile = sealer.keyFileBytes();
    if (keyFile !== undefined) await backups.setKeyFile(keyFile);
    await backups.reseal((bytes, path) => sealer.reseal(bytes, path));
  }

  /**
   * Finishes what the key file says is unfinished, with the passphrase just given: a change of
   * encryption cut off by a crash, or a folder of an older Keel (files sealed without their path, a
   * cheaper scrypt). Every step is the same crash-safe one the original change takes.
   */
  async function finishChange(passphrase: string): Promise<void> {
    const current = vault;
    const change = current?.unfinished;
    if (!current || !change || !workspace) return;
    if (change === 'decrypting') {
      await rewriteEverything();
      await current.finishPlain();
      await backups.setKeyFile(undefined);
      return;
    }
    if (change === 'weak-passphrase-key') {
      await current.upgrade(passphrase);
      await backups.setKeyFile(current.keyFileBytes());
      return;
    }
    if (change === 'upgrading') await current.upgrade(passphrase);
    await rewriteEverything();
    await current.retire();
    await backups.setKeyFile(current.keyFileBytes());
  }

  const info = (): AppInfo => {
    const host = workspace?.models.host ?? parseOllamaHost(options.ollamaHost ?? '');
    return {
      version: keelVersion,
      dataDir,
      ollamaHost: host.origin,
      hostIsLocal: host.isLocal,
      platform: currentPlatform(),
      shell: options.shell,
    };
  };

  const engineHandlers: Pick<KeelHandlers, EngineOnlyCall> = {
    getAppInfo: async () => info(),
    // The desktop window opens links itself (electron/main/externalLinks.ts); the engine has no
    // browser to open them in, and in a browser the workspace opens a new tab instead.
    openExternal: async () => {
      throw new KeelError('invalid-input', 'Only the desktop window opens links outside Keel.', {
        field: 'url',
      });
    },
    // The open dialog is the desktop window's (electron/main/modelFileDialog.ts); a browser types the path.
    chooseModelFile: async () => {
      throw new KeelError(
        'invalid-input',
        'Only the desktop window has a file dialog here: type the full path of the .gguf file instead.',
        { field: 'path' },
      );
    },
    getEngineState: () => state(),
    unlock: ({ passphrase }) =>
      oneAtATime(async () => {
        if (vault?.state !== 'locked') return state();
        await vault.unlock(passphrase);
        await open();
        await finishChange(passphrase).catch((error: unknown) => {
          // Not finished now is not lost: every file stays readable and the next unlock tries again.
          diagnostics.note('finishing the change of encryption', error);
        });
        return announce();
      }),
    lock: () =>
      oneAtATime(async () => {
        if (!vault || vault.state === 'plain') {
          throw new KeelError(
            'invalid-input',
            'Keel can lock only once a passphrase is set (in Settings, Privacy).',
          );
        }
        return lockNow();
      }),
    setPassphrase: ({ passphrase, currentPassphrase }) =>
      oneAtATime(async () => {
        const ws = needWorkspace();
        const current = vault!;
        if (current.state !== 'plain') {
          if (currentPassphrase === undefined) {
            throw new KeelError('invalid-input', 'Give your current passphrase to change it.', {
              field: 'currentPassphrase',
            });
          }
          await current.verify(currentPassphrase, 'currentPassphrase');
        }
        // Everything on its way to disk lands first, so the plain files recorded at the start are the last plain ones.
        await ws.flush();
        await current.begin(passphrase);
        await rewriteEverything();
        await current.retire();
        await backups.setKeyFile(current.keyFileBytes());
        return announce();
      }),
    removePassphrase: ({ currentPassphrase }) =>
      oneAtATime(async () => {
        needWorkspace();
        const current = vault!;
        if (current.state === 'plain') return state();
        await current.verify(currentPassphrase, 'currentPassphrase');
        await current.startPlain();
        await rewriteEverything();
        await current.finishPlain();
        await backups.setKeyFile(undefined);
        return announce();
      }),
    listBackups: () => backups.list(),
    backupNow: () =>
      oneAtATime(async () => {
        await needWorkspace().flush();
        return backups.create('manual', keep());
      }),
    restoreBackup: ({ backupId, loopId }) =>
      oneAtATime(async () => {
        if (vault?.state === 'locked') needWorkspace();
        if (workspace) await workspace.flush();
        // What the restore replaces is kept first, so the restore itself can be undone.
        await backups.create('before-restore', keep());
        replacing = true;
        try {
          await closeWorkspace();
          await backups.restore(backupId, loopId);
          if (loopId === undefined) await forgetSearchIndex();
          // Every backup carries the current key file (they are re-encrypted on every change), so the
          // unlocked keys stay valid; a key file that differs means the vault must be read again.
          await reopenAfterReplace();
        } finally {
          replacing = false;
        }
        return announce();
      }),
    getOutboundLog: async () => outbound.list().map((record) => ({ ...record })),
    getBackgroundProblems: async () => diagnostics.recent(),
    exportArchive: () =>
      oneAtATime(async () => {
        await needWorkspace().flush();
        // Made into a file that waits for one download: the bytes travel as a stream, never as text.
        const { id, path } = await uploads.outgoingPath();
        try {
          await backups.archive(path).catch((error: unknown) => {
            if (error instanceof RangeError) throw new KeelError('storage-failed', error.message);
            throw storageFailure(error, 'write the archive');
          });
        } catch (error) {
          await rm(path, { force: true });
          throw error;
        }
        const { size } = await stat(path);
        const day = new Date().toISOString().slice(0, 10);
        const download = { fileName: `keel-archive-${day}.zip`, mimeType: 'application/zip', bytes: size };
        uploads.offer(id, download);
        return { ...download, file: id };
      }),
    importArchive: ({ file, currentPassphrase }) =>
      oneAtATime(async () => {
        try {
          // A locked Keel changes nothing, and encrypted data is replaced only by who can open it.
          if (vault?.state === 'locked' || locking) needWorkspace();
          const upload = uploads.take(file, 'archive');
          if (vault && vault.state !== 'plain') {
            if (currentPassphrase === undefined) {
              throw new KeelError('invalid-input', 'Give your passphrase to replace your encrypted data.', {
                field: 'currentPassphrase',
              });
            }
            await vault.verify(currentPassphrase).catch(() => {
              throw new KeelError('invalid-input', 'That is not your passphrase. Nothing was changed.', {
                field: 'currentPassphrase',
              });
            });
          }
          // The archive is checked and unpacked whole before anything here is touched.
          const staging = await backups.stageArchive(upload.path);
          try {
            await replaceWithImport(staging);
          } finally {
            await rm(staging, { recursive: true, force: true });
          }
          return await announce();
        } finally {
          await uploads.discard(file);
        }
      }),
    settleImportedSettings: ({ adopt }) =>
      oneAtATime(async () => {
        const ws = needWorkspace();
        const archive = importedSettings;
        importedSettings = undefined;
        if (adopt && archive) await ws.handlers.updateSettings(archive);
        return announce();
      }),
  };

  /**
   * Replaces the data folder with an unpacked archive, after a backup of what is there (never
   * pruned). If the replacement fails half-way, that backup is put back and the workspace reopens
   * as it was.
   */
  async function replaceWithImport(staging: string): Promise<void> {
    if (workspace) await workspace.flush();
    const before = workspace ? pick(workspace.store.settings.data) : undefined;
    const safety =
      (await backups.dataFiles()).length > 0 ? await backups.create('before-import', keep()) : undefined;
    replacing = true;
    try {
      await closeWorkspace();
      try {
        await backups.replaceWithStaged(staging);
      } catch (error) {
        if (safety) await backups.restore(safety.id).catch(() => undefined);
        await reopenAfterReplace();
        throw error;
      }
      keptOverImport = before;
      importedSettings = undefined;
      await writeFile(join(dataDir, importReviewFile), '{}\n');
      await forgetSearchIndex();
      vault = undefined;
      await open();
    } finally {
      replacing = false;
    }
  }

  /** Reopens after files were put back: the unlocked keys stay if the key file is the same. */
  async function reopenAfterReplace(): Promise<void> {
    const keyFile = await readFile(join(dataDir, keyFileName), 'utf8').catch(() => undefined);
    if (keyFile !== vault?.keyFileBytes()) vault = undefined;
    await open();
  }

  function pick(settings: Pick<Settings, GuardedSetting>): GuardedValues {
    return Object.fromEntries(guardedSettings.map((key) => [key, settings[key]])) as GuardedValues;
  }

  /** Every other call goes to the open workspace, or says why it cannot. */
  const handlers = { ...engineHandlers } as KeelHandlers;
  const engineOnly = new Set<string>(Object.keys(engineHandlers));
  for (const name of callNames) {
    if (engineOnly.has(name)) continue;
    const workspaceName = name as Exclude<CallName, EngineOnlyCall>;
    (handlers as Record<string, unknown>)[name] = (input: CallArgs<typeof workspaceName>) =>
      (needWorkspace().handlers[workspaceName] as (input: unknown) => Promise<unknown>)(input);
  }

  try {
    await open();
  } catch (error) {
    clearInterval(idleTimer);
    await folderLock.release();
    throw error;
  }

  let closing: Promise<void> | undefined;
  return {
    get info() {
      return info();
    },
    handlers,
    upload: async (purpose, body, declaredBytes) => {
      try {
        // A locked Keel takes nothing in: no file waits on disk for a call that will be refused.
        if (vault?.state === 'locked' || locking) needWorkspace();
        return ok(await uploads.receive(purpose, body, declaredBytes));
      } catch (error) {
        return fail(toErrorInfo(error));
      }
    },
    download: async (file) => {
      try {
        if (typeof file !== 'string' || !downloadIdPattern.test(file)) {
          throw new KeelError('invalid-input', 'That is not a file Keel made for you.', { field: 'file' });
        }
        if (vault?.state === 'locked' || locking) needWorkspace();
        const outgoing = uploads.takeOutgoing(file);
        return ok({ ...outgoing, done: () => uploads.discardOutgoing(file) });
      } catch (error) {
        return fail(toErrorInfo(error));
      }
    },
    outbound,
    workspace: () => workspace,
    invoke: (name, input) => invokeCounted(name, input),
    call: (name, input) => invokeCounted(name, input) as Promise<Result<CallResult<typeof name>>>,
    onEvent: (listener) => events.on(listener),
    close: () => {
      closing ??= (async () => {
        closed = true;
        clearInterval(idleTimer);
        await exclusive;
        await closeWorkspace();
        vault?.lock();
        await uploads.clear().catch(() => undefined);
        await folderLock.release();
      })();
      return closing;
    },
  };
}

export type { WorkspaceHandlers };

/** Folders an import was unpacking into when Keel stopped, and archives half-written for export. */
async function removeUnfinishedImports(dataDir: string): Promise<void> {
  const names = await readdir(dataDir).catch(() => [] as string[]);
  for (const name of names) {
    if (/^\.import-[0-9a-f]+$/.test(name) || /^\.export-\d+\.zip$/.test(name)) {
      await rm(join(dataDir, name), { recursive: true, force: true }).catch(() => undefined);
    }
  }
}
