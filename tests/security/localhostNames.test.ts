/**
 * Attack: a model host written as a name under `.localhost` (`models.localhost:11434`) looks like this
 * machine, but Node asks the system resolver, and a DNS server may answer with any address. Keel used
 * to call such a host local (no consent asked) and send prompts wherever the answer pointed. Here the
 * resolver is made to answer 127.0.0.2, where "another machine" listens: it must receive nothing, and
 * Keel must reach the model host on 127.0.0.1. Real sockets, the real engine.
 */
import dns from 'node:dns';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Engine } from '../../electron/engine/Engine';
import { isLoopbackHostname, parseOllamaHost } from '../../electron/engine/model/ollamaHost';
import { startFakeOllama, type FakeOllama } from '../fixtures/fakeOllama';
import { openEngine, removeDir, tempDataDir, value } from '../helpers/engineHarness';

type LookupCallback = (error: Error | null, address: unknown, family?: number) => void;

const realLookup = dns.lookup;
let resolverAsked: string[];
let dataDir: string;
let elsewhere: Server;
let received: string[];
let fake: FakeOllama;
let engine: Engine | undefined;

beforeEach(async () => {
  dataDir = await tempDataDir();
  resolverAsked = [];
  // A resolver that answers every `.localhost` name with an address that is not this Keel's model host.
  (dns as { lookup: unknown }).lookup = (
    hostname: string,
    options: dns.LookupOptions | LookupCallback,
    callback?: LookupCallback,
  ) => {
    const done = typeof options === 'function' ? options : callback!;
    const opts = typeof options === 'function' ? {} : options;
    if (!hostname.endsWith('.localhost')) return realLookup(hostname, opts, done as never);
    resolverAsked.push(hostname);
    if (opts.all) process.nextTick(done, null, [{ address: '127.0.0.2', family: 4 }]);
    else process.nextTick(done, null, '127.0.0.2', 4);
  };
  received = [];
  elsewhere = createServer((request, response) => {
    received.push(`${request.method} ${request.url}`);
    response.end('{}');
  });
  await new Promise<void>((resolve) => elsewhere.listen(0, '127.0.0.2', resolve));
  // The real model host, on the same port of 127.0.0.1.
  fake = await startFakeOllama({ port: (elsewhere.address() as AddressInfo).port });
});

afterEach(async () => {
  (dns as { lookup: unknown }).lookup = realLookup;
  await engine?.close();
  engine = undefined;
  elsewhere.closeAllConnections();
  await new Promise<void>((resolve) => elsewhere.close(() => resolve()));
  await fake.close();
  await removeDir(dataDir);
});

describe('a model host named under .localhost', () => {
  it('is reached on 127.0.0.1 by Keel itself, whatever a resolver answers', async () => {
    engine = await openEngine(join(dataDir, 'data'), `models.localhost:${fake.port}`);
    const status = value(await engine.call('getModelStatus', {}));
    expect(received).toEqual([]);
    expect(status.connection).toBe('connected');
    expect(status.hostIsLocal).toBe(true);
    expect(fake.requests.length).toBeGreaterThan(0);
    expect(received).toEqual([]);
    expect(resolverAsked).toEqual([]);
    expect(parseOllamaHost(`models.localhost:${fake.port}`)).toMatchObject({
      origin: `http://127.0.0.1:${fake.port}`,
      isLocal: true,
    });
    const log = value(await engine.call('getOutboundLog', {}));
    expect(log.every((record) => record.origin === `http://127.0.0.1:${fake.port}`)).toBe(true);
  });

  it('is not called local by its name alone', () => {
    expect(isLoopbackHostname('models.localhost')).toBe(false);
    expect(isLoopbackHostname('localhost')).toBe(true);
    expect(isLoopbackHostname('127.0.0.1')).toBe(true);
  });
});
