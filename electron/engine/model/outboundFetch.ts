/**
 * The engine's only way out to the network. Every request goes through this fetch, which refuses
 * any origin other than the configured model host before anything is sent, and records what left
 * the machine (Electron's webRequest never sees Node's fetch, so this is the one place to do it).
 *
 * Redirects are never followed: fetch would re-send the request, body and all (a 307 or 308 keeps the
 * person's prompt), to wherever the model host points, and the log would name only the first host.
 * A redirect answer is refused and logged with where it pointed. Model downloads go through this same
 * fetch (Ollama itself fetches the files), so there is no separate allow-list for them.
 */
import type { OutboundRecord } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';

export type { OutboundRecord };

export class OutboundLog {
  private readonly records: OutboundRecord[] = [];
  constructor(private readonly capacity = 1000) {}

  add(record: OutboundRecord): OutboundRecord {
    this.records.push(record);
    if (this.records.length > this.capacity) this.records.shift();
    return record;
  }

  list(): readonly OutboundRecord[] {
    return this.records;
  }
}

export function createOutboundFetch(allowedOrigin: string, log: OutboundLog): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const method = init?.method ?? (input instanceof Request ? input.method : 'GET');
    const body = typeof init?.body === 'string' ? init.body : '';
    const record = log.add({
      at: new Date().toISOString(),
      method,
      origin: url.origin,
      path: url.pathname,
      bytesSent: Buffer.byteLength(body),
      ...modelOf(body),
    });
    if (url.origin !== allowedOrigin) {
      record.refused = true;
      throw new KeelError(
        'host-not-allowed',
        `Keel refused to contact ${url.origin}: only the model host ${allowedOrigin} is allowed.`,
      );
    }
    const started = performance.now();
    const response = await fetch(url, { ...init, redirect: 'manual' });
    record.status = response.status;
    if (isRedirect(response.status)) {
      record.refused = true;
      record.durationMs = Math.round(performance.now() - started);
      const target = redirectTarget(response.headers.get('location'), url);
      record.redirectTo = target;
      await response.body?.cancel().catch(() => undefined);
      throw new KeelError(
        'host-not-allowed',
        `The model host ${url.origin} tried to send this request on to ${target}. Keel does not follow redirects, so nothing went there. Check the model host address (OLLAMA_HOST) or what is answering on it.`,
      );
    }
    record.bytesReceived = 0;
    if (!response.body) {
      record.durationMs = Math.round(performance.now() - started);
      return response;
    }
    // Count what comes back as it streams; the record is complete when the body ends.
    const counted = response.body.pipeThrough(
      new TransformStream<Uint8Array, Uint8Array>({
        transform(chunk, controller) {
          record.bytesReceived = (record.bytesReceived ?? 0) + chunk.byteLength;
          controller.enqueue(chunk);
        },
        flush() {
          record.durationMs = Math.round(performance.now() - started);
        },
      }),
    );
    return new Response(counted, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers,
    });
  };
}

function isRedirect(status: number): boolean {
  return status >= 300 && status < 400 && status !== 304;
}

/** Where a redirect pointed, as an origin and path (never its query, which may carry anything). */
function redirectTarget(location: string | null, from: URL): string {
  if (location === null) return 'another address';
  try {
    const target = new URL(location, from);
    return `${target.origin}${target.pathname}`;
  } catch {
    return 'an address that is not valid';
  }
}

function modelOf(body: string): { model?: string } {
  if (!body.startsWith('{')) return {};
  try {
    const parsed: unknown = JSON.parse(body);
    if (
      typeof parsed === 'object' &&
      parsed !== null &&
      'model' in parsed &&
      typeof parsed.model === 'string'
    ) {
      return { model: parsed.model };
    }
  } catch {
    // Not JSON: nothing to note.
  }
  return {};
}
