/**
 * The window's guard rails, from Electron's security checklist: navigation stays on the app's
 * origin, no new windows, no `<webview>`, no permissions, a CSP on every response, and IPC only from
 * frames showing Keel. The decisions are pure functions so they can be tested without Electron;
 * `hardenWebContents` and `hardenSession` only wire them up. Nothing here opens external links:
 * only `externalLinks.ts` does, for an address the person confirmed and that passed its check.
 */
import type { Event, HandlerDetails, Session, WebContents, WindowOpenHandlerResponse } from 'electron';

/** The part of a frame the checks read; `null` when Electron no longer knows the frame. */
export type SenderFrame = { readonly url: string } | null | undefined;

/**
 * `scheme://host[:port]` of an absolute URL, or `null` when it has no host. Written by hand because
 * Node's `URL.origin` is `"null"` for custom schemes such as `keel:`.
 */
export function originOf(url: string): string | null {
  const parsed = parseUrl(url);
  return parsed && parsed.host !== '' ? `${parsed.protocol}//${parsed.host}` : null;
}

/**
 * Whether `url` is on `allowedOrigin` (`keel://app`, or the dev server's `http://localhost:5173`).
 * Both are parsed and compared by scheme, host and port; a prefix test would let
 * `keel://app.evil/` and `keel://app@evil/` through. URLs carrying credentials are refused outright.
 */
export function isAllowedNavigation(url: string, allowedOrigin: string): boolean {
  const target = parseUrl(url);
  const allowed = parseUrl(allowedOrigin);
  if (!target || !allowed || allowed.host === '') return false;
  return (
    target.protocol === allowed.protocol &&
    target.host === allowed.host &&
    target.username === '' &&
    target.password === ''
  );
}

/**
 * Whether an IPC message comes from a frame showing Keel (`event.senderFrame`). A frame that is gone
 * (`null`, or one that throws because it was disposed) is not trusted.
 */
export function isTrustedSender(frame: SenderFrame, allowedOrigin: string): boolean {
  if (!frame) return false;
  try {
    return isAllowedNavigation(frame.url, allowedOrigin);
  } catch {
    return false;
  }
}

/** A `will-navigate`/`will-redirect` listener that cancels anything leaving `allowedOrigin`. */
export function navigationGuard(allowedOrigin: string): (event: Event<{ url: string }>) => void {
  return (event) => {
    if (!isAllowedNavigation(event.url, allowedOrigin)) event.preventDefault();
  };
}

/** Every `window.open` and `target=_blank` is refused: Keel has one window and opens nothing else. */
export function denyWindowOpen(_details?: HandlerDetails): WindowOpenHandlerResponse {
  return { action: 'deny' };
}

/** Keel never embeds other content, so no `<webview>` may attach. */
export function preventWebview(event: { preventDefault(): void }): void {
  event.preventDefault();
}

/**
 * Answers every permission request with no: without a handler Electron grants them all, and the
 * workspace needs none (camera, notifications, geolocation, …).
 */
export function denyPermissionRequest(
  _webContents: unknown,
  _permission: string,
  callback: (granted: boolean) => void,
): void {
  callback(false);
}

/** The synchronous side of the same rule: every permission check says no. */
export function denyPermissionCheck(): boolean {
  return false;
}

/**
 * The response headers with the CSP set to `policy`, replacing any CSP the response carried in
 * whatever letter case (two policies would both apply and the page would get the stricter mix).
 */
export function withContentSecurityPolicy(
  headers: Record<string, string | string[]> | undefined,
  policy: string,
): Record<string, string[]> {
  const result: Record<string, string[]> = {};
  for (const [name, value] of Object.entries(headers ?? {})) {
    if (name.toLowerCase() === 'content-security-policy') continue;
    result[name] = Array.isArray(value) ? value : [value];
  }
  result['Content-Security-Policy'] = [policy];
  return result;
}

/**
 * Wires the navigation, new-window and webview guards onto one `webContents`. Called from
 * `app.on('web-contents-created')`, so every webContents gets them, not only the main window's.
 */
export function hardenWebContents(contents: WebContents, allowedOrigin: string): void {
  const guard = navigationGuard(allowedOrigin);
  contents.on('will-navigate', guard);
  contents.on('will-redirect', guard);
  contents.on('will-attach-webview', preventWebview);
  contents.setWindowOpenHandler(denyWindowOpen);
}

/**
 * Whether the window's session may make a request to `url`: the app itself (`keel://app`, or the dev
 * server and its hot-reload socket during `npm run dev`), Chromium's devtools, and `data:`/`blob:`
 * URLs, which never leave the machine. Nothing else: no font, image, dictionary or telemetry request
 * leaves the window, whatever the page or Chromium asks for.
 */
export function isAllowedRequest(url: string, allowedOrigin: string): boolean {
  const target = parseUrl(url);
  if (!target) return false;
  if (['devtools:', 'data:', 'blob:'].includes(target.protocol)) return true;
  if (isAllowedNavigation(url, allowedOrigin)) return true;
  const allowed = parseUrl(allowedOrigin);
  return (
    allowed?.protocol === 'http:' &&
    target.protocol === 'ws:' &&
    target.host === allowed.host &&
    target.username === '' &&
    target.password === ''
  );
}

/** An `onBeforeRequest` listener that cancels every request `isAllowedRequest` refuses, and says so. */
export function requestGuard(
  allowedOrigin: string,
  onBlocked: (url: string) => void = (url) => console.warn(`Keel blocked a request to ${url}`),
): (details: { url: string }, callback: (response: { cancel: boolean }) => void) => void {
  return (details, callback) => {
    const allowed = isAllowedRequest(details.url, allowedOrigin);
    if (!allowed) onBlocked(details.url);
    callback({ cancel: !allowed });
  };
}

/** What `hardenSession` needs of a session. */
export type HardenableSession = Pick<
  Session,
  'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setSpellCheckerEnabled'
> & { webRequest: Pick<Session['webRequest'], 'onHeadersReceived' | 'onBeforeRequest'> };

/**
 * Denies every permission, puts the CSP on every response, cancels every request that would leave
 * the app (`requestGuard`), and turns the spelling checker off where it would download its
 * dictionaries from Google (`spellcheck` is `usesLocalSpellchecker()`: on for macOS only).
 */
export function hardenSession(
  session: HardenableSession,
  policy: string,
  options: { allowedOrigin: string; spellcheck: boolean; onBlocked?: (url: string) => void },
): void {
  session.setPermissionRequestHandler(denyPermissionRequest);
  session.setPermissionCheckHandler(denyPermissionCheck);
  session.setSpellCheckerEnabled(options.spellcheck);
  session.webRequest.onBeforeRequest(requestGuard(options.allowedOrigin, options.onBlocked));
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders, policy) });
  });
}

function parseUrl(value: string): URL | null {
  try {
    return new URL(value);
  } catch {
    return null;
  }
}
