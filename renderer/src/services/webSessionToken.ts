/**
 * The web host's per-launch token, as the page holds it. `npm run web` prints an address whose
 * fragment carries it (`/#token=…`): a browser never sends a fragment to any server. The page moves
 * it into this tab's sessionStorage and takes it out of the address bar, so a reload still works while
 * the address a person copies, shares or sees on a screen no longer holds it.
 *
 * Why not a cookie: a cookie for 127.0.0.1 goes to every port on 127.0.0.1, so any other local server
 * the browser visits would receive the token. sessionStorage belongs to this origin (scheme, host and
 * port) and this tab alone, and ends with the tab. It holds only this token, never user data.
 */

const storageKey = 'keel.webToken';

/** The token in a fragment like `#token=abc`, or null. */
export function tokenFromFragment(hash: string): string | null {
  const params = new URLSearchParams(hash.startsWith('#') ? hash.slice(1) : hash);
  const token = params.get('token');
  return token !== null && /^[A-Za-z0-9_-]{16,128}$/.test(token) ? token : null;
}

/**
 * Reads the token once per page: from the address's fragment when it has one (then kept for reloads
 * and removed from the address), otherwise from what this tab kept.
 */
export function readSessionToken(): string | null {
  if (typeof window === 'undefined') return null;
  // The web host restarted on the same port and its new address was opened in this tab: only the
  // fragment changed, so the browser does not load the page again. Take the new token and reload.
  window.addEventListener('hashchange', () => {
    if (takeTokenFromAddress() !== null) window.location.reload();
  });
  const fromAddress = takeTokenFromAddress();
  if (fromAddress !== null) return fromAddress;
  try {
    return window.sessionStorage.getItem(storageKey);
  } catch {
    return null;
  }
}

/** Moves a token in the address's fragment into this tab's storage and out of the address. */
function takeTokenFromAddress(): string | null {
  const token = tokenFromFragment(window.location.hash);
  if (token === null) return null;
  try {
    window.sessionStorage.setItem(storageKey, token);
  } catch {
    // Storage can be off (a strict privacy mode): the token still works until the page is reloaded.
  }
  const { pathname, search } = window.location;
  window.history.replaceState(window.history.state, '', `${pathname}${search}`);
  return token;
}
