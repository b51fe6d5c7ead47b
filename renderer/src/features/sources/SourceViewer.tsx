import { useLayoutEffect, useRef } from 'react';
import type { SourcePassage } from '../../../../shared/domain';
import type { SourceViewerTarget } from '../../store/slices/sourcesSlice';
import { formatSourceSize } from '../../store/sourceFiles';
import type { KeelState } from '../../store';
import { useKeel, useKeelFields } from '../../store/KeelStoreProvider';
import { ActionButton } from '../common/ActionButton';
import { Dialog } from '../common/Dialog';
import { FormError } from '../common/FormError';
import { downloadFile } from '../export/downloadFile';
import { passageLocation, sourceExtent, sourceFormatLabels } from './sourceLabels';

/** A source's name from the lists already on screen, while the viewer reads it. */
function listedName(state: KeelState, sourceId: string): string | undefined {
  for (const list of Object.values(state.sources)) {
    const found = list.find((source) => source.id === sourceId);
    if (found) return found.name;
  }
  return undefined;
}

/**
 * The passages in order, each group under its place in the source ("Page 2", a section's title,
 * "Rows 2–41"). The passage asked for is marked current, highlighted, scrolled to and focused.
 */
function PassageList({ passages, target }: { passages: SourcePassage[]; target: SourceViewerTarget }) {
  const currentRef = useRef<HTMLLIElement>(null);

  useLayoutEffect(() => {
    const element = currentRef.current;
    if (!element) return;
    element.scrollIntoView({ block: 'center' });
    element.focus({ preventScroll: true });
  }, [target.request]);

  if (passages.length === 0) {
    return <p className="muted">Keel found no text in it.</p>;
  }
  return (
    <ol className="src-passages" aria-label="Passages">
      {passages.map((passage, position) => {
        const place = passageLocation(passage);
        const previous = position > 0 ? passageLocation(passages[position - 1]!) : null;
        const current = passage.index === target.passageIndex;
        return (
          <li
            key={passage.index}
            ref={current ? currentRef : undefined}
            className={current ? 'src-passage src-passage-current' : 'src-passage'}
            aria-current={current ? 'true' : undefined}
            tabIndex={current ? -1 : undefined}
          >
            {place && place !== previous ? <h3 className="src-passage-place">{place}</h3> : null}
            {current && target.label ? (
              <span className="src-passage-label" title="How the AI’s turn cites this passage">
                {target.label}
              </span>
            ) : null}
            <p className="src-passage-text">{passage.text}</p>
          </li>
        );
      })}
    </ol>
  );
}

function SourceViewer({ target }: { target: SourceViewerTarget }) {
  const reading = useKeel((state) =>
    state.sourceReading?.sourceId === target.sourceId ? state.sourceReading : null,
  );
  const name = useKeel((state) => listedName(state, target.sourceId));
  const { closeSourceViewer: close, getSourceFile } = useKeelFields('closeSourceViewer', 'getSourceFile');
  const source = reading?.status === 'ready' ? reading.source : undefined;
  const title = source?.name ?? name ?? 'Source';

  return (
    <Dialog title={title} onClose={close} className="src-viewer">
      <div className="src-viewer-bar">
        {source ? (
          <p className="src-viewer-meta">
            {sourceFormatLabels[source.format]} · {formatSourceSize(source.bytes)} · {sourceExtent(source)}
            {source.name !== source.fileName ? ` · from ${source.fileName}` : ''}
          </p>
        ) : (
          <p className="src-viewer-meta" />
        )}
        {reading?.status === 'failed' ? null : (
          // The file as it was added, handed to the browser's download (nothing is sent).
          <ActionButton
            className="button button-small"
            title="Save a copy of the file as it was added, to open it in another application"
            call={() => getSourceFile(target.sourceId)}
            onDone={downloadFile}
          >
            Open original
          </ActionButton>
        )}
      </div>
      <div className="src-viewer-body">
        {reading === null || reading.status === 'loading' ? (
          <p role="status" className="muted">
            Reading the source…
          </p>
        ) : reading.status === 'failed' ? (
          // In the engine's words: a removed source is "no longer here", and a source whose
          // passages went missing says what to do, though both are `not-found`.
          <FormError error={reading.error} />
        ) : (
          <PassageList passages={reading.passages} target={target} />
        )}
      </div>
      <div className="dialog-actions">
        <button type="button" className="button" onClick={close}>
          Close
        </button>
      </div>
    </Dialog>
  );
}

/** The source viewer, over whatever is on screen, while one is open. */
export function SourceViewerHost() {
  const target = useKeel((state) => state.sourceViewer);
  if (!target) return null;
  return <SourceViewer key={target.sourceId} target={target} />;
}
