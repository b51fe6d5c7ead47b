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
  isAllowedRequest,
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

describe('isAllowedRequest', () => {
  it.each([
    'keel://app/index.html',
    'keel://app/assets/index-abc.js',
    'devtools://devtools/bundled/devtools_app.html',
    'data:image/png;base64,AAAA',
    'blob:keel://app/5b1c',
  ])('lets %s through', (url) => {
    expect(isAllowedRequest(url, app)).toBe(true);
  });

  it.each([
    ['Google fonts', 'https://fonts.googleapis.com/css?family=Inter'],
    ["Google's Hunspell dictionaries", 'https://redirector.gvt1.com/edgedl/chrome/dict/en-us-10-1.bdic'],
    ['an image in an answer', 'http://evil.com/pixel.gif'],
    ['a look-alike of the app', 'keel://app.evil/'],
    ['the local Ollama from the page', 'http://127.0.0.1:11434/api/tags'],
    ['a file', 'file:///etc/passwd'],
    ['a socket elsewhere', 'wss://evil.com/'],
    ['garbage', 'not a url'],
  ])('blocks %s', (_why, url) => {
    expect(isAllowedRequest(url, app)).toBe(false);
  });

  it("lets the dev server and its hot-reload socket through, nothing else on that host's other ports", () => {
    expect(isAllowedRequest('http://localhost:5173/src/main.tsx', dev)).toBe(true);
    expect(isAllowedRequest('ws://localhost:5173/?token=x', dev)).toBe(true);
    expect(isAllowedRequest('ws://localhost:5174/', dev)).toBe(false);
    expect(isAllowedRequest('http://localhost:11434/', dev)).toBe(false);
    expect(isAllowedRequest('ws://localhost:5173/', app)).toBe(false);
  });
});

/** A session that records what `hardenSession` wires onto it, and lets a test make requests. */
function fakeSession() {
  let onBefore:
    ((details: { url: string }, callback: (response: { cancel: boolean }) => void) => void) | undefined;
  let onHeaders:
    | ((
        details: { responseHeaders?: Record<string, string[]> },
        callback: (response: { responseHeaders?: Record<string, string[]> }) => void,
      ) => void)
    | undefined;
  const session = {
    setPermissionRequestHandler: vi.fn(),
    setPermissionCheckHandler: vi.fn(),
    setSpellCheckerEnabled: vi.fn(),
    webRequest: {
      onBeforeRequest: vi.fn((listener: typeof onBefore) => {
        onBefore = listener;
      }),
      onHeadersReceived: vi.fn((listener: typeof onHeaders) => {
        onHeaders = listener;
      }),
    },
  };
  /** What the session answers a request for `url`: cancelled or not. */
  const request = (url: string) => {
    const callback = vi.fn();
    onBefore?.({ url }, callback);
    return (callback.mock.calls[0]?.[0] as { cancel: boolean } | undefined)?.cancel;
  };
  const respond = (headers: Record<string, string[]>) => {
    const callback = vi.fn();
    onHeaders?.({ responseHeaders: headers }, callback);
    return callback.mock.calls[0]?.[0] as unknown;
  };
  return { session, request, respond };
}

describe('hardenSession', () => {
  it('installs the deny-all permission handlers and sets the CSP on every response', () => {
    const fake = fakeSession();
    hardenSession(fake.session as unknown as Session, contentSecurityPolicy, {
      allowedOrigin: app,
      spellcheck: false,
    });
    expect(fake.session.setPermissionRequestHandler).toHaveBeenCalledWith(denyPermissionRequest);
    expect(fake.session.setPermissionCheckHandler).toHaveBeenCalledWith(denyPermissionCheck);
    expect(fake.respond({ 'Content-Type': ['text/html'] })).toEqual({
      responseHeaders: { 'Content-Type': ['text/html'], 'Content-Security-Policy': [contentSecurityPolicy] },
    });
  });

  it('cancels every request that would leave the app, and reports it', () => {
    const fake = fakeSession();
    const blocked: string[] = [];
    hardenSession(fake.session as unknown as Session, contentSecurityPolicy, {
      allowedOrigin: app,
      spellcheck: false,
      onBlocked: (url) => blocked.push(url),
    });
    expect(fake.request('keel://app/index.html')).toBe(false);
    expect(fake.request('https://fonts.gstatic.com/x.woff2')).toBe(true);
    expect(fake.request('https://redirector.gvt1.com/edgedl/chrome/dict/en-us-10-1.bdic')).toBe(true);
    expect(blocked).toEqual([
      'https://fonts.gstatic.com/x.woff2',
      'https://redirector.gvt1.com/edgedl/chrome/dict/en-us-10-1.bdic',
    ]);
  });

  it('turns the spelling checker on only when asked (macOS)', () => {
    for (const spellcheck of [false, true]) {
      const fake = fakeSession();
      hardenSession(fake.session as unknown as Session, contentSecurityPolicy, {
        allowedOrigin: app,
        spellcheck,
      });
      expect(fake.session.setSpellCheckerEnabled).toHaveBeenCalledExactlyOnceWith(spellcheck);
    }
  });
});

describe('the main process source', () => {
  it('reaches shell.openExternal only through externalLinks.ts, which checks the address first', async () => {
    const folder = fileURLToPath(new URL('.', import.meta.url));
    const sources = (await readdir(folder)).filter(
      (name) => name.endsWith('.ts') && !name.endsWith('.test.ts'),
    );
    expect(sources.length).toBeGreaterThan(3);
    for (const name of sources) {
      const text = await readFile(join(folder, name), 'utf8');
      if (name === 'externalLinks.ts') {
        // It never imports shell: the caller passes `shell.openExternal` in as `open`.
        expect(text).not.toMatch(/from 'electron'/);
        expect(text).toMatch(
          /const url = externalLinkUrl\(input\.url\);[^]*if \(url === null\)[^]*await open\(url\)/,
        );
        continue;
      }
      // The entry wires the call to the shell, once, and only through openExternalLink.
      const wiring = 'openExternal: (input) => openExternalLink(input, (url) => shell.openExternal(url))';
      if (name === 'index.ts') expect(text.split(wiring)).toHaveLength(2);
      expect(text.replace(wiring, ''), name).not.toMatch(/\bopenExternal\s*\(/);
    }
  });
});
