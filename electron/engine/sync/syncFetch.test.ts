import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { OutboundLog } from '../model/outboundFetch';
import { createSyncFetch } from './syncFetch';

let server: Server;
let origin: string;
beforeEach(async () => {
  server = createServer((request, response) => {
    if (request.url?.startsWith('/elsewhere')) {
      response.writeHead(307, { location: 'http://203.0.113.9/steal' }).end();
      return;
    }
    request.resume();
    request.on('end', () =>
      response.writeHead(201, { 'content-type': 'application/json' }).end('{"ok":true}'),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve));
});

describe('the way out to a sync server', () => {
  it('logs method, path and bytes of every request, never its body or query', async () => {
    const log = new OutboundLog();
    const fetch = createSyncFetch(origin, log);
    const response = await fetch(`${origin}/acme/kabc?rev=1-x`, { method: 'PUT', body: 'sealed bytes here' });
    expect(response.status).toBe(201);
    expect(log.list()).toEqual([
      expect.objectContaining({
        method: 'PUT',
        origin,
        path: '/acme/kabc',
        bytesSent: 17,
        bytesReceived: 11,
        status: 201,
      }),
    ]);
    expect(JSON.stringify(log.list())).not.toMatch(/sealed bytes|rev=/);
  });

  it('refuses any other host before sending, and never follows a redirect', async () => {
    const log = new OutboundLog();
    const fetch = createSyncFetch(origin, log);
    await expect(fetch('http://127.0.0.2:9/acme', { method: 'GET' })).rejects.toThrow(
      /this space syncs only with/,
    );
    await expect(fetch(`${origin}/elsewhere`, { method: 'GET' })).rejects.toThrow(
      /does not follow redirects/,
    );
    expect(log.list().map((record) => record.refused)).toEqual([true, true]);
  });
});
