/** How a host opens the engine: the data folder, the shell, and the waits and limits tests lower. */
import type { UploadPurpose } from '../../shared/contract';
import type { AppInfo } from '../../shared/domain';
import type { GpuInfo, ModelCatalogSource } from './model/builtin/catalog';
import type { RuntimeLauncher } from './model/builtin/launcher';
import type { SourceReadLimits } from './sources/readInWorker';
import type { SyncOptions } from './sync/SyncService';

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
