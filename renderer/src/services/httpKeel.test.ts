import { afterEach, describe, expect, it, vi } from 'vitest';
import { callNames, type KeelEvent } from '../../../shared/contract';
import { createHttpKeel, engineNotAnsweringMessage, sessionExpiredMessage } from './httpKeel';

function jsonResponse(body: unknown, status = 200): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('createHttpKeel', () => {
  it('posts every call of the contract to /api/call/<name> and returns its Result', async () => {
    const fetchMock = vi.fn(async () => jsonResponse({ ok: true, value: 'answer' }));
    vi.stubGlobal('fetch', fetchMock);
    const keel = createHttpKeel() as unknown as Record<string, (input?: unknown) => Promise<unknown>>;

    for (const name of callNames) {
      fetchMock.mockClear();
      expect(await keel[name]?.({ probe: name })).toEqual({ ok: true, value: 'answer' });
      expect(fetchMock).toHaveBeenCalledWith(`/api/call/${name}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ probe: name }),
        credentials: 'same-origin',
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
    expect(init.headers).toMatchObject({ 'content-type': 'application/octet-stream' });
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
  class FakeEventSource {
    static instances: FakeEventSource[] = [];
    onmessage: ((message: MessageEvent) => void) | null = null;
    onerror: ((event: Event) => void) | null = null;
    readyState = 1;
    closed = false;
    constructor(readonly url: string) {
      FakeEventSource.instances.push(this);
    }
    close() {
      this.closed = true;
      this.readyState = 2;
    }
    send(data: string) {
      this.onmessage?.({ data } as MessageEvent);
    }
  }

  it('shares one EventSource on /api/events and hands listeners the parsed events', () => {
    FakeEventSource.instances = [];
    vi.stubGlobal('EventSource', FakeEventSource);
    const keel = createHttpKeel();
    const first = vi.fn();
    const second = vi.fn();
    const stopFirst = keel.onEvent(first);
    const stopSecond = keel.onEvent(second);
    expect(FakeEventSource.instances).toHaveLength(1);
    const source = FakeEventSource.instances[0];
    expect(source?.url).toBe('/api/events');

    const event: KeelEvent = { type: 'turn.delta', loopId: 'loop-1', turnId: 'turn-1', text: 'Hi' };
    source?.send(JSON.stringify(event));
    source?.send('not json');
    source?.send(JSON.stringify({ type: 'something.else' }));
    expect(first).toHaveBeenCalledTimes(1);
    expect(first).toHaveBeenCalledWith(event);
    expect(second).toHaveBeenCalledWith(event);

    stopFirst();
    expect(source?.closed).toBe(false);

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
    source?.send(JSON.stringify(progress));
    source?.send(JSON.stringify(warmup));
    expect(second).toHaveBeenCalledWith(progress);
    expect(second).toHaveBeenCalledWith(warmup);
    stopSecond();
    expect(source?.closed).toBe(true);
  });

  it('opens the stream again after the host closed it', () => {
    vi.useFakeTimers();
    FakeEventSource.instances = [];
    vi.stubGlobal('EventSource', FakeEventSource);
    const keel = createHttpKeel();
    keel.onEvent(vi.fn());
    const source = FakeEventSource.instances[0];
    if (!source) throw new Error('no event source');
    source.readyState = 2;
    source.onerror?.(new Event('error'));
    expect(FakeEventSource.instances).toHaveLength(1);
    vi.advanceTimersByTime(5_000);
    expect(FakeEventSource.instances).toHaveLength(2);
  });
});
