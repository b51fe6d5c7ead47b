/**
 * Attacks on the web host's front door with hand-made requests (a browser would tidy some of these
 * up first, another local program does not): malformed percent-encoding, paths that read as another
 * host, and Host names under `.localhost`. Each must be answered plainly, with nothing served, no
 * redirect off this host and no crash.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Engine } from '../../electron/engine/Engine';
import { requestPath, startWebHost, type WebHost } from '../../electron/web/webHost';
import { startFakeOllama, type FakeOllama } from '../fixtures/fakeOllama';
import { openEngine, removeDir, tempDataDir } from '../helpers/engineHarness';

let dataDir: string;
let fake: FakeOllama;
let engine: Engine;
let host: WebHost;

beforeEach(async () => {
  dataDir = await tempDataDir();
  await mkdir(join(dataDir, 'renderer'), { recursive: true });
  await writeFile(join(dataDir, 'renderer', 'index.html'), '<!doctype html><title>Keel</title>');
  fake = await startFakeOllama();
  engine = await openEngine(join(dataDir, 'data'), fake.url);
  host = await startWebHost({ engine, rendererDir: join(dataDir, 'renderer') });
});

afterEach(async () => {
  vi.restoreAllMocks();
  await host.close();
  await engine.close();
  await fake.close();
  await removeDir(dataDir);
});

/** A request exactly as written: path and headers untouched. */
function raw(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(
      {
        host: '127.0.0.1',
        port: host.port,
        path,
        method: options.method ?? 'GET',
        headers: { host: `127.0.0.1:${host.port}`, ...options.headers },
      },
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

describe('malformed percent-encoding', () => {
  it('is a plain 400, not a 500 with a stack trace in the log', async () => {
    const logged = vi.spyOn(console, 'error');
    const call = await raw('/api/call/list%E0%A4%Spaces', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth() },
      body: '{}',
    });
    expect(call.status).toBe(400);
    expect(JSON.parse(call.body)).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    for (const path of ['/%E0%A4%A', '/assets/%ZZ.js', '/%']) {
      const file = await raw(path);
      expect(file.status).toBe(400);
      expect(file.body).not.toMatch(/URIError|at /);
    }
    expect(logged).not.toHaveBeenCalled();
    // And the host still answers.
    expect((await raw('/')).status).toBe(200);
  });
});

describe('paths that read as another host', () => {
  it('never redirect, least of all off this host', async () => {
    for (const path of [
      `/.//evil.example/?token=${host.token}`,
      `//evil.example/?token=${host.token}`,
      `/\\evil.example/?token=${host.token}`,
      `/%2F%2Fevil.example/`,
      `/.//evil.example`,
    ]) {
      const response = await raw(path, { headers: auth() });
      expect(response.status >= 300 && response.status < 400, `${path}: ${response.status}`).toBe(false);
      expect(response.status, path).toBeLessThan(500);
      expect(response.headers.location, path).toBeUndefined();
      expect(response.headers['set-cookie'], path).toBeUndefined();
    }
  });

  it('are read with their leading slashes collapsed into one', () => {
    expect(requestPath('/.//evil.example/?token=abc')).toBe('/evil.example/');
    expect(requestPath('//evil.example/x')).toBe('/evil.example/x');
    expect(requestPath('/\\\\evil.example')).toBe('/evil.example');
    expect(requestPath('http://evil.example/api/call/listSpaces')).not.toMatch(/^\/api\//);
    expect(requestPath('/api/call/listSpaces?x=1')).toBe('/api/call/listSpaces');
  });
});

describe('Host names under .localhost', () => {
  it('are refused, token or not: only 127.0.0.1 and localhost on this port are Keel', async () => {
    for (const name of [
      `evil.localhost:${host.port}`,
      `keel.localhost:${host.port}`,
      `127.0.0.1.evil.example:${host.port}`,
      `localhost.:${host.port}`,
    ]) {
      const response = await raw('/api/call/listSpaces', {
        method: 'POST',
        headers: { host: name, 'content-type': 'application/json', ...auth() },
        body: '{}',
      });
      expect(response.status, name).toBe(403);
      expect((await raw('/', { headers: { host: name } })).status, name).toBe(403);
    }
  });
});
