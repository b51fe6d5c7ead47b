/**
 * What moves, memory and sources need from a model runtime, whichever runs the model: Ollama
 * (`ModelClient.ts`) or Keel's built-in llama.cpp runtime (`builtin/BuiltinModels.ts`). The engine
 * talks to models only through this; nothing above it knows which runtime answered.
 */
import type { InstalledModel, TurnStats } from '../../../shared/domain';

/** The runtimes a person can choose in settings and per space; `automatic` is Ollama when it answers. */
export const runtimeChoices = ['automatic', 'ollama', 'builtin'] as const;
export type RuntimeChoice = (typeof runtimeChoices)[number];
export type RuntimeKind = Exclude<RuntimeChoice, 'automatic'>;

export interface ChatMessage {
  /** `system`, `user` or `assistant` (a runtime refuses others). */
  role: string;
  content: string;
}

export interface ChatStreamRequest {
  model: string;
  messages: ChatMessage[];
  numCtx: number;
  signal: AbortSignal;
  think?: boolean;
  keepAlive?: string;
  /** How long to wait for the first piece of the answer (the model may be loading). */
  firstTokenTimeoutMs: number;
  /** How long the stream may then stay silent. */
  stallTimeoutMs: number;
}

/** One piece of a streamed answer: what the person reads, and the model's thinking kept apart. */
export interface ChatPart {
  content: string;
  thinking: string;
}

export interface StructuredRequest {
  model: string;
  messages: ChatMessage[];
  /** A JSON schema the answer must follow. */
  format: Record<string, unknown>;
  numCtx: number;
  keepAlive?: string;
  signal?: AbortSignal;
}

export interface ModelDetails {
  contextLength: number | undefined;
  /** Ollama's words: `completion` (chat), `embedding`, `thinking`… */
  capabilities: string[];
}

export interface ModelRuntime {
  readonly kind: RuntimeKind;
  /** The runtime's version; fails when it is not available (Ollama not running). */
  version(timeoutMs?: number): Promise<string>;
  /** The models installed for this runtime. */
  list(): Promise<InstalledModel[]>;
  /** A model's context length and capabilities. */
  show(model: string): Promise<ModelDetails>;
  /** Loads a model ahead of use and keeps it for `keepAlive`. */
  load(model: string, keepAlive: string, numCtx: number): Promise<void>;
  /** Lets a model go from memory. */
  unload(model: string): Promise<void>;
  /** One vector per input. */
  embed(model: string, input: string[], signal?: AbortSignal): Promise<number[][]>;
  /** One answer shaped by a JSON schema, parsed (checking it is the caller's job). */
  structured(request: StructuredRequest): Promise<unknown>;
  /** Streams one chat answer; returns the runtime's figures when the answer is complete. */
  chat(request: ChatStreamRequest): AsyncGenerator<ChatPart, TurnStats>;
}
