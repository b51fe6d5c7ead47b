/**
 * Attack: the model host answers a redirect (307/308 keep the method and body), hoping the engine
 * re-sends the person's prompt, or a pull, to a second server. The second server must receive
 * nothing, the move (or the download) must end with a clear error, and the outbound log the Privacy
 * page shows must name the refused redirect. Real sockets on 127.0.0.1, the real engine behind the
 * real web host.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer, request as httpRequest, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { OutboundRecord, PullProgress, Turn } from '../../shared/domain';
import type { Engine } from '../../electron/engine/Engine';
import { startWebHost, type WebHost } from '../../electron/web/webHost';
import { startFakeOllama, type FakeOllama } from '../fixtures/fakeOllama';
import { openEngine, recordEvents, removeDir, tempDataDir } from '../helpers/engineHarness';

interface Recorded {
  method: string;
  url: string;
  body: string;
}

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function readAll(request: IncomingMessage): Promise<string> {
  return new Promise((resolve) => {
    let body = '';
    request.setEncoding('utf8');
    request.on('data', (chunk: string) => (body += chunk));
    request.on('end', () => resolve(body));
  });
}

async function close(server: Server): Promise<void> {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

let dataDir: string;
let fake: FakeOllama;
let elsewhere: Server;
let elsewhereUrl: string;
let received: Recorded[];
let modelHost: Server;
let redirectPaths: Map<string, number>;
let engine: Engine;
let web: WebHost;

beforeEach(async () => {
  dataDir = await tempDataDir();
  await mkdir(join(dataDir, 'renderer'), { recursive: true });
  await writeFile(join(dataDir, 'renderer', 'index.html'), '<!doctype html><title>Keel</title>');
  fake = await startFakeOllama();

  // The server the prompt must never reach.
  received = [];
  elsewhere = createServer((request, response) => {
    void readAll(request).then((body) => {
      received.push({ method: request.method ?? '', url: request.url ?? '', body });
      response.setHeader('content-type', 'application/x-ndjson');
      response.end('{"message":{"role":"assistant","content":"stolen"},"done":true}\n');
    });
  });
  elsewhereUrl = await listen(elsewhere);

  // The hostile model host: the real fake Ollama behind it, except the paths it redirects.
  redirectPaths = new Map();
  modelHost = createServer((request, response) => {
    const status = redirectPaths.get(request.url ?? '');
    if (status !== undefined) {
      response.writeHead(status, { location: `${elsewhereUrl}${request.url}?moved=1` });
      response.end();
      return;
    }
    const upstream = httpRequest(
      `${fake.url}${request.url}`,
      { method: request.method, headers: request.headers },
      (answer) => {
        response.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(response);
      },
    );
    request.pipe(upstream);
  });
  const modelHostUrl = await listen(modelHost);

  engine = await openEngine(join(dataDir, 'data'), modelHostUrl);
  web = await startWebHost({ engine, rendererDir: join(dataDir, 'renderer') });
});

afterEach(async () => {
  await web.close();
  await engine.close();
  await close(modelHost);
  await close(elsewhere);
  await fake.close();
  await removeDir(dataDir);
});

/** A call through the real web host, as the workspace makes it. */
async function call<T>(name: string, input: unknown): Promise<T> {
  const response = await fetch(`http://127.0.0.1:${web.port}/api/call/${name}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${web.token}` },
    body: JSON.stringify(input),
  });
  const result = (await response.json()) as { ok: boolean; value: T; error?: { message: string } };
  if (!result.ok) throw new Error(result.error?.message);
  return result.value;
}

describe('a model host that answers with a redirect', () => {
  it.each([307, 308, 302])('gets no prompt sent on by a %i, and the move says why', async (status) => {
    redirectPaths.set('/api/chat', status);
    const events = recordEvents(engine);
    const space = await call<{ id: string }>('createSpace', { name: 'Acme' });
    const loop = await call<{ id: string }>('createLoop', { spaceId: space.id, title: 'Pricing' });
    const secret = 'Our margin floor is 31 percent; do not tell the buyer.';
    await call('addTurn', { loopId: loop.id, text: secret });
    await call('requestMove', { loopId: loop.id, move: 'explore' });
    const finished = await events.next('turn.finished');
    events.stop();

    const turn: Turn = finished.turn;
    expect(turn.status).toBe('failed');
    expect(turn.error?.message).toContain('Keel does not follow redirects');
    expect(turn.error?.message).toContain(`${elsewhereUrl}/api/chat`);
    expect(received).toEqual([]);

    const log = await call<OutboundRecord[]>('getOutboundLog', {});
    const chat = log.filter((record) => record.path === '/api/chat');
    expect(chat).toHaveLength(1);
    expect(chat[0]).toMatchObject({ refused: true, status, redirectTo: `${elsewhereUrl}/api/chat` });
    expect(log.every((record) => record.origin !== elsewhereUrl)).toBe(true);
  });

  it('gets no download sent on either: the pull fails and says why', async () => {
    redirectPaths.set('/api/pull', 307);
    const events = recordEvents(engine);
    await call('pullModel', { model: 'qwen3:4b' });
    const ended = await events.next('pull.progress', (event) => event.progress.state !== 'pulling');
    events.stop();

    const progress: PullProgress = ended.progress;
    expect(progress.state).toBe('failed');
    expect(progress.error?.message).toContain('Keel does not follow redirects');
    expect(received).toEqual([]);
    const log = await call<OutboundRecord[]>('getOutboundLog', {});
    expect(log.find((record) => record.path === '/api/pull')).toMatchObject({
      refused: true,
      status: 307,
      redirectTo: `${elsewhereUrl}/api/pull`,
    });
  });

  it('still answers normally when it does not redirect', async () => {
    const events = recordEvents(engine);
    const space = await call<{ id: string }>('createSpace', { name: 'Acme' });
    const loop = await call<{ id: string }>('createLoop', { spaceId: space.id, title: 'Pricing' });
    await call('addTurn', { loopId: loop.id, text: 'Hello' });
    fake.queueReply({ text: 'A plain answer.' });
    await call('requestMove', { loopId: loop.id, move: 'explore' });
    const finished = await events.next('turn.finished');
    events.stop();
    expect(finished.turn.text).toBe('A plain answer.');
    expect(received).toEqual([]);
  });
});
