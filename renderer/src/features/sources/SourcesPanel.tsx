import { useEffect, useId, useMemo, useRef, useState, type DragEvent } from 'react';
import { useShallow } from 'zustand/react/shallow';
import type { Space } from '../../../../shared/domain';
import {
  loopSources,
  sourcePanelKey,
  type SourceFileInput,
  type SourceTarget,
} from '../../store/slices/sourcesSlice';
import { sourceSizeLimitLabel } from '../../store/sourceFiles';
import { useKeel } from '../../store/KeelStoreProvider';
import { RadioChoices } from '../common/RadioChoices';
import { PastedTextDialog } from './PastedTextDialog';
import { SourceItem } from './SourceItem';
import { SourceUploads } from './SourceUploads';
import { sourceFileAccept } from './sourceLabels';

/**
 * The latest request from the command palette that a panel served. Requests only grow and each is
 * served once, so a panel opened later does not take focus for a request made long ago.
 */
let servedFocusRequest = 0;

/** A file from the picker or a drop, read only when its turn comes. */
function toSourceFile(file: File): SourceFileInput {
  return {
    name: file.name,
    bytes: file.size,
    mimeType: file.type,
    readBytes: () => file.arrayBuffer(),
  };
}

/** Whether a drag carries files from the desktop (rather than text or a link from the page). */
function carriesFiles(event: DragEvent | globalThis.DragEvent): boolean {
  return Array.from(event.dataTransfer?.types ?? []).includes('Files');
}

/**
 * While a sources panel is on screen, a file dropped beside its drop zone is ignored rather than
 * opened by the browser in place of the workspace.
 */
function useIgnoreStrayDrops() {
  useEffect(() => {
    const ignore = (event: globalThis.DragEvent) => {
      if (carriesFiles(event) && !event.defaultPrevented) event.preventDefault();
    };
    window.addEventListener('dragover', ignore);
    window.addEventListener('drop', ignore);
    return () => {
      window.removeEventListener('dragover', ignore);
      window.removeEventListener('drop', ignore);
    };
  }, []);
}

interface SourcesPanelProps {
  space: Space;
  /** The loop the panel is for; without it, the panel is the whole space's. */
  loop?: { id: string; title: string };
  onClose?: () => void;
}

/**
 * The person's documents for a space, or for one loop (those of its space and its own): adding them
 * by drop, picker or paste, how each is going in, what went wrong, and the list to open, rename,
 * remove, or (in a loop) pin or leave out.
 */
export function SourcesPanel({ space, loop, onClose }: SourcesPanelProps) {
  const headingId = useId();
  const hintId = useId();
  const inputId = useId();
  const scopeName = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const addButtonRef = useRef<HTMLButtonElement>(null);
  const [dragging, setDragging] = useState(false);
  const [pasting, setPasting] = useState(false);
  const [addTo, setAddTo] = useState<'loop' | 'space'>('loop');
  const list = useKeel((state) => state.sources[space.id]);
  const error = useKeel((state) => state.sourcesErrors[space.id]);
  const loopTitles = useKeel(
    useShallow((state) =>
      loop ? {} : Object.fromEntries(state.loops.map((summary) => [summary.id, summary.title])),
    ),
  );
  const loadSources = useKeel((state) => state.loadSources);
  const addSourceFiles = useKeel((state) => state.addSourceFiles);
  const focusRequest = useKeel((state) => state.sourcesFocusRequest);
  const panel = sourcePanelKey({ spaceId: space.id, ...(loop ? { loopId: loop.id } : {}) });
  const target: SourceTarget =
    loop && addTo === 'loop' ? { spaceId: space.id, loopId: loop.id } : { spaceId: space.id };
  const shown = useMemo(() => (list && loop ? loopSources(list, loop.id) : list), [list, loop]);
  useIgnoreStrayDrops();

  useEffect(() => {
    void loadSources(space.id);
  }, [space.id, loadSources]);

  // A source removed from its row's dialog takes the row, and the button that had focus, with it:
  // focus comes back to the panel rather than being lost.
  const shownCount = useRef(shown?.length ?? 0);
  useEffect(() => {
    const count = shown?.length ?? 0;
    const fewer = count < shownCount.current;
    shownCount.current = count;
    if (fewer && (document.activeElement === null || document.activeElement === document.body)) {
      addButtonRef.current?.focus();
    }
  }, [shown]);

  // Asked for from the command palette: bring the panel into view, ready to add files.
  useEffect(() => {
    if (focusRequest <= servedFocusRequest) return;
    servedFocusRequest = focusRequest;
    addButtonRef.current?.scrollIntoView({ block: 'nearest' });
    addButtonRef.current?.focus();
  }, [focusRequest]);

  const add = (files: readonly File[]) => {
    if (files.length > 0) void addSourceFiles(target, panel, files.map(toSourceFile));
  };

  const onDragOver = (event: DragEvent<HTMLDivElement>) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
    setDragging(true);
  };

  const onDragLeave = (event: DragEvent<HTMLDivElement>) => {
    const next = event.relatedTarget;
    if (!(next instanceof Node) || !event.currentTarget.contains(next)) setDragging(false);
  };

  const onDrop = (event: DragEvent<HTMLDivElement>) => {
    event.preventDefault();
    setDragging(false);
    add(Array.from(event.dataTransfer.files));
  };

  const label = loop ? 'Sources for this loop' : `Sources of ${space.name}`;

  return (
    <section className={loop ? 'src-panel src-panel-loop' : 'src-panel'} aria-label={label}>
      <header className="src-head">
        <h2 id={headingId}>{loop ? 'Sources for this loop' : 'Sources'}</h2>
        {onClose ? (
          <button type="button" className="button button-small button-quiet" onClick={onClose}>
            Close sources
          </button>
        ) : null}
      </header>
      <p className="src-intro">
        {loop
          ? `Before each move, the AI is given the passages of ${space.name}’s sources and this loop’s own that fit what you ask, and cites them as [P1], [P2]…`
          : 'Documents the AI draws on in every loop of this space: it is given the passages that fit what you ask, and cites them as [P1], [P2]…'}{' '}
        They are read on this computer and never leave it.
      </p>

      <div
        className={dragging ? 'src-drop src-drop-active' : 'src-drop'}
        onDragEnter={onDragOver}
        onDragOver={onDragOver}
        onDragLeave={onDragLeave}
        onDrop={onDrop}
        data-testid="source-drop-zone"
      >
        <p id={hintId} className="src-drop-text">
          {dragging ? 'Drop to add them' : 'Drop files here'}
          <span className="src-drop-kinds">
            PDF, Word (.docx), Markdown, text, CSV or saved web pages, up to {sourceSizeLimitLabel} each
          </span>
        </p>
        <div className="src-drop-actions">
          <button
            ref={addButtonRef}
            data-add-files
            type="button"
            className="button button-small button-primary"
            aria-describedby={hintId}
            onClick={() => inputRef.current?.click()}
          >
            Add files
          </button>
          <button type="button" className="button button-small" onClick={() => setPasting(true)}>
            Add pasted text
          </button>
        </div>
        {loop ? (
          <fieldset className="src-scope">
            <legend>Add new sources to</legend>
            <RadioChoices
              name={scopeName}
              choices={[
                ['loop', 'This loop only'],
                ['space', `Every loop of ${space.name}`],
              ]}
              value={addTo}
              onChange={setAddTo}
              className="src-scope-choice"
            />
          </fieldset>
        ) : null}
        <input
          ref={inputRef}
          id={inputId}
          type="file"
          multiple
          hidden
          accept={sourceFileAccept}
          aria-label="Add source files"
          onChange={(event) => {
            add(Array.from(event.target.files ?? []));
            // The same file can be picked again (after removing it, say).
            event.target.value = '';
          }}
        />
      </div>

      <SourceUploads panel={panel} />

      {error ? (
        <div role="alert" className="form-error">
          The sources could not be listed. {error.message}{' '}
          <button type="button" className="link-button" onClick={() => void loadSources(space.id)}>
            Try again
          </button>
        </div>
      ) : null}
      {shown === undefined ? (
        error ? null : (
          <p className="muted src-empty">Loading sources…</p>
        )
      ) : shown.length === 0 ? (
        <p className="muted src-empty">
          {loop ? 'No sources for this loop yet.' : `No sources in ${space.name} yet.`}
        </p>
      ) : (
        <ul role="list" className="src-list" aria-labelledby={headingId}>
          {shown.map((source) => (
            <SourceItem
              key={source.id}
              source={source}
              loopId={loop?.id}
              loopTitle={source.loopId ? loopTitles[source.loopId] : undefined}
            />
          ))}
        </ul>
      )}

      {pasting ? (
        <PastedTextDialog
          target={target}
          panel={panel}
          where={target.loopId ? 'this loop' : space.name}
          onClose={() => setPasting(false)}
        />
      ) : null}
    </section>
  );
}
