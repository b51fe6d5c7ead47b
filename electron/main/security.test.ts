import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import type { Session, WebContents } from 'electron';
import { contentSecurityPolicy } from '../../shared/security';
import {
  denyPermissionCheck,
  denyPermissionRequest,
  denyWindowOpen,
  hardenSession,
  hardenWebContents,
  isAllowedNavigation,
  isTrustedSender,
  navigationGuard,
  originOf,
  withContentSecurityPolicy,
} from './security';

vi.mock('electron', () => ({}));

const app = 'keel://app';
const dev = 'http://localhost:5173';

describe('isAllowedNavigation', () => {
  it.each([
    'keel://app/index.html',
    'keel://app/',
    'keel://app',
    'keel://app/assets/index-abc.js?x=1#top',
    'KEEL://app/index.html',
  ])('allows %s on keel://app', (url) => {
    expect(isAllowedNavigation(url, app)).toBe(true);
  });

  it.each([
    ['a look-alike host', 'keel://app.evil/'],
    ['credentials that hide the real host', 'keel://app@evil/'],
    ['credentials on the real host', 'keel://user:pass@app/'],
    ['a keel URL inside the path of another site', 'https://evil.com/keel://app'],
    ['a keel URL in the query of another site', 'https://evil.com/?keel://app'],
    ['javascript:', 'javascript:alert(1)'],
    ['javascript: dressed up as the app', 'javascript://app/%0aalert(1)'],
    ['data:', 'data:text/html,<script>alert(1)</script>'],
    ['file:', 'file:///etc/passwd'],
    ['another port', 'keel://app:8080/'],
    ['a trailing dot', 'keel://app./'],
    ['no host', 'keel:app'],
    ['an empty host', 'keel:///app'],
    ['https', 'https://app/'],
    ['about:blank', 'about:blank'],
    ['a relative URL', '/index.html'],
    ['garbage', 'not a url'],
    ['the empty string', ''],
  ])('denies %s', (_why, url) => {
    expect(isAllowedNavigation(url, app)).toBe(false);
  });

  it('compares the dev server by scheme, host and port', () => {
    expect(isAllowedNavigation('http://localhost:5173/src/main.tsx', dev)).toBe(true);
    expect(isAllowedNavigation('http://localhost:5174/', dev)).toBe(false);
    expect(isAllowedNavigation('https://localhost:5173/', dev)).toBe(false);
    expect(isAllowedNavigation('http://localhost.evil.com:5173/', dev)).toBe(false);
    expect(isAllowedNavigation('http://localhost:5173@evil.com/', dev)).toBe(false);
    expect(isAllowedNavigation('keel://app/index.html', dev)).toBe(false);
  });

  it('allows nothing when the allowed origin itself has no host', () => {
    expect(isAllowedNavigation('javascript:alert(1)', 'javascript:')).toBe(false);
    expect(isAllowedNavigation('keel:app', 'keel:app')).toBe(false);
  });
});

describe('originOf', () => {
  it('gives scheme://host[:port], which Node leaves as "null" for custom schemes', () => {
    expect(new URL('keel://app/index.html').origin).toBe('null');
    expect(originOf('keel://app/index.html')).toBe('keel://app');
    expect(originOf('http://localhost:5173/')).toBe('http://localhost:5173');
    expect(originOf('javascript:alert(1)')).toBeNull();
    expect(originOf('nope')).toBeNull();
  });
});

describe('isTrustedSender', () => {
  it('trusts only frames showing the app', () => {
    expect(isTrustedSender({ url: 'keel://app/index.html' }, app)).toBe(true);
    expect(isTrustedSender({ url: 'keel://app.evil/index.html' }, app)).toBe(false);
    expect(isTrustedSender({ url: 'https://evil.com/keel://app/' }, app)).toBe(false);
    expect(isTrustedSender({ url: 'about:blank' }, app)).toBe(false);
    expect(isTrustedSender({ url: '' }, app)).toBe(false);
  });

  it('trusts the dev server only when it is the allowed origin', () => {
    expect(isTrustedSender({ url: 'http://localhost:5173/' }, dev)).toBe(true);
    expect(isTrustedSender({ url: 'http://localhost:5173/' }, app)).toBe(false);
  });

  it('does not trust a missing or disposed frame', () => {
    expect(isTrustedSender(null, app)).toBe(false);
    expect(isTrustedSender(undefined, app)).toBe(false);
    const disposed = {
      get url(): string {
        throw new Error('Render frame was disposed before WebFrameMain could be accessed');
      },
    };
    expect(isTrustedSender(disposed, app)).toBe(false);
  });
});

describe('navigationGuard', () => {
  it('prevents navigation away from the app and lets the app navigate within itself', () => {
    const guard = navigationGuard(app);
    const away = { url: 'https://evil.com/', preventDefault: vi.fn(), defaultPrevented: false };
    const within = { url: 'keel://app/index.html', preventDefault: vi.fn(), defaultPrevented: false };
    guard(away);
    guard(within);
    expect(away.preventDefault).toHaveBeenCalledOnce();
    expect(within.preventDefault).not.toHaveBeenCalled();
  });
});

describe('window.open, webviews and permissions', () => {
  it('denies every new window', () => {
    expect(denyWindowOpen()).toEqual({ action: 'deny' });
  });

  it('answers every permission request and check with no', () => {
    for (const permission of ['media', 'notifications', 'geolocation', 'openExternal', 'clipboard-read']) {
      const callback = vi.fn();
      denyPermissionRequest({}, permission, callback);
      expect(callback).toHaveBeenCalledExactlyOnceWith(false);
    }
    expect(denyPermissionCheck()).toBe(false);
  });
});

/** A webContents that records its listeners and window-open handler. */
function fakeWebContents() {
  const listeners = new Map<string, (event: { url?: string; preventDefault(): void }) => void>();
  let openHandler: (() => { action: string }) | undefined;
  const contents = {
    on(name: string, listener: (event: { url?: string; preventDefault(): void }) => void) {
      listeners.set(name, listener);
      return contents;
    },
    setWindowOpenHandler(handler: () => { action: string }) {
      openHandler = handler;
    },
  };
  const fire = (name: string, url?: string) => {
    const event = { url, preventDefault: vi.fn() };
    listeners.get(name)?.(event);
    return event.preventDefault;
  };
  return { contents: contents as unknown as WebContents, listeners, fire, open: () => openHandler?.() };
}

describe('hardenWebContents', () => {
  it('guards will-navigate and will-redirect, prevents webviews and denies window.open', () => {
    const fake = fakeWebContents();
    hardenWebContents(fake.contents, app);
    expect([...fake.listeners.keys()].sort()).toEqual([
      'will-attach-webview',
      'will-navigate',
      'will-redirect',
    ]);
    expect(fake.fire('will-navigate', 'https://evil.com/')).toHaveBeenCalledOnce();
    expect(fake.fire('will-navigate', 'keel://app/index.html')).not.toHaveBeenCalled();
    expect(fake.fire('will-redirect', 'keel://app@evil/')).toHaveBeenCalledOnce();
    expect(fake.fire('will-redirect', 'keel://app/index.html')).not.toHaveBeenCalled();
    expect(fake.fire('will-attach-webview')).toHaveBeenCalledOnce();
    expect(fake.open()).toEqual({ action: 'deny' });
  });
});

describe('the CSP', () => {
  it('replaces any CSP in any letter case and keeps the other headers', () => {
    const headers = withContentSecurityPolicy(
      { 'content-security-policy': ['default-src *'], 'Content-Type': 'text/html', 'X-A': ['1', '2'] },
      contentSecurityPolicy,
    );
    expect(headers).toEqual({
      'Content-Type': ['text/html'],
      'X-A': ['1', '2'],
      'Content-Security-Policy': [contentSecurityPolicy],
    });
    expect(withContentSecurityPolicy(undefined, 'x')).toEqual({ 'Content-Security-Policy': ['x'] });
  });
});

describe('hardenSession', () => {
  it('installs the deny-all permission handlers and sets the CSP on every response', () => {
    let onHeaders:
      | ((
          details: { responseHeaders?: Record<string, string[]> },
          callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
        ) => void)
      | undefined;
    const session = {
      setPermissionRequestHandler: vi.fn(),
      setPermissionCheckHandler: vi.fn(),
      webRequest: {
        onHeadersReceived: vi.fn((listener: typeof onHeaders) => {
          onHeaders = listener;
        }),
      },
    };
    hardenSession(session as unknown as Session, contentSecurityPolicy);
    expect(session.setPermissionRequestHandler).toHaveBeenCalledWith(denyPermissionRequest);
    expect(session.setPermissionCheckHandler).toHaveBeenCalledWith(denyPermissionCheck);
    const callback = vi.fn();
    onHeaders?.({ responseHeaders: { 'Content-Type': ['text/html'] } }, callback);
    expect(callback).toHaveBeenCalledWith({
      responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': [contentSecurityPolicy] },
    });
  });
});

describe('the main process source', () => {
  it('never imports shell or calls openExternal, so page input cannot reach it', async () => {
    const folder = fileURLToPath(new URL('.', import.meta.url));
    const sources = (await readdir(folder)).filter(
      (name) => name.endsWith('.ts') && !name.endsWith('.test.ts'),
    );
    expect(sources.length).toBeGreaterThan(3);
    for (const name of sources) {
      const text = await readFile(join(folder, name), 'utf8');
      expect(text, name).not.toMatch(/\bopenExternal\s*\(/);
      expect(text, name).not.toMatch(/import\s*\{[^}]*\bshell\b[^}]*\}\s*from\s*'electron'/);
    }
  });
});
