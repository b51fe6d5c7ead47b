import type { SearchResult } from '../../../../shared/domain';
import { useKeel } from '../../store/KeelStoreProvider';
import { highlightWords } from './highlightWords';
import { searchKindLabels } from './searchLabels';

const dayFormat = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });

/** A result's day as a person reads it. */
function formatDay(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : dayFormat.format(date);
}

/** The snippet as text, with the words the query matched marked. */
function Snippet({ snippet, query }: { snippet: string; query: string }) {
  return (
    <span className="search-snippet">
      {highlightWords(snippet, query).map((part, index) =>
        part.marked ? <mark key={index}>{part.text}</mark> : <span key={index}>{part.text}</span>,
      )}
    </span>
  );
}

/**
 * One result: what it is, the loop it belongs to (or "Memory", or the source's name), its space and
 * day, and the words around the match. The whole of it is one button that opens where it was found.
 */
export function SearchResultItem({
  result,
  query,
  onOpen,
}: {
  result: SearchResult;
  query: string;
  onOpen: () => void;
}) {
  const spaceName = useKeel((state) => state.spaces.find((space) => space.id === result.spaceId)?.name);
  // A memory kept everywhere belongs to no space; a space not listed was archived.
  const where = spaceName ?? (result.spaceId === '' ? 'Everywhere' : 'Archived space');
  const title =
    result.kind === 'memory'
      ? 'Memory'
      : result.kind === 'source'
        ? result.title || 'A source'
        : result.title || 'Untitled loop';

  return (
    <li className="search-result-item">
      <button type="button" className="search-result" onClick={onOpen}>
        <span className="search-result-head">
          <span className={`search-kind search-kind-${result.kind}`}>{searchKindLabels[result.kind]}</span>
          <span className="search-result-title">{title}</span>
          <span className="search-result-space">{where}</span>
          <time className="search-result-date" dateTime={result.at}>
            {formatDay(result.at)}
          </time>
        </span>
        {result.snippet.trim() ? <Snippet snippet={result.snippet} query={query} /> : null}
      </button>
    </li>
  );
}
