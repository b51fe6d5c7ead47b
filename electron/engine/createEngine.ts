/**
 * Composes the engine: the data folder (locked to this engine), its vault (encryption at rest),
 * backups, the record of outbound requests, and the workspace (every service over the person's
 * data) once the data can be read. While the data is locked or a file Keel needs is damaged, only
 * the calls that unlock, restore or describe the engine work; the others say why they cannot.
 */
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  callNames,
  type CallArgs,
  type CallName,
  type CallResult,
  type KeelHandlers,
} from '../../shared/contract';
import type { AppInfo, EngineState } from '../../shared/domain';
import { KeelError, type Result } from '../../shared/errors';
import { invokeCall } from '../../shared/invoke';
import type { Engine, EngineOptions } from './Engine';
import { EventHub } from './EventHub';
import { currentPlatform, recommendedChatModel, recommendedEmbeddingModel } from './model/ModelService';
import { parseOllamaHost } from './model/ollamaHost';
import { OutboundLog } from './model/outboundFetch';
import { Backups } from './store/Backups';
import { storageFailure } from './store/DocumentAdapter';
import { lockDataFolder } from './store/folderLock';
import { Store } from './store/Store';
import { keyFileName, Vault } from './store/Vault';
import { openWorkspace, type EngineOnlyCall, type Workspace, type WorkspaceHandlers } from './Workspace';

export const keelVersion = '0.1.0';

/** A daily backup is due when the newest one is older than this. */
const backupInterval = 24 * 3600_000;

export async function createEngine(options: EngineOptions): Promise<Engine> {
  const { dataDir } = options;
  await mkdir(dataDir, { recursive: true }).catch((error: unknown) => {
    throw storageFailure(error, `create the data folder ${dataDir}`);
  });
  const folderLock = await lockDataFolder(dataDir, options.shell);
  const events = new EventHub();
  const outbound = new OutboundLog();
  const backups = new Backups(dataDir);
  let vault: Vault | undefined;
  let workspace: Workspace | undefined;
  /** Why the workspace could not open, in words. */
  let problem: string | undefined;
  let backupTimer: NodeJS.Timeout | undefined;
  let closed = false;

  const settingsDefaults = {
    chatModel: options.defaultChatModel ?? recommendedChatModel,
    embeddingModel: recommendedEmbeddingModel,
    theme: 'system' as const,
    keepAlive: '10m',
    ollamaHost: '',
    allowRemoteHost: false,
    backupKeep: 7,
    lockAfterMinutes: 15,
    notifyDueForecasts: true,
  };

  /** Opens the vault and, unless it is locked, the workspace; a file that cannot be read leaves the engine damaged. */
  async function open(): Promise<void> {
    problem = undefined;
    try {
      vault ??= await Vault.open(dataDir, options.scryptCost);
      if (vault.state === 'locked') return;
      const store = await Store.open(dataDir, settingsDefaults, vault.codec);
      workspace = openWorkspace(store, options, {
        events,
        outbound,
        purgeBackups: (paths) => backups.purge(paths),
      });
      scheduleBackups();
    } catch (error) {
      if (!(error instanceof KeelError)) throw error;
      problem = error.message;
    }
  }

  async function closeWorkspace(): Promise<void> {
    const open = workspace;
    workspace = undefined;
    clearTimeout(backupTimer);
    await open?.close();
  }

  function needWorkspace(): Workspace {
    if (workspace) return workspace;
    if (vault?.state === 'locked') {
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
    };
  }

  async function announce(): Promise<EngineState> {
    const current = await state();
    events.emit({ type: 'engine.state', state: current });
    return current;
  }

  /** Whole-folder operations (restore, import, passphrase changes, lock) run one at a time. */
  let exclusive: Promise<unknown> = Promise.resolve();
  function oneAtATime<T>(operation: () => Promise<T>): Promise<T> {
    const run = exclusive.then(operation, operation);
    exclusive = run.catch(() => undefined);
    return run;
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
        .catch((error: unknown) => console.error('Keel: the daily backup failed', error))
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
    await rm(join(dataDir, 'search', 'index.json'), { force: true });
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
    await backups.reseal((bytes) => sealer.codec.encode(sealer.codec.decode(bytes)));
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
    getEngineState: () => state(),
    unlock: ({ passphrase }) =>
      oneAtATime(async () => {
        if (vault?.state !== 'locked') return state();
        await vault.unlock(passphrase);
        await open();
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
        await closeWorkspace();
        vault.lock();
        return announce();
      }),
    setPassphrase: ({ passphrase, currentPassphrase }) =>
      oneAtATime(async () => {
        needWorkspace();
        const current = vault!;
        if (current.state !== 'plain') {
          if (currentPassphrase === undefined) {
            throw new KeelError('invalid-input', 'Give your current passphrase to change it.', {
              field: 'currentPassphrase',
            });
          }
          await current.verify(currentPassphrase).catch(() => {
            throw new KeelError(
              'invalid-input',
              'That is not your current passphrase. Nothing was changed.',
              {
                field: 'currentPassphrase',
              },
            );
          });
        }
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
        await current.verify(currentPassphrase).catch(() => {
          throw new KeelError('invalid-input', 'That is not your current passphrase. Nothing was changed.', {
            field: 'currentPassphrase',
          });
        });
        current.startPlain();
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
        await backups.create('before-restore', keep() + 1);
        await closeWorkspace();
        await backups.restore(backupId, loopId);
        if (loopId === undefined) await forgetSearchIndex();
        // Every backup carries the current key file (they are re-encrypted on every change), so the
        // unlocked keys stay valid; a key file that differs means the vault must be read again.
        const keyFile = await readFile(join(dataDir, keyFileName), 'utf8').catch(() => undefined);
        if (keyFile !== vault?.keyFileBytes()) vault = undefined;
        await open();
        return announce();
      }),
    getOutboundLog: async () => outbound.list().map((record) => ({ ...record })),
    exportArchive: () =>
      oneAtATime(async () => {
        await needWorkspace().flush();
        const bytes = await backups.archive();
        const day = new Date().toISOString().slice(0, 10);
        return {
          fileName: `keel-archive-${day}.zip`,
          mimeType: 'application/zip',
          base64: Buffer.from(bytes).toString('base64'),
        };
      }),
    importArchive: ({ base64 }) =>
      oneAtATime(async () => {
        if (workspace) await workspace.flush();
        const bytes = new Uint8Array(Buffer.from(base64, 'base64'));
        if ((await backups.dataFiles()).length > 0) await backups.create('before-import', keep() + 1);
        await closeWorkspace();
        try {
          await backups.importArchive(bytes);
          await forgetSearchIndex();
        } finally {
          vault = undefined;
          await open();
        }
        return announce();
      }),
  };

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
    await folderLock.release();
    throw error;
  }

  let closing: Promise<void> | undefined;
  return {
    get info() {
      return info();
    },
    handlers,
    outbound,
    workspace: () => workspace,
    invoke: (name, input) => invokeCall(handlers, name, input),
    call: (name, input) => invokeCall(handlers, name, input) as Promise<Result<CallResult<typeof name>>>,
    onEvent: (listener) => events.on(listener),
    close: () => {
      closing ??= (async () => {
        closed = true;
        await exclusive;
        await closeWorkspace();
        vault?.lock();
        await folderLock.release();
      })();
      return closing;
    },
  };
}

export type { WorkspaceHandlers };
