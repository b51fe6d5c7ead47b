import { useMemo, type ComponentProps } from 'react';
import Markdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import type { PassageRef } from '../../../../shared/domain';
import { externalLinkUrl } from '../../../../shared/externalLinks';
import { useKeel } from '../../store/KeelStoreProvider';
import { TableScroll } from '../common/TableScroll';
import { CitationContext, PassageCite } from '../sources/PassageCite';
import { remarkPassageCitations } from '../sources/remarkPassageCitations';

/**
 * A link in an answer: http, https and mailto links open outside Keel once the person has seen the
 * full address and confirmed it (`OpenLinkDialog`); anything else (`file:`, `javascript:`, a relative
 * address) is shown as its text, not as a link.
 */
function AnswerLink({ href, children }: ComponentProps<'a'>) {
  const openDialog = useKeel((state) => state.openDialog);
  const url = externalLinkUrl(href);
  if (url === null) return <span>{children}</span>;
  return (
    <a
      href={url}
      target="_blank"
      rel="noreferrer noopener"
      onClick={(event) => {
        // Never followed by the page itself: only after the confirmation, by the desktop's main
        // process or as a new tab (see `openExternalLink`).
        event.preventDefault();
        openDialog({ kind: 'open-link', url });
      }}
      onAuxClick={(event) => {
        // A middle-click would open the tab at once, without asking.
        event.preventDefault();
        if (event.button === 1) openDialog({ kind: 'open-link', url });
      }}
    >
      {children}
    </a>
  );
}

/**
 * Links open outside the workspace after a confirmation; images are named, never fetched (nothing
 * may leave the machine, and the AI's text should not be able to make it try). Citation markers
 * ([P1]) open their passage.
 */
const components: Components = {
  a: AnswerLink,
  // A wide table or a long line of code scrolls sideways; the frame takes keyboard focus so the
  // arrow keys can scroll it without a mouse (WCAG 2.1.1).
  table: ({ node: _node, ...props }) => (
    <TableScroll label="Table in the answer">
      <table {...props} />
    </TableScroll>
  ),
  pre: ({ node: _node, ...props }) => <pre tabIndex={0} {...props} />,
  img: ({ alt }) => <span className="md-image">[image{alt ? `: ${alt}` : ''}]</span>,
  cite: PassageCite,
};

const remarkPlugins = [remarkGfm, remarkPassageCitations];

interface TurnMarkdownProps {
  text: string;
  /** For an AI turn given passages of the person's sources: its loop and those passages. */
  loopId?: string;
  passages?: readonly PassageRef[] | undefined;
}

/** The AI's text as Markdown; raw HTML in it is dropped, never rendered. */
export function TurnMarkdown({ text, loopId, passages }: TurnMarkdownProps) {
  const citations = useMemo(
    () => (loopId && passages && passages.length > 0 ? { loopId, passages } : null),
    [loopId, passages],
  );
  return (
    <div className="markdown">
      <CitationContext.Provider value={citations}>
        <Markdown remarkPlugins={remarkPlugins} components={components} skipHtml>
          {text}
        </Markdown>
      </CitationContext.Provider>
    </div>
  );
}
