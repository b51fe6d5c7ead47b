/**
 * Composes the engine's services in one place: the store over the data folder, the model client
 * bound to the one allowed host, the loop service and the move runner, behind the contract's
 * handlers.
 */
import type { CallResult, KeelHandlers } from '../../shared/contract';
import type { Result } from '../../shared/errors';
import type { AppInfo } from '../../shared/domain';
import { invokeCall } from '../../shared/invoke';
import type { Engine, EngineOptions } from './Engine';
import { EventHub } from './EventHub';
import { LoopService } from './loops/LoopService';
import { MoveRunner } from './loops/MoveRunner';
import { ModelClient } from './model/ModelClient';
import { ModelService, recommendedChatModel } from './model/ModelService';
import { parseOllamaHost } from './model/ollamaHost';
import { OutboundLog } from './model/outboundFetch';
import { Store } from './store/Store';
import { storageFailure } from './store/DocumentAdapter';
import { lockDataFolder } from './store/folderLock';
import { mkdir } from 'node:fs/promises';

export const keelVersion = '0.1.0';

export async function createEngine(options: EngineOptions): Promise<Engine> {
  const host = parseOllamaHost(options.ollamaHost);
  await mkdir(options.dataDir, { recursive: true }).catch((error: unknown) => {
    throw storageFailure(error, `create the data folder ${options.dataDir}`);
  });
  const lock = await lockDataFolder(options.dataDir, options.shell);
  let store: Store;
  try {
    store = await Store.open(options.dataDir, {
      chatModel: options.defaultChatModel ?? recommendedChatModel,
      theme: 'system',
    });
  } catch (error) {
    await lock.release();
    throw error;
  }
  const events = new EventHub();
  const outbound = new OutboundLog();
  const client = new ModelClient(host, outbound);
  const models = new ModelService(client);
  const loops = new LoopService(store);
  const settings = store.settings;
  const moves = new MoveRunner(loops, models, client, events, () => settings.data.chatModel, {
    firstTokenTimeoutMs: options.firstTokenTimeoutMs ?? 240_000,
    stallTimeoutMs: options.stallTimeoutMs ?? 60_000,
    checkpointMs: 2_000,
  });
  const info: AppInfo = {
    version: keelVersion,
    dataDir: options.dataDir,
    ollamaHost: host.origin,
    hostIsLocal: host.isLocal,
    shell: options.shell,
  };

  const handlers: KeelHandlers = {
    getAppInfo: async () => info,
    getSettings: async () => ({ chatModel: settings.data.chatModel, theme: settings.data.theme }),
    updateSettings: async (changes) => {
      if (changes.chatModel !== undefined) settings.data.chatModel = changes.chatModel;
      if (changes.theme !== undefined) settings.data.theme = changes.theme;
      await settings.save();
      return { chatModel: settings.data.chatModel, theme: settings.data.theme };
    },
    getModelStatus: () => models.status(settings.data.chatModel),
    listSpaces: async (input) => loops.listSpaces(input),
    createSpace: (input) => loops.createSpace(input),
    renameSpace: (input) => loops.renameSpace(input),
    archiveSpace: (input) => loops.archiveSpace(input),
    listLoops: async (input) => loops.listLoops(input),
    createLoop: (input) => loops.createLoop(input),
    getLoop: (input) => loops.getLoop(input),
    renameLoop: (input) => loops.renameLoop(input),
    archiveLoop: (input) => loops.archiveLoop(input),
    updateIntent: (input) => loops.updateIntent(input),
    addTurn: (input) => loops.addTurn(input),
    requestMove: (input) => moves.request(input),
    stopMove: (input) => moves.stop(input),
  };

  let closing: Promise<void> | undefined;
  return {
    info,
    handlers,
    invoke: (name, input) => invokeCall(handlers, name, input),
    call: (name, input) => invokeCall(handlers, name, input) as Promise<Result<CallResult<typeof name>>>,
    onEvent: (listener) => events.on(listener),
    close: () => {
      closing ??= (async () => {
        await moves.stopAll();
        await store.flush();
        await lock.release();
      })();
      return closing;
    },
  };
}
