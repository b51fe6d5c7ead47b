import { useMemo } from 'react';
import Markdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';
import type { PassageRef } from '../../../../shared/domain';
import { CitationContext, PassageCite } from '../sources/PassageCite';
import { remarkPassageCitations } from '../sources/remarkPassageCitations';

/**
 * Links open outside the workspace; images are named, never fetched (nothing may leave the machine,
 * and the AI's text should not be able to make it try). Citation markers ([P1]) open their passage.
 */
const components: Components = {
  a: ({ href, children }) => (
    <a href={href} target="_blank" rel="noreferrer noopener">
      {children}
    </a>
  ),
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
