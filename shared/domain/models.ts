/** The person's settings, and the models that run Keel's moves: installed, downloading, loading. */
import { z } from 'zod';

export const themes = ['system', 'light', 'dark'] as const;
export type Theme = (typeof themes)[number];

export const settingsSchema = z.object({
  /** The chat model the person chose; empty until they choose, and Keel picks an installed one. */
  chatModel: z.string().default(''),
  /** The embedding model the person chose; empty until they choose, and Keel picks an installed one. */
  embeddingModel: z.string().default(''),
  theme: z.enum(themes),
  /** How long Ollama keeps a model loaded after a request (Ollama's `keep_alive`: "5m", "1h", "-1"). */
  keepAlive: z.string().default('10m'),
  /** The model host chosen in settings; empty means OLLAMA_HOST or the default. */
  ollamaHost: z.string().default(''),
  /** A host that is not this machine is used only once the person allowed it here. */
  allowRemoteHost: z.boolean().default(false),
  /** Which runtime runs the models: Ollama when it answers (automatic), Ollama, or Keel's built-in one. */
  runtime: z.enum(['automatic', 'ollama', 'builtin']).default('automatic'),
  /** GGUF model files elsewhere on disk the person pointed Keel at, for the built-in runtime. */
  modelFiles: z.array(z.string().min(1).max(4096)).max(200).default([]),
  /** How many daily backups of the data folder to keep. */
  backupKeep: z.number().int().min(1).max(100).default(7),
  /** With encryption on: lock after this many idle minutes (0: only when asked). */
  lockAfterMinutes: z.number().int().min(0).max(1440).default(15),
  /** In the desktop window: a system notification when forecasts come due to be resolved. */
  notifyDueForecasts: z.boolean().default(true),
});
export type Settings = z.infer<typeof settingsSchema>;

export interface InstalledModel {
  name: string;
  size: number;
  family: string;
  parameterSize: string;
  quantization: string;
}

/** An installed model with what `/api/show` says it can do. */
export interface ModelInfo extends InstalledModel {
  /** Ollama's capabilities: `completion` (chat), `embedding`, `thinking`, `tools`, `vision`… */
  capabilities: string[];
  contextLength?: number;
  /** What Keel can use it for. */
  canChat: boolean;
  canEmbed: boolean;
}

/** One step of a model download, as the progress bar shows it. */
export interface PullProgress {
  model: string;
  state: 'pulling' | 'done' | 'failed' | 'cancelled';
  /** Ollama's own status line ("pulling manifest", "verifying sha256 digest", …). */
  status: string;
  completedBytes: number;
  totalBytes: number;
  /** 0–100, or undefined while the size is not known yet. */
  percent?: number;
  bytesPerSecond?: number;
  secondsLeft?: number;
  error?: { code: string; message: string };
  /** `builtin`: a GGUF file for Keel's own runtime (from the catalog); absent: Ollama's pull. */
  runtime?: 'builtin';
}

/** What a model in Keel's catalog is for. */
export const catalogModelKinds = ['chat', 'thinking', 'embedding'] as const;
export type CatalogModelKind = (typeof catalogModelKinds)[number];

/** A model Keel's built-in runtime can download, as the person is shown it. */
export interface CatalogModel {
  id: string;
  name: string;
  kind: CatalogModelKind;
  fileName: string;
  bytes: number;
  license: string;
  /** The longest context the model was trained for, in tokens. */
  contextLength: number;
  /** About how much memory it takes to run, in bytes. */
  memoryBytes: number;
  /** The host the file comes from (the download may be redirected to that host's CDN). */
  host: string;
  /** True once the file is in the models folder. */
  installed: boolean;
}

/** Which catalog models fit this machine, and why, in a sentence. */
export interface ModelRecommendation {
  chat: string;
  embedding: string;
  reason: string;
}

/** The catalog with what this machine can run. */
export interface ModelCatalog {
  models: CatalogModel[];
  recommended: ModelRecommendation;
  memoryBytes: number;
  /** The graphics processor node-llama-cpp found ("Apple Metal", "CUDA"…), or null. */
  gpu: string | null;
  /** Every host a model download may contact (the catalog's hosts and their CDNs). */
  downloadHosts: string[];
}

/** A model being loaded into memory ahead of the first move. */
export interface ModelWarmup {
  model: string;
  state: 'loading' | 'ready' | 'failed';
  elapsedMs: number;
  message?: string;
}

/** How full the model's context will be for the next request in a loop. */
export interface ContextUsage {
  model: string;
  numCtx: number;
  estimatedTokens: number;
  reserveForAnswer: number;
  omittedTurns: number;
}

/**
 * The connection to Ollama as a person should understand it:
 * - `connected`: Ollama answers and the chosen chat model is installed;
 * - `not-running`: nothing listens at the (local) host: start Ollama;
 * - `unreachable`: the host did not answer in time or is not an Ollama server;
 * - `no-models`: Ollama runs but has no model yet;
 * - `model-missing`: Ollama runs but the chosen chat model is not installed;
 * - `remote-not-allowed`: the host is another machine and the person has not allowed it.
 */
export type ModelConnection =
  'connected' | 'not-running' | 'unreachable' | 'no-models' | 'model-missing' | 'remote-not-allowed';

export interface ModelStatus {
  connection: ModelConnection;
  /** Which runtime serves the models: Ollama's, or Keel's built-in one (absent: Ollama). */
  runtime?: 'ollama' | 'builtin';
  host: string;
  hostIsLocal: boolean;
  version?: string;
  /** The chat model moves use: the person's choice, or the installed one Keel picked. */
  chatModel: string;
  /** Present when Keel picked the chat model because the person has not chosen one: why this one. */
  chatModelPicked?: string;
  /** The embedding model memory and sources use, when one is chosen or installed. */
  embeddingModel?: string;
  /** Present when Keel picked the embedding model: why this one. */
  embeddingModelPicked?: string;
  models: InstalledModel[];
  /** A sentence telling a first-time user exactly what to do next. */
  advice: string;
  /** Where the host came from, so the person knows what to change. */
  hostSource: 'settings' | 'OLLAMA_HOST' | 'default';
  /** A model to pull with one click when none is usable. */
  recommendedModel?: string;
  checkedAt: string;
}

/** `llama3.2` and `llama3.2:latest` name the same model, as in Ollama (names are case-insensitive). */
export function sameModel(a: string, b: string): boolean {
  const full = (name: string) => (name.includes(':') ? name : `${name}:latest`).toLowerCase();
  return full(a) === full(b);
}

/** Which runtime runs a space's models. */
export type RuntimeChoice = 'automatic' | 'ollama' | 'builtin';

/** A space's own models and runtime: null goes back to the global choice, absent leaves it as it is. */
export interface SpaceModels {
  spaceId: string;
  chatModel?: string | null;
  embeddingModel?: string | null;
  runtime?: RuntimeChoice | null;
}
