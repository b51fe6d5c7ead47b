/**
 * Links in the AI's answers open in the person's own browser or mail program, after the workspace
 * has shown the full address and the person confirmed it. This is the one place in the main process
 * that reaches `shell.openExternal`, and it lets through only what `externalLinkUrl` accepts, so a
 * crafted link (`file:`, `javascript:`, a custom protocol handler, `smb:`) can never reach the OS.
 */
import { limits } from '../../shared/contract';
import { KeelError } from '../../shared/errors';

/** The schemes a link in an answer may open. */
export const externalLinkProtocols: readonly string[] = ['http:', 'https:', 'mailto:'];

/** The longest address Keel opens; longer ones are not links a person reads before confirming. */
export const externalLinkMaxLength = limits.linkUrl;

/**
 * The normalised address when `value` is an absolute http(s) or mailto URL without credentials,
 * else `null`. Parsed with the URL parser, never matched by prefix.
 */
export function externalLinkUrl(value: unknown): string | null {
  if (typeof value !== 'string' || value.length > externalLinkMaxLength) return null;
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

/**
 * The handler behind the `openExternal` call: checks the address again (the page is not trusted)
 * and hands it to `open` (`shell.openExternal`).
 */
export async function openExternalLink(
  input: { url: string },
  open: (url: string) => Promise<void>,
): Promise<{ opened: string }> {
  const url = externalLinkUrl(input.url);
  if (url === null) {
    throw new KeelError('invalid-input', 'Keel opens only web (http, https) and mail (mailto) links.', {
      field: 'url',
    });
  }
  await open(url);
  return { opened: url };
}
