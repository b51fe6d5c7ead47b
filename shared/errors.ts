/**
 * The errors a person can meet, each with a code the code can switch on and a message a person
 * understands. Calls across the boundary never throw: they return a `Result`. Three codes are the
 * transport's own, for what a call over HTTP can lose on the way: the engine stopped answering
 * (`connection-lost`), the web host no longer knows the page's session (`session-expired`), or the
 * page was opened without one (`session-missing`).
 */

export const errorCodes = [
  'invalid-input',
  'not-found',
  'busy',
  'ollama-unreachable',
  'ollama-not-running',
  'model-missing',
  'model-unsuitable',
  'ollama-busy',
  'ollama-error',
  'stream-interrupted',
  'stream-stalled',
  'context-overflow',
  'host-not-allowed',
  'storage-corrupt',
  'storage-failed',
  'folder-in-use',
  'locked',
  'source-unreadable',
  'connection-lost',
  'session-expired',
  'session-missing',
  'download-failed',
  'sync-failed',
  'internal',
] as const;

export type ErrorCode = (typeof errorCodes)[number];

/** What crosses the boundary when a call fails. `field` names the wrong input, when one is. */
export interface KeelErrorInfo {
  code: ErrorCode;
  message: string;
  field?: string;
}

export type Result<T> = { ok: true; value: T } | { ok: false; error: KeelErrorInfo };

/** A failure with a code, thrown inside the engine and turned into a `Result` at the boundary. */
export class KeelError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;

  constructor(code: ErrorCode, message: string, options?: { field?: string; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'KeelError';
    this.code = code;
    this.field = options?.field;
  }

  toInfo(): KeelErrorInfo {
    return this.field === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, field: this.field };
  }
}

export function ok<T>(value: T): Result<T> {
  return { ok: true, value };
}

export function fail<T = never>(error: KeelErrorInfo): Result<T> {
  return { ok: false, error };
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (errorCodes as readonly string[]).includes(value);
}

/** Turns anything thrown into an error a person can read; unknown failures keep their text. */
export function toErrorInfo(error: unknown): KeelErrorInfo {
  if (error instanceof KeelError) return error.toInfo();
  const text = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: `Something went wrong inside Keel: ${text}` };
}

/** For switches over a closed set: the compiler proves every case is handled. */
export function missingCase(value: never): never {
  throw new Error(`Unhandled case: ${JSON.stringify(value)}`);
}

/** A short title for each code, used where the UI names the kind of failure. */
const errorTitles: Record<ErrorCode, string> = {
  'invalid-input': 'Check what you entered',
  'not-found': 'Not found',
  busy: 'Already working',
  'ollama-unreachable': 'Ollama cannot be reached',
  'ollama-not-running': 'Ollama is not running',
  'model-missing': 'Model not installed',
  'model-unsuitable': 'Model cannot do this',
  'ollama-busy': 'Ollama is busy',
  'ollama-error': 'Ollama reported an error',
  'stream-interrupted': 'The answer was cut off',
  'stream-stalled': 'The model stopped responding',
  'context-overflow': 'Too much for the model at once',
  'host-not-allowed': 'Host not allowed',
  'storage-corrupt': 'A data file is damaged',
  'storage-failed': 'Could not save',
  'folder-in-use': 'Data folder in use',
  locked: 'Keel is locked',
  'source-unreadable': 'A file could not be read',
  'connection-lost': 'Keel’s engine is not answering',
  'session-expired': 'Session expired',
  'session-missing': 'No Keel session',
  'download-failed': 'The download failed',
  'sync-failed': 'Sync did not go through',
  internal: 'Something went wrong',
};

export function errorTitle(code: ErrorCode): string {
  return errorTitles[code];
}
