/**
 * The engine's public face. Hosts (the Electron IPC host, the loopback web host, tests) create one
 * engine per data folder and talk to it only through `invoke` and `onEvent`.
 */
import type {
  CallInput,
  CallName,
  CallResult,
  KeelEventListener,
  UploadPurpose,
  UploadReceipt,
} from '../../shared/contract';
import type { AppInfo } from '../../shared/domain';
import type { Result } from '../../shared/errors';
import type { OutboundLog } from './model/outboundFetch';
import type { Outgoing } from './Uploads';

export type { EngineOptions } from './EngineOptions';

export interface Engine {
  readonly info: AppInfo;
  /** Validates and runs one contract call arriving from outside (IPC, HTTP); never throws. */
  invoke(name: unknown, input: unknown): Promise<Result<unknown>>;
  /** The same, typed, for in-process callers such as tests and benchmarks. */
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<Result<CallResult<N>>>;
  /** Every request the engine sent (or refused to send) to the network. */
  readonly outbound: OutboundLog;
  /**
   * Receives a file's bytes as a stream into a temporary file (capped per purpose; `declaredBytes`,
   * a Content-Length, lets an oversized one be refused at once). The id it answers is what
   * `importArchive` and `addSource` take as `file`. Never throws.
   */
  upload(
    purpose: UploadPurpose,
    body: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
    declaredBytes?: number,
  ): Promise<Result<UploadReceipt>>;
  /**
   * Takes a file the engine made for the person (`exportArchive`'s `file`) for its one download:
   * the host streams `path` to the person, then calls `done`, which deletes it. Never throws.
   */
  download(file: unknown): Promise<Result<Outgoing & { done(): Promise<void> }>>;
  /** Listens to every engine event; returns the unsubscribe function. */
  onEvent(listener: KeelEventListener): () => void;
  /** Stops every stream, finishes pending writes and releases the data folder. */
  close(): Promise<void>;
}
