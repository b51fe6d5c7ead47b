/**
 * Which links in an answer Keel opens outside itself: absolute http, https and mailto addresses
 * without credentials. The workspace uses this to decide what is a link at all, and the desktop's
 * main process checks every address again with it before `shell.openExternal` (the page is not
 * trusted), so a crafted link (`file:`, `javascript:`, a custom protocol handler) never reaches the OS.
 */
import { limits } from './contract';

/** The schemes a link in an answer may open. */
export const externalLinkProtocols: readonly string[] = ['http:', 'https:', 'mailto:'];

/**
 * The normalised address when `value` is an absolute http(s) or mailto URL without credentials and
 * no longer than `limits.linkUrl`, else `null`. Parsed with the URL parser, never matched by prefix.
 */
export function externalLinkUrl(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > limits.linkUrl) return null;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return null;
  }
  if (!externalLinkProtocols.includes(url.protocol)) return null;
  if (url.username !== '' || url.password !== '') return null;
  if (url.protocol === 'mailto:' ? url.pathname === '' : url.hostname === '') return null;
  return url.href;
}
