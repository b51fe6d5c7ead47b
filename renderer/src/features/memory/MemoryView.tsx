import { useEffect, useId, useRef, useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { limits } from '../../../../shared/contract';
import { memoryOrigins } from '../../../../shared/domain';
import { EnumField } from '../common/EnumSelect';
import { SpaceSelect } from '../common/SpaceSelect';
import { TextField } from '../common/TextField';
import { useKeel } from '../../store/KeelStoreProvider';
import { useInitialFocus } from '../common/useInitialFocus';
import { AddMemoryForm } from './AddMemoryForm';
import { DueReviews } from './DueReviews';
import { MemoryDetails } from './MemoryDetails';
import { MemorySuggestions } from './MemorySuggestions';
import { useEscape } from '../common/useEscape';
import { MemoryKindField } from './MemoryKindField';
import { memoryKindLabels, memoryOriginLabels, scopeLabel } from './memoryLabels';
import { ClosePageButton } from '../common/ClosePageButton';
import { SelectableList } from '../common/SelectableList';

const originsOrAny = ['', ...memoryOrigins] as const;
const anyScopeOrEverywhere = [
  { value: '', label: 'Any scope' },
  { value: 'everywhere', label: 'Everywhere' },
];

const sectionIds = {
  add: 'memory-add',
  suggestions: 'memory-suggestions',
  reviews: 'memory-reviews',
} as const;

/** The search box and the three filters; the words are sent once the person pauses typing. */
function MemoryFiltersBar() {
  const filters = useKeel(useShallow((state) => state.memoryFilters));
  const spaces = useKeel(useShallow((state) => state.spaces));
  const setMemoryFilters = useKeel((state) => state.setMemoryFilters);
  const [query, setQuery] = useState(filters.query);

  useEffect(() => {
    if (query === filters.query) return;
    const timer = setTimeout(() => void setMemoryFilters({ query }), 200);
    return () => clearTimeout(timer);
  }, [query, filters.query, setMemoryFilters]);

  return (
    <div className="mem-filters" role="search" aria-label="Search memories">
      <TextField
        label="Search memories"
        fieldClassName="field mem-search"
        type="search"
        value={query}
        maxLength={limits.name}
        placeholder="Words in a memory…"
        onChange={setQuery}
      />
      <MemoryKindField
        value={filters.kind}
        onChange={(kind) => void setMemoryFilters({ kind: kind })}
        emptyOption="Any kind"
      />
      <SpaceSelect
        label="Scope"
        spaces={spaces}
        leading={anyScopeOrEverywhere}
        value={filters.scope}
        onChange={(scope) => void setMemoryFilters({ scope })}
      />
      <EnumField
        label="Origin"
        options={originsOrAny}
        optionLabel={(origin) => (origin === '' ? 'Any origin' : memoryOriginLabels[origin])}
        value={filters.origin}
        onChange={(origin) => void setMemoryFilters({ origin })}
      />
    </div>
  );
}

/** The memories under the filters, each a button that shows it in full beside the list. */
function MemoryList() {
  const memories = useKeel(useShallow((state) => state.memories));
  const loaded = useKeel((state) => state.memoriesLoaded);
  const error = useKeel((state) => state.memoriesError);
  const filtered = useKeel((state) => Object.values(state.memoryFilters).some((value) => value !== ''));
  const selectedId = useKeel((state) => state.selectedMemoryId);
  const selectMemory = useKeel((state) => state.selectMemory);
  const spaces = useKeel(useShallow((state) => state.spaces));
  const loops = useKeel(useShallow((state) => state.loops));

  if (error) {
    return (
      <p role="alert" className="form-error">
        The memories could not be listed. {error.message}
      </p>
    );
  }
  if (!loaded) return <p className="muted">Loading your memories…</p>;
  return (
    <>
      <p className="mem-count" role="status">
        {memories.length === 0
          ? filtered
            ? 'No memory matches.'
            : 'Keel remembers nothing yet. Say “Remember that…” in a loop, accept a lesson at Learn, or add one here.'
          : memories.length === 1
            ? '1 memory'
            : `${memories.length} memories`}
      </p>
      {memories.length > 0 ? (
        <SelectableList
          role="list"
          aria-label="Memories"
          className="mem-list"
          itemClassName="mem-list-item"
          items={memories}
          currentId={selectedId}
          onSelect={(item) => void selectMemory(item.id)}
        >
          {(item) => (
            <>
              <span className="mem-list-text">{item.text}</span>
              <span className="mem-list-meta">
                <span className="mem-tag">{memoryKindLabels[item.kind]}</span>
                {item.pinned ? <span className="mem-tag mem-tag-pinned">pinned</span> : null}
                <span>{scopeLabel(item.scope, spaces, loops)}</span>
                <span>{memoryOriginLabels[item.origin.type]}</span>
                <span>{item.useCount === 1 ? '1 use' : `${item.useCount} uses`}</span>
              </span>
            </>
          )}
        </SelectableList>
      ) : null}
    </>
  );
}

/**
 * The memory page, in place of the loop: add a memory, find and edit what Keel remembers (with its
 * history and where it was used), keep or dismiss what Keel noticed, and review decisions that are due.
 */
export function MemoryView() {
  const headingRef = useRef<HTMLHeadingElement>(null);
  const listHeadingId = useId();
  const closeMemory = useKeel((state) => state.closeMemory);
  const target = useKeel((state) => state.memoryTarget);
  const selected = useKeel((state) =>
    state.selectedMemoryId ? state.memoryItems[state.selectedMemoryId] : undefined,
  );
  useInitialFocus(headingRef);

  // Opened from a link: go to the section or the memory it points at.
  useEffect(() => {
    if (!target) return;
    const id = target.section ? sectionIds[target.section] : target.memoryId ? 'memory-details' : null;
    if (!id) return;
    const frame = requestAnimationFrame(() => {
      const element = document.getElementById(id);
      const focusable = target.section ? element?.querySelector<HTMLElement>('h2') : element;
      element?.scrollIntoView({ block: 'start' });
      focusable?.focus();
    });
    return () => cancelAnimationFrame(frame);
  }, [target]);

  // Esc goes back to the work, unless a dialog is open (Esc closes that instead).
  useEscape(closeMemory);

  return (
    <section className="mem-page" aria-labelledby="memory-title">
      <header className="mem-header">
        <div>
          <h1 id="memory-title" ref={headingRef} tabIndex={-1}>
            Memory
          </h1>
          <p className="mem-intro">
            What Keel carries from one loop to the next. Every AI turn lists the memories it used; a client’s
            memories never reach another client’s loops.
          </p>
        </div>
        <ClosePageButton label="Close memory" onClose={closeMemory} />
      </header>
      <AddMemoryForm />
      <section className="mem-section" aria-labelledby={listHeadingId}>
        <h2 id={listHeadingId}>Your memories</h2>
        <MemoryFiltersBar />
        <div className="mem-browse">
          <div className="mem-browse-list">
            <MemoryList />
          </div>
          {selected ? (
            <MemoryDetails item={selected} />
          ) : selected === null ? (
            <section className="mem-details" aria-label="Memory details" id="memory-details" tabIndex={-1}>
              <p className="muted">This memory was forgotten: it is no longer in your data folder.</p>
            </section>
          ) : (
            <p className="mem-details mem-details-empty muted">
              Pick a memory to see its history and where it was used.
            </p>
          )}
        </div>
      </section>
      <MemorySuggestions />
      <DueReviews />
    </section>
  );
}
