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
export function errorTitle(code: ErrorCode): string {
  switch (code) {
    case 'invalid-input':
      return 'Check what you entered';
    case 'not-found':
      return 'Not found';
    case 'busy':
      return 'Already working';
    case 'ollama-unreachable':
      return 'Ollama cannot be reached';
    case 'ollama-not-running':
      return 'Ollama is not running';
    case 'model-missing':
      return 'Model not installed';
    case 'model-unsuitable':
      return 'Model cannot do this';
    case 'ollama-busy':
      return 'Ollama is busy';
    case 'ollama-error':
      return 'Ollama reported an error';
    case 'stream-interrupted':
      return 'The answer was cut off';
    case 'stream-stalled':
      return 'The model stopped responding';
    case 'context-overflow':
      return 'Too much for the model at once';
    case 'host-not-allowed':
      return 'Host not allowed';
    case 'storage-corrupt':
      return 'A data file is damaged';
    case 'storage-failed':
      return 'Could not save';
    case 'folder-in-use':
      return 'Data folder in use';
    case 'locked':
      return 'Keel is locked';
    case 'source-unreadable':
      return 'A file could not be read';
    case 'connection-lost':
      return 'Keel’s engine is not answering';
    case 'session-expired':
      return 'Session expired';
    case 'session-missing':
      return 'No Keel session';
    case 'download-failed':
      return 'The download failed';
    case 'sync-failed':
      return 'Sync did not go through';
    case 'internal':
      return 'Something went wrong';
    default:
      return missingCase(code);
  }
}
