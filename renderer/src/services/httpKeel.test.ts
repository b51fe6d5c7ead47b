import { afterEach, describe, expect, it, vi } from 'vitest';
import { callNames, type KeelEvent } from '../../../shared/contract';
import {
  createHttpKeel as createHttpKeelWithOptions,
  engineNotAnsweringMessage,
  sessionExpiredMessage,
  sessionMissingMessage,
  type HttpKeelOptions,
} from './httpKeel';

const token = 'test-token-0123456789abcdef';
const createHttpKeel = (options: HttpKeelOptions = {}) => createHttpKeelWithOptions({ token, ...options });

function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('createHttpKeel', () => {
  it('without a session token sends nothing and says which address to open', async () => {
    const fetchMock = vi.fn(async () => jsonResponse({ ok: true, value: [] }));
    vi.stubGlobal('fetch', fetchMock);
    const keel = createHttpKeel({ token: null });
    expect(await keel.listSpaces({})).toEqual({
      ok: false,
      error: { code: 'internal', message: sessionMissingMessage },
    });
    keel.onEvent(vi.fn())();
    expect(fetchMock).not.toHaveBeenCalled();
    expect(sessionMissingMessage).toContain('#token=');
  });

  it('posts every call of the contract to /api/call/<name> and returns its Result', async () => {
    const fetchMock = vi.fn(async () => jsonResponse({ ok: true, value: 'answer' }));
    vi.stubGlobal('fetch', fetchMock);
    const keel = createHttpKeel() as unknown as Record<string, (input?: unknown) => Promise<unknown>>;

    for (const name of callNames) {
      fetchMock.mockClear();
      expect(await keel[name]?.({ probe: name })).toEqual({ ok: true, value: 'answer' });
      expect(fetchMock).toHaveBeenCalledWith(`/api/call/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ probe: name }),
        credentials: 'omit',
      });
    }
  });

  it('sends a file to /api/upload as the body itself, never as base64 in JSON', async () => {
    const fetchMock = vi.fn(async (_url: string, _init: RequestInit) =>
      jsonResponse({ ok: true, value: { file: 'up-aaaaaaaaaaaaaaaaaaaaaa', bytes: 10 } }),
    );
    vi.stubGlobal('fetch', fetchMock);
    const archive = new Blob(['PK archive']);
    const result = await createHttpKeel().upload(archive, 'archive');
    expect(result).toEqual({ ok: true, value: { file: 'up-aaaaaaaaaaaaaaaaaaaaaa', bytes: 10 } });
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('/api/upload?for=archive');
    expect(init.body).toBe(archive);
    expect(init.headers).toMatchObject({
      'content-type': 'application/octet-stream',
      authorization: `Bearer ${token}`,
    });
    expect(init.credentials).toBe('omit');
  });

  it('sends an empty object for calls without input', async () => {
    const fetchMock = vi.fn(async (_url: string, _init: RequestInit) =>
      jsonResponse({ ok: true, value: [] }),
    );
    vi.stubGlobal('fetch', fetchMock);
    const keel = createHttpKeel() as unknown as Record<string, (input?: unknown) => Promise<unknown>>;
    await keel.listSpaces?.();
    expect(fetchMock.mock.calls[0]?.[1].body).toBe('{}');
  });

  it('passes the engine’s coded errors through', async () => {
    const error = { code: 'model-missing', message: 'Run `ollama pull llama3.2`.' };
    vi.stubGlobal('fetch', async () => jsonResponse({ ok: false, error }));
    expect(await createHttpKeel().getModelStatus({})).toEqual({ ok: false, error });
  });

  it('keeps a coded refusal the host answered with an error status', async () => {
    const error = { code: 'invalid-input', message: 'The name cannot be empty.', field: 'name' };
    vi.stubGlobal('fetch', async () => jsonResponse({ ok: false, error }, 400));
    expect(await createHttpKeel().createSpace({ name: '' })).toEqual({ ok: false, error });
  });

  it('a network failure says the engine is not answering', async () => {
    vi.stubGlobal('fetch', async () => {
      throw new TypeError('Failed to fetch');
    });
    expect(await createHttpKeel().listSpaces({})).toEqual({
      ok: false,
      error: { code: 'internal', message: engineNotAnsweringMessage },
    });
    expect(engineNotAnsweringMessage).toContain('Is the Keel web host still running?');
  });

  it('a 401 says the session expired and how to get back in', async () => {
    vi.stubGlobal('fetch', async () => new Response('Unauthorized', { status: 401 }));
    const result = await createHttpKeel().listSpaces({});
    expect(result).toEqual({ ok: false, error: { code: 'internal', message: sessionExpiredMessage } });
    expect(sessionExpiredMessage).toMatch(/expired/);
    expect(sessionExpiredMessage).toMatch(/link the web host printed/);
  });

  it('any other non-2xx or a body that is not a Result reads as the engine not answering', async () => {
    vi.stubGlobal('fetch', async () => new Response('<html>Bad gateway</html>', { status: 502 }));
    expect(await createHttpKeel().listSpaces({})).toEqual({
      ok: false,
      error: { code: 'internal', message: engineNotAnsweringMessage },
    });
    vi.stubGlobal('fetch', async () => jsonResponse({ ok: 'maybe' }));
    expect((await createHttpKeel().listSpaces({})).ok).toBe(false);
    vi.stubGlobal('fetch', async () => jsonResponse({ ok: true, value: 1 }, 500));
    expect((await createHttpKeel().listSpaces({})).ok).toBe(false);
  });
});

describe('events', () => {
  /** A streaming `/api/events` answer the test writes into, as the host would. */
  function eventStream() {
    let controller!: ReadableStreamDefaultController<Uint8Array>;
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        controller = c;
      },
    });
    const encoder = new TextEncoder();
    return {
      response: new Response(body, { headers: { 'content-type': 'text/event-stream' } }),
      write: (text: string) => controller.enqueue(encoder.encode(text)),
      end: () => controller.close(),
    };
  }
  const settle = () => new Promise((resolve) => setTimeout(resolve, 10));

  it('shares one stream on /api/events, sent with the token, and hands listeners the parsed events', async () => {
    const stream = eventStream();
    let aborted = false;
    const fetchMock = vi.fn(async (_url: string, init: RequestInit) => {
      init.signal?.addEventListener('abort', () => (aborted = true));
      return stream.response;
    });
    vi.stubGlobal('fetch', fetchMock);
    const keel = createHttpKeel();
    const first = vi.fn();
    const second = vi.fn();
    const stopFirst = keel.onEvent(first);
    const stopSecond = keel.onEvent(second);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    expect(fetchMock.mock.calls[0]?.[0]).toBe('/api/events');
    expect(fetchMock.mock.calls[0]?.[1].headers).toMatchObject({ authorization: `Bearer ${token}` });
    expect(fetchMock.mock.calls[0]?.[1].credentials).toBe('omit');

    const event: KeelEvent = { type: 'turn.delta', loopId: 'loop-1', turnId: 'turn-1', text: 'Hi' };
    stream.write(': connected\n\n');
    // One event split across two chunks, as TCP may deliver it.
    const line = `data: ${JSON.stringify(event)}\n\n`;
    stream.write(line.slice(0, 20));
    stream.write(line.slice(20));
    stream.write('data: not json\n\n');
    stream.write(`data: ${JSON.stringify({ type: 'something.else' })}\r\n\r\n`);
    await settle();
    expect(first).toHaveBeenCalledTimes(1);
    expect(first).toHaveBeenCalledWith(event);
    expect(second).toHaveBeenCalledWith(event);

    stopFirst();
    expect(aborted).toBe(false);

    const progress: KeelEvent = {
      type: 'pull.progress',
      progress: {
        model: 'qwen3:4b',
        state: 'pulling',
        status: 'pulling manifest',
        completedBytes: 0,
        totalBytes: 0,
      },
    };
    const warmup: KeelEvent = {
      type: 'model.warmup',
      warmup: { model: 'llama3.2', state: 'loading', elapsedMs: 0 },
    };
    stream.write(`data: ${JSON.stringify(progress)}\n\ndata: ${JSON.stringify(warmup)}\n\n`);
    await settle();
    expect(second).toHaveBeenCalledWith(progress);
    expect(second).toHaveBeenCalledWith(warmup);
    stopSecond();
    expect(aborted).toBe(true);
  });

  it('opens the stream again after the host closed or refused it', async () => {
    vi.useFakeTimers();
    const streams: ReturnType<typeof eventStream>[] = [];
    const fetchMock = vi.fn(async () => {
      if (streams.length === 1) return new Response('Unauthorized', { status: 401 });
      const stream = eventStream();
      streams.push(stream);
      return stream.response;
    });
    vi.stubGlobal('fetch', fetchMock);
    const keel = createHttpKeel();
    const stop = keel.onEvent(vi.fn());
    expect(fetchMock).toHaveBeenCalledTimes(1);
    streams[0]?.end();
    await vi.advanceTimersByTimeAsync(999);
    expect(fetchMock).toHaveBeenCalledTimes(1);
    await vi.advanceTimersByTimeAsync(1);
    // The second try is refused: the next waits longer.
    expect(fetchMock).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(4_999);
    expect(fetchMock).toHaveBeenCalledTimes(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(fetchMock).toHaveBeenCalledTimes(3);
    stop();
    streams[1]?.end();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(fetchMock).toHaveBeenCalledTimes(3);
  });
});
