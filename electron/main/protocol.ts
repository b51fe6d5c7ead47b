/**
 * The `keel://app/` protocol that serves the built workspace. Serving from a custom protocol rather
 * than `file://` gives the page a real origin (so `'self'` in the CSP and the navigation checks mean
 * something) and keeps `file://`'s extra privileges out of reach (Electron security checklist).
 */
import { readFile } from 'node:fs/promises';
import { extname, isAbsolute, relative, resolve, sep } from 'node:path';
import type { CustomScheme, Protocol } from 'electron';
import { contentSecurityPolicy } from '../../shared/security';

export const appScheme = 'keel';
export const appHost = 'app';
/** The origin the packaged workspace runs at, compared by scheme and host (see `isAllowedNavigation`). */
export const appOrigin = `${appScheme}://${appHost}`;
export const appEntryUrl = `${appOrigin}/index.html`;

/**
 * `standard` gives `keel://app` a real origin and relative URL resolution, `secure` makes it a secure
 * context (like https), `supportFetchAPI` lets the page `fetch` its own assets, and `codeCache` lets
 * V8 cache the compiled scripts between launches.
 */
export const appSchemePrivileges: CustomScheme = {
  scheme: appScheme,
  privileges: { standard: true, secure: true, supportFetchAPI: true, codeCache: true },
};

const mimeTypes: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.otf': 'font/otf',
  '.wasm': 'application/wasm',
};

/**
 * The Content-Type for a file, by extension. Unknown kinds are served as opaque bytes and, with
 * `nosniff`, the browser will not guess them into something executable.
 */
export function mimeTypeFor(filePath: string): string {
  return mimeTypes[extname(filePath).toLowerCase()] ?? 'application/octet-stream';
}

/**
 * Maps a `keel://app/...` request URL to a file inside `rendererDir`, or `null` when the URL is for
 * another host, is malformed, or would leave the folder. The path is percent-decoded first and the
 * result is checked by resolving it and comparing with the folder, so `../`, `%2e%2e%2f` and
 * `..%5c` (an encoded backslash) are all refused the same way.
 */
export function resolveAppFile(rendererDir: string, requestUrl: string): string | null {
  let url: URL;
  try {
    url = new URL(requestUrl);
  } catch {
    return null;
  }
  if (
    url.protocol !== `${appScheme}:` ||
    url.host !== appHost ||
    url.username !== '' ||
    url.password !== ''
  ) {
    return null;
  }
  let pathname: string;
  try {
    pathname = decodeURIComponent(url.pathname);
  } catch {
    return null;
  }
  // A backslash is a separator on Windows only; refusing it everywhere keeps every OS alike.
  if (pathname.includes('\0') || pathname.includes('\\')) return null;
  const wanted = pathname.replace(/^\/+/, '') || 'index.html';
  const root = resolve(rendererDir);
  const file = resolve(root, wanted);
  const inside = relative(root, file);
  if (inside === '' || inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) return null;
  return file;
}

/** What `serveAppRequest` needs from the file system; a parameter so tests can count reads. */
export type ReadAppFile = (path: string) => Promise<Uint8Array>;

/**
 * Answers one request to the app protocol: the file's bytes with its MIME type, the CSP on HTML,
 * 404 for anything that is not a file inside the renderer folder, 405 for anything but GET/HEAD.
 */
export async function serveAppRequest(
  request: Request,
  rendererDir: string,
  read: ReadAppFile = readFile,
): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return plainResponse(405, 'Method not allowed', { Allow: 'GET, HEAD' });
  }
  const file = resolveAppFile(rendererDir, request.url);
  if (file === null) return plainResponse(404, 'Not found');
  let body: Uint8Array;
  try {
    body = await read(file);
  } catch {
    // Missing files and folders (EISDIR) alike: the page only ever asks for files that exist.
    return plainResponse(404, 'Not found');
  }
  const type = mimeTypeFor(file);
  const headers: Record<string, string> = {
    'Content-Type': type,
    'X-Content-Type-Options': 'nosniff',
    // The built files change with every build; never let a stale copy outlive an update.
    'Cache-Control': 'no-cache',
  };
  if (type.startsWith('text/html')) headers['Content-Security-Policy'] = contentSecurityPolicy;
  return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
}

/**
 * Serves the built workspace at `keel://app/`. Call once the app is ready; the scheme itself must be
 * registered as privileged before that (`protocol.registerSchemesAsPrivileged([appSchemePrivileges])`).
 */
export function registerAppProtocol(protocol: Pick<Protocol, 'handle'>, rendererDir: string): void {
  protocol.handle(appScheme, (request) => serveAppRequest(request, rendererDir));
}

function plainResponse(status: number, text: string, extra: Record<string, string> = {}): Response {
  return new Response(text, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff', ...extra },
  });
}
