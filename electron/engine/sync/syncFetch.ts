/**
 * The way out to one space's sync server. Like the model host's fetch (model/outboundFetch.ts), it
 * refuses every other origin before anything is sent, never follows a redirect, and records every
 * request in the outbound log: method, host, path and bytes, never the body (which is sealed anyway)
 * and never the query. The server is allowed only for the space that syncs with it.
 */
import { KeelError } from '../../../shared/errors';
import type { OutboundLog } from '../model/outboundFetch';

type FetchInput = string | URL | Request;

export function createSyncFetch(allowedOrigin: string, log: OutboundLog, timeoutMs = 60_000): typeof fetch {
  return async (input: FetchInput, init?: RequestInit) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    const record = log.add({
      at: new Date().toISOString(),
      method,
      origin: url.origin,
      path: url.pathname,
      bytesSent: bodyBytes(init?.body),
    });
    if (url.origin !== allowedOrigin) {
      record.refused = true;
      throw new KeelError(
        'host-not-allowed',
        `Keel refused to contact ${url.origin}: this space syncs only with ${allowedOrigin}.`,
      );
    }
    const started = performance.now();
    // Live change feeds wait on the server for a while by design; anything else gets a time limit.
    const longPoll = url.pathname.endsWith('/_changes') && url.searchParams.get('feed') === 'longpoll';
    const signals = [init?.signal, longPoll ? undefined : AbortSignal.timeout(timeoutMs)].filter(
      (signal): signal is AbortSignal => signal instanceof AbortSignal,
    );
    const response = await fetch(url, {
      ...init,
      headers: plainHeaders(init?.headers),
      redirect: 'manual',
      ...(signals.length > 0 ? { signal: AbortSignal.any(signals) } : {}),
    });
    record.status = response.status;
    if (response.status >= 300 && response.status < 400 && response.status !== 304) {
      record.refused = true;
      await response.body?.cancel().catch(() => undefined);
      throw new KeelError(
        'sync-failed',
        `The sync server ${url.origin} tried to send this request elsewhere. Keel does not follow redirects: check the server address.`,
      );
    }
    const bytes = Buffer.from(await response.arrayBuffer());
    record.bytesReceived = bytes.length;
    record.durationMs = Math.round(performance.now() - started);
    const answer = new Response(bytes.length > 0 ? bytes : null, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
    // PouchDB reads an attachment with `buffer()` when the answer has one (node-fetch's); without it,
    // it takes a Blob that its Node code then turns into the text "[object Blob]".
    return Object.assign(answer, { buffer: async () => bytes });
  };
}

function bodyBytes(body: unknown): number {
  if (typeof body === 'string') return Buffer.byteLength(body);
  if (body instanceof ArrayBuffer) return body.byteLength;
  if (ArrayBuffer.isView(body)) return body.byteLength;
  if (body instanceof Blob) return body.size;
  return 0;
}

/** PouchDB hands over its own Headers class (node-fetch's); Node's fetch wants a plain record. */
function plainHeaders(headers: unknown): Record<string, string> {
  const result: Record<string, string> = {};
  if (headers && typeof headers === 'object') {
    const withForEach = headers as { forEach?: (callback: (value: string, name: string) => void) => void };
    if (typeof withForEach.forEach === 'function')
      withForEach.forEach((value, name) => (result[name] = value));
    else Object.assign(result, headers);
  }
  return result;
}
