import { mkdir, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { KeelEvent } from '../../shared/contract';
import { startFakeOllama, type FakeOllama } from '../../tests/fixtures/fakeOllama';
import { openEngine, removeDir, tempDataDir } from '../../tests/helpers/engineHarness';
import type { Engine } from '../engine/Engine';
import { startWebHost, type WebHost } from './webHost';

let dataDir: string;
let fake: FakeOllama;
let engine: Engine;
let host: WebHost;
let base: string;

beforeEach(async () => {
  dataDir = await tempDataDir();
  const rendererDir = join(dataDir, 'renderer');
  await mkdir(join(rendererDir, 'assets'), { recursive: true });
  await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Keel</title>');
  await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
  await writeFile(join(dataDir, 'secret.txt'), 'do not serve');
  fake = await startFakeOllama();
  engine = await openEngine(join(dataDir, 'data'), fake.url);
  host = await startWebHost({ engine, rendererDir });
  base = `http://127.0.0.1:${host.port}`;
});

afterEach(async () => {
  await host.close();
  await engine.close();
  await fake.close();
  await removeDir(dataDir);
});

/** A raw request, so tests can send the headers a hostile page or a rebinding attack would. */
function raw(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      { host: '127.0.0.1', port: host.port, path, method: options.method ?? 'GET', headers: options.headers },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end(options.body);
  });
}

const auth = () => ({ authorization: `Bearer ${host.token}` });

function postCall(name: string, input: unknown, headers: Record<string, string> = auth()) {
  return fetch(`${base}/api/call/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(input),
  });
}

describe('the token', () => {
  it('is required on every API route: no token or a wrong one gets 401', async () => {
    expect((await postCall('listSpaces', {}, {})).status).toBe(401);
    expect((await postCall('listSpaces', {}, { authorization: 'Bearer nope' })).status).toBe(401);
    expect((await postCall('listSpaces', {}, { authorization: host.token })).status).toBe(401);
    expect((await fetch(`${base}/api/events`)).status).toBe(401);
    expect((await fetch(`${base}/api/no-such-route`)).status).toBe(401);
    expect((await postCall('listSpaces', {})).status).toBe(200);
  });

  it('is printed in the fragment, which no browser sends to a server', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/#token=${host.token}`);
  });

  it('is never taken from a cookie or the query string, and never set as a cookie', async () => {
    const cookie = await postCall('listSpaces', {}, { cookie: `keel_session_${host.port}=${host.token}` });
    expect(cookie.status).toBe(401);
    const query = await fetch(`${base}/api/call/listSpaces?token=${host.token}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    expect(query.status).toBe(401);
    for (const path of ['/', `/?token=${host.token}`, '/assets/app.js']) {
      const response = await fetch(`${base}${path}`, { redirect: 'manual' });
      expect(response.headers.get('set-cookie')).toBeNull();
    }
    expect((await postCall('listSpaces', {})).headers.get('set-cookie')).toBeNull();
  });

  it('is not needed for the workspace page itself, which holds no data', async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Keel</title>');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(page.headers.get('access-control-allow-origin')).toBeNull();
  });
});

describe('hostile requests', () => {
  it('refuses a Host header other than its own loopback address (DNS rebinding)', async () => {
    for (const name of ['evil.example:' + host.port, `127.0.0.1:${host.port + 1}`, 'localhost']) {
      const response = await raw('/api/call/listSpaces', {
        method: 'POST',
        headers: { host: name, 'content-type': 'application/json', ...auth() },
        body: '{}',
      });
      expect(response.status).toBe(403);
    }
    const ok = await raw('/', { headers: { host: `localhost:${host.port}`, ...auth() } });
    expect(ok.status).toBe(200);
  });

  it("refuses another site's Origin even with a valid token", async () => {
    const response = await raw('/api/call/createSpace', {
      method: 'POST',
      headers: {
        host: `127.0.0.1:${host.port}`,
        origin: 'https://evil.example',
        'content-type': 'application/json',
        ...auth(),
      },
      body: JSON.stringify({ name: 'Planted' }),
    });
    expect(response.status).toBe(403);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    const crossSite = await raw('/api/call/listSpaces', {
      method: 'POST',
      headers: {
        host: `127.0.0.1:${host.port}`,
        'sec-fetch-site': 'cross-site',
        'content-type': 'application/json',
        ...auth(),
      },
      body: '{}',
    });
    expect(crossSite.status).toBe(403);
    const spaces = await engine.call('listSpaces', {});
    expect(spaces).toEqual({ ok: true, value: [] });
  });

  it('refuses form posts that are not JSON, and bodies over the size limit', async () => {
    const form = await fetch(`${base}/api/call/createSpace`, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', ...auth() },
      body: '{"name":"x"}',
    });
    expect(form.status).toBe(415);
    const huge = await postCall('addTurn', { loopId: 'lp-x', text: 'x'.repeat(1_200_000) });
    expect(huge.status).toBe(413);
    expect(await huge.json()).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('takes a source file larger than other calls may be, as an upload of its bytes', async () => {
    const space = (await (await postCall('createSpace', { name: 'Acme' })).json()) as {
      value: { id: string };
    };
    const text = 'Quarterly figures for the Rotterdam depot. '.repeat(60_000);
    const uploaded = await fetch(`${base}/api/upload?for=source`, {
      method: 'POST',
      headers: { 'content-type': 'application/octet-stream', ...auth() },
      body: Buffer.from(text),
    });
    expect(uploaded.status).toBe(200);
    const receipt = (await uploaded.json()) as { ok: true; value: { file: string; bytes: number } };
    expect(receipt.value.bytes).toBe(text.length);
    const response = await postCall('addSource', {
      spaceId: space.value.id,
      fileName: 'figures.txt',
      file: receipt.value.file,
    });
    expect(response.status).toBe(200);
    expect(await response.json()).toMatchObject({
      ok: true,
      value: { alreadyAdded: false, source: { name: 'figures.txt', bytes: text.length } },
    });
  });

  it('serves only files inside the workspace folder', async () => {
    expect(
      (await raw('/../secret.txt', { headers: { host: `127.0.0.1:${host.port}`, ...auth() } })).status,
    ).toBe(404);
    expect(
      (await raw('/%2e%2e/secret.txt', { headers: { host: `127.0.0.1:${host.port}`, ...auth() } })).status,
    ).toBe(404);
    const script = await raw('/assets/app.js', { headers: { host: `127.0.0.1:${host.port}`, ...auth() } });
    expect(script.status).toBe(200);
    expect(script.headers['content-type']).toContain('text/javascript');
  });
});

describe('the contract over HTTP', () => {
  it('runs calls and answers bad input with invalid-input', async () => {
    const created = (await (await postCall('createSpace', { name: 'Journal', kind: 'journal' })).json()) as {
      ok: boolean;
      value: { name: string };
    };
    expect(created).toMatchObject({ ok: true, value: { name: 'Journal', kind: 'journal' } });
    const bad = await (await postCall('createSpace', { name: 42 })).json();
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'name' } });
    const unknown = await (await postCall('deleteEverything', {})).json();
    expect(unknown).toMatchObject({ ok: false, error: { code: 'invalid-input', field: 'call' } });
    const notJson = await fetch(`${base}/api/call/listSpaces`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth() },
      body: '{oops',
    });
    expect(await notJson.json()).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
  });

  it('streams engine events as server-sent events', async () => {
    const space = await engine.call('createSpace', { name: 'S' });
    if (!space.ok) throw new Error('no space');
    const loop = await engine.call('createLoop', { spaceId: space.value.id, title: 'L' });
    if (!loop.ok) throw new Error('no loop');
    fake.queueReply({ text: 'first second third' });

    const controller = new AbortController();
    const stream = await fetch(`${base}/api/events`, { headers: auth(), signal: controller.signal });
    expect(stream.headers.get('content-type')).toContain('text/event-stream');
    const reader = stream.body!.getReader();
    const events: KeelEvent[] = [];
    let buffer = '';
    await postCall('requestMove', { loopId: loop.value.id, move: 'explore' });
    while (!events.some((event) => event.type === 'turn.finished')) {
      const { value, done } = await reader.read();
      if (done) break;
      buffer += new TextDecoder().decode(value);
      const blocks = buffer.split('\n\n');
      buffer = blocks.pop() ?? '';
      for (const block of blocks) {
        const data = block.split('\n').find((line) => line.startsWith('data: '));
        if (data) events.push(JSON.parse(data.slice(6)) as KeelEvent);
      }
    }
    controller.abort();
    expect(events.map((event) => event.type)).toContain('turn.started');
    const text = events.map((event) => (event.type === 'turn.delta' ? event.text : '')).join('');
    expect(text).toBe('first second third');
  });
});
