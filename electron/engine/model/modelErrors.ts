/**
 * Turns whatever the `ollama` client or Node's fetch threw into a KeelError a person can act on.
 * The client throws a `ResponseError` (name only; the class is not exported) with `status_code` for
 * non-2xx answers, a plain Error with Ollama's text for an `{"error"}` line inside a stream, and
 * "Did not receive done or success response in stream." when a stream ends early; fetch throws
 * `TypeError('fetch failed')` with the socket error as its cause.
 */
import { KeelError } from '../../../shared/errors';
import type { OllamaHost } from './ollamaHost';

const endedEarly = 'Did not receive done or success response in stream.';

export function toModelError(error: unknown, host: OllamaHost, model: string): KeelError {
  if (error instanceof KeelError) return error;
  const status = responseStatus(error);
  const text = error instanceof Error ? error.message : String(error);
  if (status !== undefined) return fromStatus(status, text, model);
  const code = socketCode(error);
  if (code === 'ECONNREFUSED' && host.isLocal) {
    return new KeelError(
      'ollama-not-running',
      `Ollama is not running at ${host.origin}. Start the Ollama app (or run \`ollama serve\` in a terminal), then retry.`,
      { cause: error },
    );
  }
  if (
    code &&
    /^(ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ETIMEDOUT|EHOSTUNREACH|ENETUNREACH|UND_ERR_CONNECT_TIMEOUT)$/.test(
      code,
    )
  ) {
    return new KeelError(
      'ollama-unreachable',
      `Keel could not reach the model host ${host.origin} (${code}). Check that Ollama runs there and that the address is right, then retry.`,
      { cause: error },
    );
  }
  if (text === endedEarly || code === 'UND_ERR_SOCKET' || code === 'ECONNRESET' || text === 'terminated') {
    return new KeelError(
      'stream-interrupted',
      'The connection to Ollama broke before the answer was finished. What arrived is kept; retry to ask again.',
      { cause: error },
    );
  }
  if (code === 'UND_ERR_HEADERS_TIMEOUT') {
    return new KeelError(
      'stream-stalled',
      'Ollama did not start answering within five minutes. The model may still be loading; retry in a moment.',
      { cause: error },
    );
  }
  if (error instanceof Error && error.name === 'Error' && error.cause === undefined) {
    return new KeelError(
      'ollama-error',
      `Ollama stopped with an error: ${text}. What arrived is kept; retry to ask again.`,
      { cause: error },
    );
  }
  return new KeelError('ollama-error', `Talking to Ollama failed: ${text}.`, { cause: error });
}

function fromStatus(status: number, text: string, model: string): KeelError {
  if (status === 404 && /not found/i.test(text)) {
    return new KeelError(
      'model-missing',
      `The model "${model}" is not installed in Ollama. Run \`ollama pull ${model}\` in a terminal (or pick another model), then retry.`,
    );
  }
  if (status === 503 || status === 429) {
    return new KeelError('ollama-busy', 'Ollama is busy with too many requests. Wait a moment, then retry.');
  }
  if (status === 400 && /does not support/i.test(text)) {
    return new KeelError(
      'model-unsuitable',
      `The model "${model}" cannot do this: ${text}. Pick another model.`,
    );
  }
  return new KeelError(
    'ollama-error',
    `Ollama answered with an error (${status}): ${text}. Retry; if it keeps happening, restart Ollama.`,
  );
}

function responseStatus(error: unknown): number | undefined {
  if (error instanceof Error && error.name === 'ResponseError' && 'status_code' in error) {
    const status = error.status_code;
    return typeof status === 'number' ? status : undefined;
  }
  return undefined;
}

/** The socket error code, looking through fetch's `cause` chain. */
function socketCode(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 4 && current instanceof Error; depth += 1) {
    if ('code' in current && typeof current.code === 'string') return current.code;
    current = current.cause;
  }
  return undefined;
}
