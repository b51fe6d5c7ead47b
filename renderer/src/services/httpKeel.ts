/**
 * The workspace's client for the loopback web host: the same `KeelApi` the desktop preload exposes,
 * built by iterating the contract's call names, so no call name is typed here. Every request carries
 * the session token as `Authorization: Bearer` (never a cookie; where the page keeps it: webSessionToken.ts), so events are
 * read with a streaming `fetch` rather than EventSource, which cannot send a header.
 */
import {
  callNames,
  callPath,
  eventTypes,
  type KeelApi,
  type KeelEvent,
  type KeelEventListener,
  type UploadPurpose,
  type UploadReceipt,
} from '../../../shared/contract';
import { fail, isErrorCode, type Result } from '../../../shared/errors';
import { readSessionToken } from './webSessionToken';

export const engineNotAnsweringMessage =
  "Keel's engine is not answering. Is the Keel web host still running?";
export const sessionExpiredMessage =
  'Your session with the Keel web host has expired. Reopen the link the web host printed when it started.';
export const sessionMissingMessage =
  'This page has no Keel session. Open the address that `npm run web` printed (it ends in #token=…).';

function isKnownEventType(type: unknown): boolean {
  return (eventTypes as readonly unknown[]).includes(type);
}

/** How long to wait before opening the event stream again: soon after a drop, longer after a refusal. */
const eventReconnectMs = { dropped: 1_000, refused: 5_000 };

export interface HttpKeelOptions {
  /** Where the web host listens; the workspace is served by it, so the default is the page's own origin. */
  baseUrl?: string;
  fetch?: typeof fetch;
  /** The session token; by default the one the page was opened with (see webSessionToken.ts). */
  token?: string | null;
}

type AnyCall = (input: unknown) => Promise<Result<unknown>>;

export function createHttpKeel(options: HttpKeelOptions = {}): KeelApi {
  const baseUrl = options.baseUrl ?? '';
  // Looked up on each call rather than captured, so tests can stub the global after creating the client.
  const doFetch = (url: string, init: RequestInit) => (options.fetch ?? globalThis.fetch)(url, init);
  const token = options.token === undefined ? readSessionToken() : options.token;

  /** A POST with the session header (every request has it; no cookie), read as a `Result`. */
  const post = async (path: string, contentType: string, body: BodyInit): Promise<Result<unknown>> => {
    if (token === null) return fail({ code: 'session-missing', message: sessionMissingMessage });
    let response: Response;
    try {
      response = await doFetch(`${baseUrl}${path}`, {
        method: 'POST',
        headers: { 'content-type': contentType, authorization: `Bearer ${token}` },
        body,
        credentials: 'omit',
      });
    } catch {
      return fail({ code: 'connection-lost', message: engineNotAnsweringMessage });
    }
    return readResult(response);
  };

  const calls: Record<string, AnyCall> = {};
  for (const name of callNames) {
    calls[name] = (input) => post(callPath(name), 'application/json', JSON.stringify(input ?? {}));
  }

  const events = createEventHub(`${baseUrl}/api/events`, doFetch, token);

  // A file goes as the request body itself (the browser streams a picked file from disk), never as
  // base64 inside JSON: a large archive would not fit in one string.
  const upload = (data: Blob | ArrayBuffer, purpose: UploadPurpose) =>
    post(`/api/upload?for=${purpose}`, 'application/octet-stream', data) as Promise<Result<UploadReceipt>>;

  const download = async (file: string): Promise<Result<Blob>> => {
    if (token === null) return fail({ code: 'session-missing', message: sessionMissingMessage });
    let response: Response;
    try {
      response = await doFetch(`${baseUrl}/api/download?file=${encodeURIComponent(file)}`, {
        method: 'GET',
        headers: { authorization: `Bearer ${token}` },
        credentials: 'omit',
      });
    } catch {
      return fail({ code: 'connection-lost', message: engineNotAnsweringMessage });
    }
    if (!response.ok) return readResult(response) as Promise<Result<Blob>>;
    return { ok: true, value: await response.blob() };
  };

  return { ...calls, onEvent: events.subscribe, upload, download } as KeelApi;
}

async function readResult(response: Response): Promise<Result<unknown>> {
  if (response.status === 401) return fail({ code: 'session-expired', message: sessionExpiredMessage });

  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return fail({ code: 'connection-lost', message: engineNotAnsweringMessage });
  }
  // The host may answer a refused call (bad input, too large) with its own coded error: keep it,
  // since its message says more than ours could.
  if (isResult(body) && (response.ok || !body.ok)) return body;
  return fail({ code: 'connection-lost', message: engineNotAnsweringMessage });
}

function isResult(value: unknown): value is Result<unknown> {
  if (typeof value !== 'object' || value === null || !('ok' in value)) return false;
  if (value.ok === true) return 'value' in value;
  if (value.ok !== false || !('error' in value)) return false;
  const error = value.error;
  return (
    typeof error === 'object' &&
    error !== null &&
    'code' in error &&
    isErrorCode(error.code) &&
    'message' in error &&
    typeof error.message === 'string'
  );
}

/**
 * One event stream shared by every listener, opened with the first and closed with the last. It is a
 * streaming `fetch` of `text/event-stream` (so it can carry the token header), read block by block;
 * when the host drops or refuses it, it is opened again a little later.
 */
function createEventHub(
  url: string,
  doFetch: (url: string, init: RequestInit) => Promise<Response>,
  token: string | null,
) {
  const listeners = new Set<KeelEventListener>();
  let stream: AbortController | null = null;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;

  const dispatch = (data: string) => {
    const event = parseEvent(data);
    if (!event) return;
    for (const listener of [...listeners]) listener(event);
  };

  const read = async (current: AbortController): Promise<'dropped' | 'refused'> => {
    let response: Response;
    try {
      response = await doFetch(url, {
        headers: { accept: 'text/event-stream', authorization: `Bearer ${token}` },
        credentials: 'omit',
        cache: 'no-store',
        signal: current.signal,
      });
    } catch {
      return 'refused';
    }
    if (!response.ok || !response.body) return 'refused';
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = '';
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value.replaceAll('\r\n', '\n');
        const blocks = buffer.split('\n\n');
        buffer = blocks.pop() ?? '';
        for (const block of blocks) {
          const data = block
            .split('\n')
            .filter((line) => line.startsWith('data:'))
            .map((line) => line.slice(line.startsWith('data: ') ? 6 : 5));
          if (data.length > 0) dispatch(data.join('\n'));
        }
      }
    } catch {
      // Dropped mid-stream (or closed by the last listener): handled below.
    }
    return 'dropped';
  };

  const connect = () => {
    reconnectTimer = null;
    if (stream || listeners.size === 0 || token === null) return;
    const current = new AbortController();
    stream = current;
    void read(current).then((ending) => {
      if (stream !== current) return;
      stream = null;
      if (listeners.size > 0 && reconnectTimer === null)
        reconnectTimer = setTimeout(connect, eventReconnectMs[ending]);
    });
  };

  const subscribe = (listener: KeelEventListener) => {
    listeners.add(listener);
    connect();
    return () => {
      listeners.delete(listener);
      if (listeners.size > 0) return;
      stream?.abort();
      stream = null;
      if (reconnectTimer !== null) clearTimeout(reconnectTimer);
      reconnectTimer = null;
    };
  };

  return { subscribe };
}

function parseEvent(data: unknown): KeelEvent | null {
  if (typeof data !== 'string') return null;
  try {
    const parsed: unknown = JSON.parse(data);
    if (typeof parsed === 'object' && parsed !== null && 'type' in parsed && isKnownEventType(parsed.type)) {
      return parsed as KeelEvent;
    }
  } catch {
    // A malformed message is dropped: the next one carries on.
  }
  return null;
}
