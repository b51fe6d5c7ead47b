/**
 * The workspace's client for the loopback web host: the same `KeelApi` the desktop preload exposes,
 * built by iterating the contract's call names, so no call name is typed here.
 */
import {
  callNames,
  eventTypes,
  type KeelApi,
  type KeelEvent,
  type KeelEventListener,
  type UploadPurpose,
  type UploadReceipt,
} from '../../../shared/contract';
import { fail, isErrorCode, type Result } from '../../../shared/errors';

export const engineNotAnsweringMessage =
  "Keel's engine is not answering. Is the Keel web host still running?";
export const sessionExpiredMessage =
  'Your session with the Keel web host has expired. Reopen the link the web host printed when it started.';

function isKnownEventType(type: unknown): boolean {
  return (eventTypes as readonly unknown[]).includes(type);
}

/** How long to wait before opening the event stream again after the host closed it for good. */
const eventReconnectMs = 5_000;

interface EventSourceLike {
  onmessage: ((message: MessageEvent) => void) | null;
  onerror: ((event: Event) => void) | null;
  readonly readyState: number;
  close(): void;
}

export interface HttpKeelOptions {
  /** Where the web host listens; the workspace is served by it, so the default is the page's own origin. */
  baseUrl?: string;
  fetch?: typeof fetch;
  createEventSource?: (url: string) => EventSourceLike;
}

type AnyCall = (input: unknown) => Promise<Result<unknown>>;

export function createHttpKeel(options: HttpKeelOptions = {}): KeelApi {
  const baseUrl = options.baseUrl ?? '';
  // Looked up on each call rather than captured, so tests can stub the global after creating the client.
  const doFetch = (url: string, init: RequestInit) => (options.fetch ?? globalThis.fetch)(url, init);

  const calls: Record<string, AnyCall> = {};
  for (const name of callNames) {
    calls[name] = (input) => postCall(doFetch, `${baseUrl}/api/call/${name}`, input);
  }

  const events = createEventHub(
    `${baseUrl}/api/events`,
    options.createEventSource ?? ((url) => new EventSource(url)),
  );

  const upload = (data: Blob | ArrayBuffer, purpose: UploadPurpose) =>
    postUpload(doFetch, `${baseUrl}/api/upload?for=${purpose}`, data);

  return { ...calls, onEvent: events.subscribe, upload } as KeelApi;
}

/**
 * Sends a file as the request body itself (the browser streams a picked file from disk), never as
 * base64 inside JSON: a large archive would not fit in one string.
 */
async function postUpload(
  doFetch: (url: string, init: RequestInit) => Promise<Response>,
  url: string,
  data: Blob | ArrayBuffer,
): Promise<Result<UploadReceipt>> {
  let response: Response;
  try {
    response = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream' },
      body: data,
      credentials: 'same-origin',
    });
  } catch {
    return fail({ code: 'internal', message: engineNotAnsweringMessage });
  }
  return readResult(response) as Promise<Result<UploadReceipt>>;
}

async function postCall(
  doFetch: (url: string, init: RequestInit) => Promise<Response>,
  url: string,
  input: unknown,
): Promise<Result<unknown>> {
  let response: Response;
  try {
    response = await doFetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(input ?? {}),
      credentials: 'same-origin',
    });
  } catch {
    return fail({ code: 'internal', message: engineNotAnsweringMessage });
  }
  return readResult(response);
}

async function readResult(response: Response): Promise<Result<unknown>> {
  if (response.status === 401) return fail({ code: 'internal', message: sessionExpiredMessage });

  let body: unknown;
  try {
    body = await response.json();
  } catch {
    return fail({ code: 'internal', message: engineNotAnsweringMessage });
  }
  // The host may answer a refused call (bad input, too large) with its own coded error: keep it,
  // since its message says more than ours could.
  if (isResult(body) && (response.ok || !body.ok)) return body;
  return fail({ code: 'internal', message: engineNotAnsweringMessage });
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

/** One EventSource shared by every listener, opened with the first and closed with the last. */
function createEventHub(url: string, open: (url: string) => EventSourceLike) {
  const listeners = new Set<KeelEventListener>();
  let source: EventSourceLike | null = null;
  let reconnectTimer: ReturnType<typeof setTimeout> | null = null;

  const connect = () => {
    reconnectTimer = null;
    if (source || listeners.size === 0) return;
    const current = open(url);
    source = current;
    current.onmessage = (message) => {
      const event = parseEvent(message.data);
      if (!event) return;
      for (const listener of [...listeners]) listener(event);
    };
    current.onerror = () => {
      // EventSource retries by itself after a dropped connection; it gives up (CLOSED) only when the
      // host refused the stream, for instance after a restart. Then try again a little later.
      if (current.readyState !== 2 || source !== current) return;
      current.close();
      source = null;
      if (listeners.size > 0 && reconnectTimer === null)
        reconnectTimer = setTimeout(connect, eventReconnectMs);
    };
  };

  const subscribe = (listener: KeelEventListener) => {
    listeners.add(listener);
    connect();
    return () => {
      listeners.delete(listener);
      if (listeners.size > 0) return;
      source?.close();
      source = null;
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
