import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { contentSecurityPolicy } from '../../shared/security';
import {
  appEntryUrl,
  appOrigin,
  appSchemePrivileges,
  mimeTypeFor,
  registerAppProtocol,
  resolveAppFile,
  serveAppRequest,
} from './protocol';

vi.mock('electron', () => ({}));

const root = resolve('/srv/keel/out/renderer');

describe('the app URL', () => {
  it('is keel://app/index.html', () => {
    expect(appOrigin).toBe('keel://app');
    expect(appEntryUrl).toBe('keel://app/index.html');
  });

  it('registers keel as standard, secure and fetchable', () => {
    expect(appSchemePrivileges.scheme).toBe('keel');
    expect(appSchemePrivileges.privileges).toMatchObject({
      standard: true,
      secure: true,
      supportFetchAPI: true,
    });
    expect(appSchemePrivileges.privileges?.bypassCSP).toBeFalsy();
  });
});

describe('resolveAppFile', () => {
  it('maps paths inside the renderer folder', () => {
    expect(resolveAppFile(root, 'keel://app/index.html')).toBe(join(root, 'index.html'));
    expect(resolveAppFile(root, 'keel://app/assets/index-3f2a.js')).toBe(
      join(root, 'assets', 'index-3f2a.js'),
    );
    expect(resolveAppFile(root, 'keel://app/assets/My%20Font.woff2?v=2#x')).toBe(
      join(root, 'assets', 'My Font.woff2'),
    );
  });

  it('serves index.html for the bare origin', () => {
    expect(resolveAppFile(root, 'keel://app/')).toBe(join(root, 'index.html'));
    expect(resolveAppFile(root, 'keel://app')).toBe(join(root, 'index.html'));
  });

  it('keeps dot segments inside the folder (the URL parser removes them before we see the path)', () => {
    expect(resolveAppFile(root, 'keel://app/../../etc/passwd')).toBe(join(root, 'etc', 'passwd'));
    expect(resolveAppFile(root, 'keel://app/%2e%2e/%2E%2E/etc/passwd')).toBe(join(root, 'etc', 'passwd'));
  });

  it.each([
    ['an encoded slash after ..', 'keel://app/..%2f..%2fetc%2fpasswd'],
    ['fully encoded ../', 'keel://app/%2e%2e%2f%2e%2e%2fetc%2fpasswd'],
    ['upper-case encoding', 'keel://app/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd'],
    ['an encoded backslash', 'keel://app/..%5c..%5cetc%5cpasswd'],
    ['the parent itself', 'keel://app/..%2f'],
    ['an encoded absolute path', 'keel://app/%2fetc%2fpasswd%2f..%2f..%2f..'],
    ['a NUL byte', 'keel://app/index.html%00.png'],
    ['malformed percent-encoding', 'keel://app/%E0%A4%A'],
    ['another host', 'keel://evil/index.html'],
    ['a look-alike host', 'keel://app.evil/index.html'],
    ['credentials', 'keel://app@evil/index.html'],
    ['another scheme', 'file:///srv/keel/out/renderer/index.html'],
    ['a relative URL', '/index.html'],
  ])('refuses %s', (_why, url) => {
    expect(resolveAppFile(root, url)).toBeNull();
  });

  it('refuses a sibling folder whose name starts with the folder name', () => {
    expect(resolveAppFile(root, 'keel://app/..%2frenderer-secrets%2fkey')).toBeNull();
  });
});

describe('mimeTypeFor', () => {
  it.each([
    ['index.html', 'text/html; charset=utf-8'],
    ['assets/index.js', 'text/javascript; charset=utf-8'],
    ['assets/index.CSS', 'text/css; charset=utf-8'],
    ['icon.svg', 'image/svg+xml'],
    ['logo.png', 'image/png'],
    ['font.woff2', 'font/woff2'],
    ['data.json', 'application/json; charset=utf-8'],
    ['index.js.map', 'application/json; charset=utf-8'],
    ['mystery.bin', 'application/octet-stream'],
    ['Makefile', 'application/octet-stream'],
  ])('%s is %s', (file, type) => {
    expect(mimeTypeFor(file)).toBe(type);
  });
});

describe('serveAppRequest', () => {
  let dir: string;
  let rendererDir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'keel-protocol-'));
    rendererDir = join(dir, 'renderer');
    await mkdir(join(rendererDir, 'assets'), { recursive: true });
    await writeFile(join(rendererDir, 'index.html'), '<!doctype html><title>Keel</title>');
    await writeFile(join(rendererDir, 'assets', 'app.js'), 'console.log(1)');
    await writeFile(join(dir, 'secret.txt'), 'do not serve');
  });

  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('serves HTML with its type, nosniff and the CSP', async () => {
    const response = await serveAppRequest(new Request('keel://app/'), rendererDir);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(response.headers.get('x-content-type-options')).toBe('nosniff');
    expect(response.headers.get('content-security-policy')).toBe(contentSecurityPolicy);
    expect(await response.text()).toContain('<title>Keel</title>');
  });

  it('serves scripts as JavaScript', async () => {
    const response = await serveAppRequest(new Request('keel://app/assets/app.js'), rendererDir);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(await response.text()).toBe('console.log(1)');
  });

  it('answers HEAD without a body', async () => {
    const response = await serveAppRequest(
      new Request('keel://app/index.html', { method: 'HEAD' }),
      rendererDir,
    );
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('');
  });

  it.each([
    'keel://app/missing.js',
    'keel://app/assets/',
    'keel://app/..%2fsecret.txt',
    'keel://app/%2e%2e%2fsecret.txt',
    'keel://other/index.html',
  ])('answers 404 for %s', async (url) => {
    const response = await serveAppRequest(new Request(url), rendererDir);
    expect(response.status).toBe(404);
    expect(await response.text()).not.toContain('do not serve');
  });

  it('never reads a file outside the folder', async () => {
    const read = vi.fn(async () => new Uint8Array());
    await serveAppRequest(new Request('keel://app/..%2f..%2f..%2fetc%2fpasswd'), rendererDir, read);
    expect(read).not.toHaveBeenCalled();
  });

  it('refuses anything but GET and HEAD', async () => {
    const response = await serveAppRequest(
      new Request('keel://app/index.html', { method: 'POST' }),
      rendererDir,
    );
    expect(response.status).toBe(405);
  });
});

describe('registerAppProtocol', () => {
  it('handles the keel scheme with the renderer folder', async () => {
    const handle = vi.fn();
    registerAppProtocol({ handle }, '/nowhere');
    expect(handle).toHaveBeenCalledOnce();
    expect(handle.mock.calls[0]?.[0]).toBe('keel');
    const handler = handle.mock.calls[0]?.[1] as (request: Request) => Promise<Response>;
    expect((await handler(new Request('keel://app/index.html'))).status).toBe(404);
  });
});
