/**
 * The messages between the engine and the built-in runtime's child process (`runtimeHost.ts`). Both
 * sides check what they receive: a crashed or confused child must not be able to corrupt the engine.
 */

import type { ChatMessage } from '../ModelRuntime';
import type { RuntimeGpu } from './gpu';

export type { ChatMessage };

export type HostRequest =
  | {
      type: 'load';
      modelPath: string;
      threads: number;
      contextSize: number;
      /** The GPU build to run on (`false`: the processor); one that fails falls back to the processor. */
      gpu?: RuntimeGpu;
    }
  | {
      type: 'chat';
      id: number;
      messages: ChatMessage[];
      maxTokens: number;
      seed?: number;
      temperature?: number;
      /** A JSON schema the answer must follow. */
      format?: object;
    }
  | { type: 'embed'; id: number; texts: string[] }
  | { type: 'abort'; id: number };

export type HostReply =
  /** `gpuProblem`: the GPU build asked for failed, so the model runs on the processor; why, in its words. */
  | { type: 'loaded'; embedding: number; contextSize: number; gpuProblem?: string }
  | { type: 'load-failed'; message: string }
  /** A piece of the answer; `thought` marks the model's thinking, kept apart from the answer. */
  | { type: 'delta'; id: number; text: string; thought?: boolean }
  | { type: 'done'; id: number; text: string; stopReason: 'stop' | 'length' | 'abort'; tokens?: number }
  | { type: 'embedded'; id: number; vectors: number[][] }
  | { type: 'failed'; id: number; message: string };

export function isHostReply(value: unknown): value is HostReply {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  switch (v.type) {
    case 'loaded':
      return (
        typeof v.embedding === 'number' &&
        typeof v.contextSize === 'number' &&
        optional(v.gpuProblem, 'string')
      );
    case 'load-failed':
      return typeof v.message === 'string';
    case 'delta':
      return typeof v.id === 'number' && typeof v.text === 'string' && optional(v.thought, 'boolean');
    case 'done':
      return (
        typeof v.id === 'number' &&
        typeof v.text === 'string' &&
        optional(v.tokens, 'number') &&
        (v.stopReason === 'stop' || v.stopReason === 'length' || v.stopReason === 'abort')
      );
    case 'embedded':
      return (
        typeof v.id === 'number' &&
        Array.isArray(v.vectors) &&
        v.vectors.every((row) => Array.isArray(row) && row.every((x) => typeof x === 'number'))
      );
    case 'failed':
      return typeof v.id === 'number' && typeof v.message === 'string';
    default:
      return false;
  }
}

/** An optional field: absent, or of the type named. */
function optional(value: unknown, type: 'string' | 'number' | 'boolean'): boolean {
  return value === undefined || typeof value === type;
}
