import { openExternalLink } from '../../services/keelClient';
import { ConfirmDialog } from '../common/ConfirmDialog';

/**
 * Shows the full address of a link from an answer before it opens outside Keel: the text of a
 * Markdown link can say anything, and an AI can write a link to anywhere. Cancel has the focus.
 */
export function OpenLinkDialog({ url, onClose }: { url: string; onClose: () => void }) {
  const mail = url.toLowerCase().startsWith('mailto:');
  return (
    <ConfirmDialog
      title="Open this link?"
      confirmLabel={mail ? 'Write email' : 'Open in browser'}
      onConfirm={() => openExternalLink(url)}
      onClose={onClose}
    >
      <p>
        This link from the answer opens outside Keel, in your {mail ? 'mail program' : 'web browser'}. Check
        the address before you go:
      </p>
      <p className="link-address">
        <code>{url}</code>
      </p>
    </ConfirmDialog>
  );
}
