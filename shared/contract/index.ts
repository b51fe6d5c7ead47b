/**
 * The one contract between the workspace and the engine, split by domain (`app`, `trust`,
 * `models`, `loops`, `ledger`, `memory`, `sources`, `sync`). Every call is listed once, with the zod
 * schema its input must pass, the type of its result, and what it needs of a host (`CallMeta`);
 * every event the engine sends is in `events.ts`. The Electron IPC host, the preload bridge, the
 * loopback web host and the workspace's clients are all built by iterating it: no call name, channel
 * or path is typed anywhere else.
 */
import type { z } from 'zod';
import { appCalls } from './app';
import { isCallName, type CallName } from './callNames';
import type { KeelEventListener } from './events';
import { ledgerCalls } from './ledger';
import { loopsCalls } from './loops';
import { memoryCalls } from './memory';
import { modelsCalls } from './models';
import { sourcesCalls } from './sources';
import { limits, type CallMeta, type CallSpec } from './spec';
import { syncCalls } from './sync';
import { trustCalls, type UploadPurpose, type UploadReceipt } from './trust';
import type { Result } from '../errors';

export * from './callNames';
export * from './events';
export { forecastInputSchema } from './ledger';
export { limits, type CallMeta, type CallSpec } from './spec';
export {
  downloadIdPattern,
  uploadLimits,
  uploadPurposes,
  type ArchiveDownload,
  type UploadPurpose,
  type UploadReceipt,
} from './trust';

export const contract = {
  ...appCalls,
  ...trustCalls,
  ...modelsCalls,
  ...loopsCalls,
  ...ledgerCalls,
  ...memoryCalls,
  ...sourcesCalls,
  ...syncCalls,
} as const satisfies Record<CallName, CallSpec<z.ZodType, unknown>>;

export type Contract = typeof contract;
/** The contract holds exactly the names of `callNames`: the compiler refuses one missing on either side. */
const sameNames: [Exclude<keyof Contract, CallName>, Exclude<CallName, keyof Contract>] extends [never, never]
  ? true
  : never = true;
void sameNames;

/** What a caller passes (before defaults and trimming). */
export type CallInput<N extends CallName> = z.input<Contract[N]['input']>;
/** What the engine receives once the input passed its schema. */
export type CallArgs<N extends CallName> = z.output<Contract[N]['input']>;
export type CallResult<N extends CallName> = Contract[N] extends CallSpec<z.ZodType, infer R> ? R : never;

type MetaOf<N extends CallName> = Contract[N]['meta'];
/** Calls that work without an open data folder (while locked or damaged): app facts, the vault, backups, the archive. */
export type EngineCall = { [N in CallName]: MetaOf<N> extends { whileLocked: true } ? N : never }[CallName];
export type DataFolderCall = Exclude<CallName, EngineCall>;

function meta(name: CallName): CallMeta {
  return contract[name].meta;
}

/** Whether a call needs the open data folder (every call its entry does not mark `whileLocked`). */
export function needsDataFolder(name: CallName): name is DataFolderCall {
  return meta(name).whileLocked !== true;
}

/** Whether a page makes the call on its own, so the idle lock does not count it as the person at work. */
export function isBackgroundCall(name: string): boolean {
  return isCallName(name) && meta(name).background === true;
}

/** The largest request body the web host reads for a call, in bytes. */
export function requestBytesFor(name: CallName): number {
  return meta(name).largeBody ? limits.textRequestBytes : limits.requestBytes;
}

/**
 * The workspace's view of the engine: one method per call, each resolving to a `Result`, and one
 * way to listen to events. `window.keel` (desktop) and the web client both implement it.
 */
export type KeelApi = { [N in CallName]: (input: CallInput<N>) => Promise<Result<CallResult<N>>> } & {
  onEvent(listener: KeelEventListener): () => void;
  /**
   * Sends a file's bytes to the engine as bytes (never as text inside a call), for `importArchive`
   * (`purpose: 'archive'`) or `addSource` (`'source'`). The id it returns is good for one call, soon.
   */
  upload(data: Blob | ArrayBuffer, purpose: UploadPurpose): Promise<Result<UploadReceipt>>;
  /**
   * The bytes of a file the engine made for the person (`exportArchive`'s `file`), as bytes, never
   * as text inside a call. Good once, soon after the call that made it.
   */
  download(file: string): Promise<Result<Blob>>;
};

/** The engine's side: one handler per call, receiving validated input and throwing `KeelError`s. */
export type KeelHandlers = { [N in CallName]: (input: CallArgs<N>) => Promise<CallResult<N>> };
