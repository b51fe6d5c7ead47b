/**
 * How a call is written down: its zod input, its result type, and what it needs of a host (an open
 * workspace, a larger body). Also the size limits and the small schemas several domains share.
 */
import { z } from 'zod';

/** Size limits on every input: a person never types more; anything larger is a mistake or an attack. */
export const limits = {
  name: 200,
  turnText: 100_000,
  intentField: 20_000,
  steer: 2_000,
  draft: 500_000,
  decisionField: 20_000,
  modelName: 200,
  /** The largest request body the web host accepts for a call, in bytes (files travel as uploads). */
  requestBytes: 1_000_000,
  /** A call that carries pasted text (`addSource`): its characters as escaped JSON, well below V8's largest string. */
  textRequestBytes: 16_000_000,
  passphrase: 1_024,
  memoryText: 4_000,
  /** The largest archive Keel receives and imports, in bytes (as uploaded, compressed). */
  archiveBytes: 1024 * 1024 * 1024,
  /** The most an archive may unpack to, all its files together, in bytes. */
  archiveUnpackedBytes: 4 * 1024 * 1024 * 1024,
  /** The most files an archive may hold (a plain zip's own limit is 65,535). */
  archiveEntries: 65_000,
  /** The largest source file Keel reads, in bytes. */
  sourceBytes: 50 * 1024 * 1024,
  /** The longest pasted text kept as a source, in characters. */
  sourceText: 2_000_000,
  /** The longest link address Keel opens outside itself. */
  linkUrl: 2_048,
} as const;

/** An upload's id as the engine gives it (`up-` and 22 random characters). */
export const uploadIdSchema = z.string().regex(/^up-[A-Za-z0-9_-]{22}$/, 'is not an upload Keel gave');

export const nameSchema = z
  .string()
  .trim()
  .min(1, 'cannot be empty')
  .max(limits.name, `must be at most ${limits.name} characters`);

/** What a call needs of the host that carries it; absent parts are false. */
export interface CallMeta {
  /** Works without an open workspace: while the data is locked or damaged (the vault, backups, app facts). */
  readonly whileLocked?: true;
  /** A page makes it on its own (a status check): not the person at work, so the idle lock ignores it. */
  readonly background?: true;
  /** Carries pasted text: the web host takes a body up to `limits.textRequestBytes` instead of `requestBytes`. */
  readonly largeBody?: true;
}

/** A call's specification: its input schema, its result type carried as a phantom, and its needs. */
export interface CallSpec<I extends z.ZodType, R, M extends CallMeta = CallMeta> {
  readonly input: I;
  readonly result?: R;
  readonly meta: M;
}

export function call<R>() {
  return <I extends z.ZodType, const M extends CallMeta = Record<never, never>>(
    input: I,
    meta?: M,
  ): CallSpec<I, R, M> => ({ input, meta: meta ?? ({} as M) });
}

export const none = z.object({}).strict();
