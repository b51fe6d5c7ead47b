/**
 * The engine's only way out to the network. Every request goes through this fetch, which refuses
 * any origin other than the configured model host before anything is sent, and records what left
 * the machine (Electron's webRequest never sees Node's fetch, so this is the one place to do it).
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
    const response = await fetch(url, init);
    record.status = response.status;
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
