import Markdown, { type Components } from 'react-markdown';
import remarkGfm from 'remark-gfm';

/**
 * Links open outside the workspace; images are named, never fetched (nothing may leave the machine,
 * and the AI's text should not be able to make it try).
 */
const components: Components = {
  a: ({ href, children }) => (
    <a href={href} target="_blank" rel="noreferrer noopener">
      {children}
    </a>
  ),
  img: ({ alt }) => <span className="md-image">[image{alt ? `: ${alt}` : ''}]</span>,
};

const remarkPlugins = [remarkGfm];

/** The AI's text as Markdown; raw HTML in it is dropped, never rendered. */
export function TurnMarkdown({ text }: { text: string }) {
  return (
    <div className="markdown">
      <Markdown remarkPlugins={remarkPlugins} components={components} skipHtml>
        {text}
      </Markdown>
    </div>
  );
}
