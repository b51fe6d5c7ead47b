/**
 * Composes the engine: the data folder (locked to this engine), its vault, backups, uploads, the
 * record of outbound requests, and the open data folder (every service over the person's data) once the
 * data can be read. Construction only: what each call does lives in the services, and which
 * service answers it in `handlers/`.
 */
import { readdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import {
  callNames,
  downloadIdPattern,
  needsDataFolder,
  type CallResult,
  type KeelHandlers,
} from '../../shared/contract';
import { fail, KeelError, ok, toErrorInfo, type Result } from '../../shared/errors';
import { invokeCall } from '../../shared/invoke';
import { appInfo } from './appInfo';
import { Diagnostics } from './Diagnostics';
import type { Engine } from './Engine';
import type { EngineOptions } from './EngineOptions';
import { EventHub } from './EventHub';
import { appHandlers } from './handlers/app';
import { trustHandlers } from './handlers/trust';
import { RuntimeGpuChoice } from './model/builtin/gpu';
import { machineProbe } from './model/builtin/machine';
import { OutboundLog } from './model/outboundFetch';
import { settingsDefaults } from './settings/SettingsService';
import { makePrivateFolder } from './store/atomicWrite';
import { Backups } from './store/Backups';
import { storageFailure } from './store/DocumentAdapter';
import { lockDataFolder } from './store/folderLock';
import { BackupScheduler } from './trust/BackupScheduler';
import { IdleLock } from './trust/IdleLock';
import { TrustService } from './trust/TrustService';
import { Uploads } from './Uploads';
import { openDataFolder, type OpenDataFolder } from './OpenDataFolder';

/** The engine and, for tests and benchmarks in this process, the open data folder's services. */
export interface InspectableEngine extends Engine {
  /** The open data folder (undefined while locked or damaged). Not part of `Engine`: hosts never see it. */
  dataFolder(): OpenDataFolder | undefined;
}

export async function createEngine(options: EngineOptions): Promise<Engine> {
  const { engine } = await composeEngine(options);
  return engine;
}

/** The engine with its open data folder in reach: only for tests and benchmarks, never for a host. */
export async function createInspectableEngine(options: EngineOptions): Promise<InspectableEngine> {
  const { engine, trust } = await composeEngine(options);
  return Object.assign(Object.create(engine) as Engine, { dataFolder: () => trust.current });
}

async function composeEngine(options: EngineOptions): Promise<{ engine: Engine; trust: TrustService }> {
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
  // Asked once per engine, lazily: the built-in runtime's GPU and the catalog's recommendation.
  const machine = machineProbe({ memoryBytes: options.memoryBytes, detect: options.detectGpu });
  const gpu = new RuntimeGpuChoice({ machine, noteProblem: diagnostics.note });

  const trust: TrustService = new TrustService({
    dataDir,
    settingsDefaults: settingsDefaults(options.defaultChatModel),
    scryptCost: options.scryptCost,
    wrongPassphraseDelayMs: options.wrongPassphraseDelayMs,
    events,
    noteProblem: diagnostics.note,
    backups,
    uploads,
    openDataFolder: (store) =>
      openDataFolder(store, options, {
        events,
        outbound,
        noteProblem: diagnostics.note,
        purgeBackups: (paths) => backups.purge(paths),
        takeUpload: (id) => takeSourceUpload(uploads, id),
        machine,
        gpu,
      }),
    onOpened: () => scheduler.start(),
    onClosing: () => scheduler.stop(),
  });
  const scheduler = new BackupScheduler({
    backups,
    dataFolder: () => trust.current,
    exclusive: trust.exclusive,
    keep: () => trust.keep(),
    noteProblem: diagnostics.note,
    firstDelayMs: options.firstBackupDelayMs ?? 30_000,
  });
  const idleLock = new IdleLock({
    minuteMs: options.idleMinuteMs ?? 60_000,
    lockAfterMinutes: () => trust.idleLockMinutes(),
    lock: (stillIdle) => trust.lockIfIdle(stillIdle),
    noteProblem: diagnostics.note,
  });
  const info = () => appInfo(options, trust.current?.models.host);

  const engineHandlers = {
    ...appHandlers(info, outbound, diagnostics),
    ...trustHandlers(trust, backups),
  };
  /** Every other call goes to the open data folder, or says why it cannot. */
  const handlers = Object.fromEntries(
    callNames.map((name) => [
      name,
      needsDataFolder(name)
        ? (input: unknown) => (trust.need().handlers[name] as (input: unknown) => Promise<unknown>)(input)
        : engineHandlers[name as keyof typeof engineHandlers],
    ]),
  ) as KeelHandlers;

  try {
    await trust.open();
  } catch (error) {
    idleLock.stop();
    await folderLock.release();
    throw error;
  }

  const invoke = (name: unknown, input: unknown) =>
    idleLock.counted(name, () => invokeCall(handlers, name, input));
  let closing: Promise<void> | undefined;
  const engine: Engine = {
    get info() {
      return info();
    },
    outbound,
    invoke,
    call: (name, input) => invoke(name, input) as Promise<Result<CallResult<typeof name>>>,
    upload: async (purpose, body, declaredBytes) => {
      try {
        // A locked Keel takes nothing in: no file waits on disk for a call that will be refused.
        trust.refuseWhileLocked();
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
        trust.refuseWhileLocked();
        const outgoing = uploads.takeOutgoing(file);
        return ok({ ...outgoing, done: () => uploads.discardOutgoing(file) });
      } catch (error) {
        return fail(toErrorInfo(error));
      }
    },
    onEvent: (listener) => events.on(listener),
    close: () => {
      closing ??= (async () => {
        idleLock.stop();
        await trust.close();
        await uploads.clear().catch(() => undefined);
        await folderLock.release();
      })();
      return closing;
    },
  };
  return { engine, trust };
}

/** The bytes of an uploaded source file (used once, then gone). */
async function takeSourceUpload(uploads: Uploads, id: string): Promise<Buffer> {
  const upload = uploads.take(id, 'source');
  try {
    return await readFile(upload.path);
  } finally {
    await uploads.discard(id);
  }
}

/** Folders an import was unpacking into when Keel stopped, and archives half-written for export. */
async function removeUnfinishedImports(dataDir: string): Promise<void> {
  const names = await readdir(dataDir).catch(() => [] as string[]);
  for (const name of names) {
    if (/^\.import-[0-9a-f]+$/.test(name) || /^\.export-\d+\.zip$/.test(name)) {
      await rm(join(dataDir, name), { recursive: true, force: true }).catch(() => undefined);
    }
  }
}
