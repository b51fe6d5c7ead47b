/**
 * The loopback web host: serves the built workspace and the same contract as the desktop window,
 * on 127.0.0.1 only. Calls are `POST /api/call/<name>` with a JSON body and answer a `Result`;
 * events stream as server-sent events from `GET /api/events`.
 *
 * Every `/api/` request must carry the per-launch token as `Authorization: Bearer <token>`
 * (`authorize`, the one check every API route goes through). The token never travels in a cookie:
 * cookies are not scoped to a port, so any other server on 127.0.0.1 the browser visits would receive
 * it. The printed address carries the token in its fragment (`/#token=…`), which the browser never
 * sends to any server; the page keeps it in the tab's sessionStorage (scoped to this origin and port)
 * and sends it from there. The workspace's own files hold no data and are served without it.
 *
 * The `Host` header must name this loopback port, so a page on another site cannot reach Keel by
 * rebinding its DNS name to 127.0.0.1; a cross-site `Origin` is refused; there are no CORS headers;
 * the host never redirects.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { pipeline } from 'node:stream/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import {
  callPathPrefix,
  isCallName,
  limits,
  requestBytesFor,
  uploadPurposes,
  type UploadPurpose,
} from '../../shared/contract';
import { fail } from '../../shared/errors';
import { contentSecurityPolicy } from '../../shared/security';
import type { Engine } from '../engine/Engine';

export interface WebHostOptions {
  engine: Engine;
  /** The built workspace (out/renderer). */
  rendererDir: string;
  /** 0 or absent: any free port. */
  port?: number;
  /** Fixed only by tests; otherwise a fresh random token per launch. */
  token?: string;
}

export interface WebHost {
  readonly port: number;
  readonly token: string;
  /** The address to open, token included. */
  readonly url: string;
  close(): Promise<void>;
}

const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

const securityHeaders: Record<string, string> = {
  'Content-Security-Policy': contentSecurityPolicy,
  'X-Content-Type-Options': 'nosniff',
  'X-Frame-Options': 'DENY',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export async function startWebHost(options: WebHostOptions): Promise<WebHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const rendererDir = resolve(options.rendererDir);
  const sockets = new Set<Socket>();
  const eventStreams = new Set<ServerResponse>();
  let port = 0;

  const server: Server = createServer((request, response) => {
    for (const [name, value] of Object.entries(securityHeaders)) response.setHeader(name, value);
    handle(request, response).catch((error: unknown) => {
      console.error('Keel web: request failed', error);
      if (!response.headersSent)
        send(response, 500, 'text/plain; charset=utf-8', 'Keel could not answer this request.');
      else response.destroy();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (!isAllowedHost(request.headers.host, port)) {
      return send(
        response,
        403,
        'text/plain; charset=utf-8',
        'Keel answers only on its own loopback address.',
      );
    }
    if (!isAllowedOrigin(request, port)) {
      return send(
        response,
        403,
        'text/plain; charset=utf-8',
        'Keel does not accept requests from other sites.',
      );
    }
    const pathname = requestPath(request.url);
    if (pathname.startsWith('/api/')) {
      if (!authorize(request, token)) {
        return sendJson(response, 401, {
          ok: false,
          error: {
            code: 'session-expired',
            message:
              'This Keel session needs its link: open the address that `npm run web` printed (it ends in #token=…).',
          },
        });
      }
      return handleApi(request, response, pathname);
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return send(response, 405, 'text/plain; charset=utf-8', 'Method not allowed.');
    }
    return serveFile(response, pathname);
  }

  /** Every route here has passed `authorize`: add new API routes only in this function. */
  async function handleApi(
    request: IncomingMessage,
    response: ServerResponse,
    pathname: string,
  ): Promise<void> {
    if (pathname.startsWith(callPathPrefix))
      return handleCall(request, response, pathname.slice(callPathPrefix.length));
    if (pathname === '/api/upload') return handleUpload(request, response);
    if (pathname === '/api/download' && request.method === 'GET') return handleDownload(request, response);
    if (pathname === '/api/events' && request.method === 'GET') return handleEvents(request, response);
    return send(response, 404, 'text/plain; charset=utf-8', 'No such API.');
  }

  async function handleCall(request: IncomingMessage, response: ServerResponse, name: string): Promise<void> {
    if (request.method !== 'POST')
      return send(response, 405, 'text/plain; charset=utf-8', 'Calls are POSTed.');
    if (!(request.headers['content-type'] ?? '').startsWith('application/json')) {
      return send(response, 415, 'text/plain; charset=utf-8', 'Calls carry JSON.');
    }
    // Files travel as uploads, so every call is small; pasted text is the largest thing one carries.
    const body = await readBody(request, isCallName(name) ? requestBytesFor(name) : limits.requestBytes);
    if (body === 'undecodable') {
      return sendJson(
        response,
        400,
        fail({ code: 'invalid-input', message: 'The request could not be read as text.', field: 'input' }),
      );
    }
    if (body === undefined) {
      // The rest of an oversized body is not read: answer, then drop the connection.
      response.setHeader('Connection', 'close');
      response.on('finish', () => request.destroy());
      return sendJson(
        response,
        413,
        fail({ code: 'invalid-input', message: 'That request is too large for Keel.', field: 'input' }),
      );
    }
    let input: unknown;
    try {
      input = body === '' ? {} : JSON.parse(body);
    } catch {
      return sendJson(
        response,
        400,
        fail({ code: 'invalid-input', message: 'The request was not valid JSON.' }),
      );
    }
    let callName: string;
    try {
      callName = decodeURIComponent(name);
    } catch {
      return sendJson(
        response,
        400,
        fail({ code: 'invalid-input', message: 'That call name is not valid.', field: 'call' }),
      );
    }
    return sendJson(response, 200, await options.engine.invoke(callName, input));
  }

  async function handleUpload(request: IncomingMessage, response: ServerResponse): Promise<void> {
    if (request.method !== 'POST') return refuseUpload(response, 405, 'Uploads are POSTed.');
    const purpose = new URL(request.url ?? '/', 'http://127.0.0.1').searchParams.get('for');
    if (!(uploadPurposes as readonly (string | null)[]).includes(purpose)) {
      return refuseUpload(response, 400, 'An upload says what it is for: ?for=archive or ?for=source.');
    }
    if (!(request.headers['content-type'] ?? '').startsWith('application/octet-stream')) {
      return refuseUpload(response, 415, 'Uploads carry the file’s bytes (application/octet-stream).');
    }
    const length = request.headers['content-length'];
    const declared = length === undefined ? undefined : Number(length);
    // Iterated without destroying the request when the engine stops early, so the refusal can still be sent.
    const body = request.iterator({ destroyOnReturn: false }) as AsyncIterable<Uint8Array>;
    const result = await options.engine.upload(purpose as UploadPurpose, body, declared);
    if (!result.ok && !request.complete) {
      // Refused before the body ended (too large, or locked): answer and drop the connection
      // instead of reading the rest.
      response.setHeader('Connection', 'close');
      sendJson(response, 413, result);
      response.on('finish', () => request.destroy());
      return;
    }
    return sendJson(response, 200, result);
  }

  /**
   * A file the engine made for the person (an exported archive), streamed from disk with its
   * name, never as text inside a call; it can be downloaded once, then it is deleted.
   */
  async function handleDownload(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const file = new URL(request.url ?? '/', 'http://127.0.0.1').searchParams.get('file');
    const result = await options.engine.download(file);
    if (!result.ok) return sendJson(response, 404, result);
    const { path, bytes, fileName, mimeType, done } = result.value;
    response.writeHead(200, {
      'Content-Type': mimeType,
      'Content-Length': String(bytes),
      // The name is Keel's own (letters, digits, dashes); quoted all the same.
      'Content-Disposition': `attachment; filename="${fileName.replace(/[^\w.-]/g, '_')}"`,
      'Cache-Control': 'no-store',
    });
    try {
      await pipeline(createReadStream(path), response);
    } catch {
      // The person closed the page mid-download: nothing to answer, the file is deleted below.
      response.destroy();
    } finally {
      await done();
    }
  }

  function refuseUpload(response: ServerResponse, status: number, message: string): void {
    response.setHeader('Connection', 'close');
    sendJson(response, status, fail({ code: 'invalid-input', message, field: 'file' }));
    response.on('finish', () => response.req.destroy());
  }

  function handleEvents(request: IncomingMessage, response: ServerResponse): void {
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
    });
    response.write(': connected\n\n');
    eventStreams.add(response);
    const unsubscribe = options.engine.onEvent((event) => {
      response.write(`data: ${JSON.stringify(event)}\n\n`);
    });
    // A comment now and then keeps idle proxies and the browser from dropping the stream.
    const heartbeat = setInterval(() => response.write(': keep-alive\n\n'), 15_000);
    request.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      eventStreams.delete(response);
    });
  }

  async function serveFile(response: ServerResponse, pathname: string): Promise<void> {
    let relative: string;
    try {
      relative = decodeURIComponent(pathname);
    } catch {
      return send(response, 400, 'text/plain; charset=utf-8', 'Bad path.');
    }
    const target = resolve(rendererDir, `.${normalize(`/${relative}`)}`);
    if (target !== rendererDir && !target.startsWith(rendererDir + sep)) {
      return send(response, 404, 'text/plain; charset=utf-8', 'Not found.');
    }
    const file = (await isFile(target))
      ? target
      : extname(target) === ''
        ? join(rendererDir, 'index.html')
        : undefined;
    if (!file) return send(response, 404, 'text/plain; charset=utf-8', 'Not found.');
    const content = await readFile(file);
    response.setHeader('Cache-Control', file.endsWith('.html') ? 'no-store' : 'private, max-age=3600');
    return send(response, 200, mimeTypes[extname(file)] ?? 'application/octet-stream', content);
  }

  await new Promise<void>((resolveListen, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolveListen();
    });
  });
  port = (server.address() as AddressInfo).port;

  return {
    port,
    token,
    url: `http://127.0.0.1:${port}/#token=${token}`,
    close: async () => {
      for (const stream of eventStreams) stream.end();
      await new Promise<void>((resolveClose) => {
        server.close(() => resolveClose());
        for (const socket of sockets) socket.destroy();
      });
    },
  };
}

export function isAllowedHost(host: string | undefined, port: number): boolean {
  return host === `127.0.0.1:${port}` || host === `localhost:${port}`;
}

/** Browsers send `Origin` on cross-site requests and on every POST; when present it must be ours. */
export function isAllowedOrigin(request: IncomingMessage, port: number): boolean {
  const fetchSite = request.headers['sec-fetch-site'];
  if (fetchSite === 'cross-site') return false;
  const origin = request.headers.origin;
  if (origin === undefined) return true;
  return origin === `http://127.0.0.1:${port}` || origin === `http://localhost:${port}`;
}

/**
 * The one token check: a Bearer header with this launch's token. Cookies are ignored on purpose (a
 * cookie for 127.0.0.1 is sent to every port on it), and so is a token in the query string.
 */
export function authorize(request: IncomingMessage, token: string): boolean {
  const bearer = request.headers.authorization;
  return bearer !== undefined && bearer.startsWith('Bearer ') && sameSecret(bearer.slice(7), token);
}

/**
 * The request's path alone, always starting with exactly one slash. `//evil.example/` would read as
 * another host to a URL parser (and to a browser, in a Location header), so leading slashes are
 * collapsed before and after parsing; the query and any absolute-form host are dropped.
 */
export function requestPath(rawUrl: string | undefined): string {
  const raw = (rawUrl ?? '/').replace(/^[/\\]+/, '/');
  const pathname = new URL(raw.startsWith('/') ? raw : `/${raw}`, 'http://keel.invalid').pathname;
  return pathname.replace(/^[/\\]+/, '/');
}

function sameSecret(offered: string, token: string): boolean {
  const a = Buffer.from(offered);
  const b = Buffer.from(token);
  return a.length === b.length && timingSafeEqual(a, b);
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/**
 * Reads a body up to `limit` bytes (each limit sits far below V8's largest string); undefined when
 * it is larger (the rest is not read), 'undecodable' when it is not UTF-8 text.
 */
function readBody(request: IncomingMessage, limit: number): Promise<string | undefined | 'undecodable'> {
  return new Promise((resolveBody, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let settled = false;
    request.on('data', (chunk: Buffer) => {
      if (settled) return;
      size += chunk.length;
      if (size > limit) {
        settled = true;
        resolveBody(undefined);
        request.pause();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => {
      if (settled) return;
      settled = true;
      // A throw here would escape every handler and stop the host, so a decode failure is an answer.
      try {
        resolveBody(new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks)));
      } catch {
        resolveBody('undecodable');
      }
    });
    request.on('error', reject);
  });
}

function send(response: ServerResponse, status: number, type: string, body: string | Buffer): void {
  response.statusCode = status;
  response.setHeader('Content-Type', type);
  response.end(response.req.method === 'HEAD' ? undefined : body);
}

function sendJson(response: ServerResponse, status: number, value: unknown): void {
  response.setHeader('Cache-Control', 'no-store');
  send(response, status, 'application/json; charset=utf-8', JSON.stringify(value));
}
