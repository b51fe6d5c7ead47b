/**
 * Links in the AI's answers open in the person's own browser or mail program, after the workspace
 * has shown the full address and the person confirmed it. This is the one place in the main process
 * that reaches `shell.openExternal`, and it lets through only what `externalLinkUrl` (shared with the
 * workspace) accepts, so a crafted link (`file:`, `javascript:`, `smb:`, a custom protocol handler)
 * can never reach the OS.
 */
import { KeelError } from '../../shared/errors';
import { externalLinkUrl } from '../../shared/externalLinks';

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
