import { useEffect, useId, useRef, type KeyboardEvent as ReactKeyboardEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { limits } from '../../../../shared/contract';
import { searchKinds, type SearchKind } from '../../../../shared/domain';
import { useKeel, useKeelFields } from '../../store/KeelStoreProvider';
import { DateRangeFields } from '../common/DateRangeFields';
import { errorHeading } from '../common/errorHeading';
import { SpaceFilter } from '../common/SpaceFilter';
import { TextField } from '../common/TextField';
import { modifierKeyLabel } from '../common/modifierKeyLabel';
import { SearchResultItem } from './SearchResultItem';
import { useEscape } from '../common/useEscape';
import { searchKindPlurals } from './searchLabels';
import { ClosePageButton } from '../common/ClosePageButton';
import { FullPage } from '../common/FullPage';

/** The names of the inputs an engine error can point at, as the page labels them. */
const fieldNames: Record<string, string> = {
  query: 'The search words',
  spaceId: 'Space',
  kinds: 'Kinds',
  from: 'From',
  to: 'To',
};

/** The space, kind and date filters; each change searches again at once. */
function SearchFilterBar() {
  const kindsHintId = useId();
  const filters = useKeel(useShallow((state) => state.searchFilters));
  const setSearchFilters = useKeel((state) => state.setSearchFilters);

  const toggleKind = (kind: SearchKind, on: boolean) => {
    const chosen = new Set(filters.kinds);
    if (on) chosen.add(kind);
    else chosen.delete(kind);
    // Kept in the contract's order, so the same choice is always the same request.
    setSearchFilters({ kinds: searchKinds.filter((candidate) => chosen.has(candidate)) });
  };

  return (
    <div className="search-filters">
      <SpaceFilter
        anyLabel="All spaces"
        value={filters.spaceId}
        onChange={(spaceId) => setSearchFilters({ spaceId })}
      />
      <fieldset className="search-kinds" aria-describedby={kindsHintId}>
        <legend>Kinds</legend>
        {searchKinds.map((kind) => (
          <label key={kind} className="search-kind-check">
            <input
              type="checkbox"
              checked={filters.kinds.includes(kind)}
              onChange={(event) => toggleKind(kind, event.target.checked)}
            />
            {searchKindPlurals[kind]}
          </label>
        ))}
        <p id={kindsHintId} className="search-kinds-hint">
          {filters.kinds.length === 0 ? 'None ticked: every kind.' : 'Only the kinds ticked.'}
        </p>
      </fieldset>
      <DateRangeFields range={filters} onChange={setSearchFilters} fieldClassName="field search-date" />
    </div>
  );
}

/** Where the search stands, in words: on its way, how many results, or none. */
function SearchStatus() {
  const searching = useKeel((state) => state.searching);
  const searchedQuery = useKeel((state) => state.searchedQuery);
  const count = useKeel((state) => state.searchResults.length);
  const hasError = useKeel((state) => state.searchError !== null);
  const hasWords = useKeel((state) => state.searchQuery.trim() !== '');

  let text = '';
  if (searching) text = 'Searching…';
  else if (hasError) text = '';
  else if (!hasWords || searchedQuery === null)
    text = 'Type a word or two: loops, turns, drafts, decisions, memories and sources are searched.';
  else if (count === 0) text = `No results for “${searchedQuery}”.`;
  else text = count === 1 ? `1 result for “${searchedQuery}”` : `${count} results for “${searchedQuery}”`;

  return (
    <p role="status" className={searching ? 'search-status search-status-busy' : 'search-status'}>
      {text}
    </p>
  );
}

/**
 * The search page, in place of the loop: one box for everything the person wrote and kept, with
 * filters by space, kind and date. A result opens where it was found: a loop at its turn, its draft
 * or decision, a memory on the memory page, or a source in the viewer at the passage that matched.
 * Arrow keys move between results.
 */
export function SearchView() {
  const inputRef = useRef<HTMLInputElement>(null);
  const listRef = useRef<HTMLUListElement>(null);
  const { searchQuery, searchedQuery, searchResults, searchError, searchRequest } = useKeelFields(
    'searchQuery',
    'searchedQuery',
    'searchResults',
    'searchError',
    'searchRequest',
  );
  const { setSearchQuery, closeSearch, openSearchResult, runSearch } = useKeelFields(
    'setSearchQuery',
    'closeSearch',
    'openSearchResult',
    'runSearch',
  );
  const dialogOpen = useKeel((state) => state.dialog !== null);
  const modifierKey = modifierKeyLabel(useKeel((state) => state.appInfo?.platform));

  // Opened (or asked for again while open): the words are ready to be typed over.
  useEffect(() => {
    if (dialogOpen) return;
    inputRef.current?.focus();
    inputRef.current?.select();
  }, [searchRequest, dialogOpen]);

  // Esc goes back to the work, unless a dialog is open (Esc closes that instead).
  useEscape(closeSearch);

  const resultButtons = () =>
    Array.from(listRef.current?.querySelectorAll<HTMLButtonElement>('.search-result') ?? []);

  const onInputKeyDown = (event: ReactKeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      resultButtons()[0]?.focus();
    } else if (event.key === 'Enter') {
      // Enter searches now rather than waiting for the pause.
      event.preventDefault();
      void runSearch();
    }
  };

  const onListKeyDown = (event: ReactKeyboardEvent<HTMLUListElement>) => {
    const buttons = resultButtons();
    const index = buttons.findIndex((button) => button === document.activeElement);
    if (index < 0) return;
    let next: number | null = null;
    if (event.key === 'ArrowDown') next = Math.min(index + 1, buttons.length - 1);
    else if (event.key === 'ArrowUp') next = index - 1;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = buttons.length - 1;
    if (next === null) return;
    event.preventDefault();
    if (next < 0) inputRef.current?.focus();
    else buttons[next]?.focus();
  };

  return (
    <FullPage
      name="search"
      title="Search"
      intro="Everything you wrote and kept, in every space: loops, turns, drafts, decisions, memories and the sources you added."
      introClassName="search-intro"
      actions={<ClosePageButton label="Close search" onClose={closeSearch} />}
    >
      <div className="search-panel" role="search" aria-label="Search everything">
        <TextField
          label="Search everything"
          fieldClassName="field search-box"
          inputRef={inputRef}
          type="search"
          value={searchQuery}
          maxLength={limits.name}
          autoComplete="off"
          spellCheck={false}
          placeholder="A word or two: “pric” finds pricing"
          aria-keyshortcuts={`${modifierKey === '⌘' ? 'Meta' : 'Control'}+Shift+F`}
          onChange={setSearchQuery}
          onKeyDown={onInputKeyDown}
        />
        <SearchFilterBar />
      </div>

      <SearchStatus />
      {searchError ? (
        <div role="alert" className="form-error">
          <strong>{errorHeading(searchError.code)}.</strong>{' '}
          {searchError.field && fieldNames[searchError.field]
            ? `${fieldNames[searchError.field]}: ${searchError.message}`
            : searchError.message}
        </div>
      ) : null}

      {searchResults.length > 0 ? (
        <ul
          ref={listRef}
          role="list"
          className="search-results"
          aria-label="Search results"
          onKeyDown={onListKeyDown}
        >
          {searchResults.map((result) => (
            <SearchResultItem
              key={`${result.kind}:${result.loopId ?? ''}:${result.turnId ?? ''}:${result.memoryId ?? ''}:${result.sourceId ?? ''}:${result.passageIndex ?? ''}`}
              result={result}
              query={searchedQuery ?? searchQuery}
              onOpen={() => void openSearchResult(result)}
            />
          ))}
        </ul>
      ) : null}
    </FullPage>
  );
}
