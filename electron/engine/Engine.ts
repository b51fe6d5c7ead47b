/**
 * The engine's public face. Hosts (the Electron IPC host, the loopback web host, tests) create one
 * engine per data folder and talk to it only through `invoke` and `onEvent`.
 */
import type { SyncOptions } from './sync/SyncService';
import type {
  CallInput,
  CallName,
  CallResult,
  KeelEventListener,
  KeelHandlers,
  UploadPurpose,
  UploadReceipt,
} from '../../shared/contract';
import type { AppInfo } from '../../shared/domain';
import type { Result } from '../../shared/errors';
import type { GpuInfo, ModelCatalogSource } from './model/builtin/catalog';
import type { OutboundLog } from './model/outboundFetch';
import type { SourceReadLimits } from './sources/readInWorker';
import type { Outgoing } from './Uploads';
import type { Workspace } from './Workspace';

import type { RuntimeLauncher } from './model/builtin/launcher';

export interface EngineOptions {
  /** The folder that holds every file Keel writes. Created when missing. */
  dataDir: string;
  /** The Ollama host as a person writes it (`OLLAMA_HOST` forms); default http://127.0.0.1:11434. */
  ollamaHost?: string;
  /** The chat model used until the person picks one in settings; default `llama3.2`. */
  defaultChatModel?: string;
  /** Which shell the workspace runs in, reported by `getAppInfo`. */
  shell: AppInfo['shell'];
  /** The machine's memory, which bounds the context window Keel asks for; default: this machine's. */
  memoryBytes?: number;
  /** How long to wait for the first piece of an answer (a model may take a while to load). */
  firstTokenTimeoutMs?: number;
  /** How long a stream may then stay silent before the turn fails as stalled. */
  stallTimeoutMs?: number;
  /** scrypt's cost for the passphrase (tests lower it; the default is Keel's own). */
  scryptCost?: { N: number; r: number; p: number };
  /** The wait after a second wrong passphrase in a row, doubling with each further one (default 1 s). */
  wrongPassphraseDelayMs?: number;
  /** How long one minute of the idle-lock setting lasts (default 60 s; tests shorten it). */
  idleMinuteMs?: number;
  /** The largest source file read, in bytes (tests lower it; default `limits.sourceBytes`). */
  sourceMaxBytes?: number;
  /** How soon after opening the forecasts due are first announced (default 10 s). */
  dueForecastDelayMs?: number;
  /** What reading one source file may take: time, memory, pages… (tests lower them). */
  sourceReadLimits?: Partial<SourceReadLimits>;
  /** How soon after opening the first daily-backup check runs (default 30 s). */
  firstBackupDelayMs?: number;
  /** The most bytes an upload may carry, per purpose (tests lower them; default `uploadLimits`). */
  uploadLimits?: Record<UploadPurpose, number>;
  /** The built-in runtime's model catalog (tests point it at a local fake model host; default: the real one). */
  modelCatalog?: ModelCatalogSource;
  /** Finds the graphics processor (default: node-llama-cpp's detection, in a child process). */
  detectGpu?: () => Promise<GpuInfo | null>;
  /** Free bytes on the disk of the models folder (tests pretend the disk is full). */
  modelFreeBytes?: (dir: string) => Promise<number>;
  /** Starts the built-in model runtime's process (the desktop shell: utilityProcess); default: a child process. */
  runtimeLauncher?: RuntimeLauncher;
  /** Sync's keychain (from the desktop shell), this computer's name, and tests' shorter waits. */
  sync?: SyncOptions;
}

export interface Engine {
  readonly info: AppInfo;
  /** Validates and runs one contract call arriving from outside (IPC, HTTP); never throws. */
  invoke(name: unknown, input: unknown): Promise<Result<unknown>>;
  /** The same, typed, for in-process callers such as tests and benchmarks. */
  call<N extends CallName>(name: N, input: CallInput<N>): Promise<Result<CallResult<N>>>;
  /** The validated handlers, for in-process callers such as tests and benchmarks. */
  readonly handlers: KeelHandlers;
  /** Every request the engine sent (or refused to send) to the network. */
  readonly outbound: OutboundLog;
  /** The open workspace's services, for in-process benchmarks (undefined while locked or damaged). */
  workspace(): Workspace | undefined;
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
