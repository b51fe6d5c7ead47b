import { callNames, type KeelApi } from '../../../shared/contract';
import { fail, ok, type Result } from '../../../shared/errors';
import { externalLinkUrl } from '../../../shared/externalLinks';
import { createHttpKeel } from './httpKeel';

/** What the page knows about where it runs. */
export interface PageScope {
  keel?: unknown;
  protocol: string;
  userAgent: string;
}

/**
 * How this workspace reaches the engine: the preload's bridge in the desktop window, the loopback
 * web host over HTTP in a browser, or neither: inside the desktop window without a working bridge
 * (its preload is missing or failed), where falling back to HTTP would only show errors about a
 * server that is not there.
 */
export type KeelConnection =
  | { kind: 'bridge'; keel: KeelApi }
  | { kind: 'http'; keel: KeelApi }
  | { kind: 'bridge-missing'; reason: string };

/** Whether the page runs in Keel's desktop window: served from keel://, or by Electron in `npm run dev`. */
export function isDesktopShell(scope: Pick<PageScope, 'protocol' | 'userAgent'>): boolean {
  return scope.protocol === 'keel:' || /\bElectron\//.test(scope.userAgent);
}

/** Picks the connection for `scope`; a bridge that lacks a contract call counts as broken. */
export function chooseKeel(scope: PageScope, makeHttp: () => KeelApi = createHttpKeel): KeelConnection {
  const bridge = scope.keel;
  if (bridge !== undefined && bridge !== null) {
    const missing = [...callNames, 'onEvent'].filter(
      (name) => typeof (bridge as Record<string, unknown>)[name] !== 'function',
    );
    if (missing.length === 0) return { kind: 'bridge', keel: bridge as KeelApi };
    return {
      kind: 'bridge-missing',
      reason: `The bridge is there but lacks ${missing.slice(0, 3).join(', ')}${missing.length > 3 ? ` and ${missing.length - 3} more` : ''}: the preload does not match this version of the workspace.`,
    };
  }
  if (isDesktopShell(scope)) {
    return {
      kind: 'bridge-missing',
      reason: 'The window has no window.keel: its preload script did not run.',
    };
  }
  return { kind: 'http', keel: makeHttp() };
}

let connection: KeelConnection | null = null;

/**
 * The engine, as this workspace reaches it (see `chooseKeel`). Nothing else in the workspace talks
 * to the engine.
 */
export function getKeelConnection(): KeelConnection {
  connection ??= chooseKeel({
    keel: window.keel,
    protocol: window.location.protocol,
    userAgent: window.navigator.userAgent,
  });
  return connection;
}

/**
 * Opens a link from an answer outside Keel, once the person confirmed its address: through the
 * desktop's main process (which checks it again and hands it to the system browser or mail
 * program), or in the browser as a new tab that gets neither this page nor its address.
 * Must be called from the click that confirmed it, so the browser lets the tab open.
 */
export async function openExternalLink(url: string): Promise<Result<{ opened: string }>> {
  const checked = externalLinkUrl(url);
  if (checked === null) {
    return fail({
      code: 'invalid-input',
      message: 'Keel opens only web (http, https) and mail (mailto) links.',
    });
  }
  const current = getKeelConnection();
  if (current.kind === 'bridge') return current.keel.openExternal({ url: checked });
  window.open(checked, '_blank', 'noopener,noreferrer');
  return ok({ opened: checked });
}

/** The engine client, for callers that run only once a connection was found (see `main.tsx`). */
export function getKeel(): KeelApi {
  const current = getKeelConnection();
  if (current.kind === 'bridge-missing') throw new Error(current.reason);
  return current.keel;
}
