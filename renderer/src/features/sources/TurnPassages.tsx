import { useId } from 'react';
import type { PassageRef, Turn } from '../../../../shared/domain';
import { loopSources } from '../../store/slices/sourcesSlice';
import { useKeel } from '../../store/KeelStoreProvider';
import { passageRefText } from './sourceLabels';
import { citedSourceName } from './sourceNames';

/** One passage an AI turn was given: "[P1] Q3 report.pdf · page 2", and a way to read it there. */
function GivenPassage({ turn, passage }: { turn: Turn; passage: PassageRef }) {
  const name = useKeel((state) => citedSourceName(state, turn.loopId, passage.sourceId));
  const openSourceViewer = useKeel((state) => state.openSourceViewer);
  const removed = passage.removed === true || name === null;
  const text = passageRefText(removed ? { ...passage, removed: true } : passage, name ?? undefined);
  return (
    <li className={removed ? 'src-given src-given-removed' : 'src-given'}>
      <span className="src-given-text">{text}</span>
      {removed ? null : (
        <button
          type="button"
          className="button button-small button-quiet src-given-open"
          aria-label={`Open ${passage.label}`}
          title={`Open ${text.replace(/^\[[^\]]+\] /, '')} at this passage`}
          onClick={() =>
            openSourceViewer(passage.sourceId, { passageIndex: passage.index, label: passage.label })
          }
        >
          Open
        </button>
      )}
    </li>
  );
}

/**
 * "No passages from your sources were given": said quietly, and only where the loop has sources
 * to draw from (in a loop without any it would be said under every answer).
 */
function NoPassages({ turn }: { turn: Turn }) {
  const hasSources = useKeel((state) => {
    const loop = state.openLoop?.id === turn.loopId ? state.openLoop : null;
    const list = loop ? state.sources[loop.spaceId] : undefined;
    return list ? loopSources(list, turn.loopId).length > 0 : false;
  });
  return hasSources ? <p className="src-none">No passages from your sources were given.</p> : null;
}

/**
 * The passages of the person's sources an AI turn was given, as its prompt labelled them, each
 * opening the source viewer there. Turns made before sources existed show nothing.
 */
export function TurnPassages({ turn }: { turn: Turn }) {
  const headingId = useId();
  if (turn.author !== 'ai' || turn.passages === undefined) return null;
  if (turn.passages.length === 0) return turn.status === 'complete' ? <NoPassages turn={turn} /> : null;
  return (
    <section className="src-turn" aria-labelledby={headingId}>
      <h3 id={headingId} className="src-turn-title">
        Passages given
      </h3>
      <ul className="src-given-list">
        {turn.passages.map((passage) => (
          <GivenPassage key={passage.label} turn={turn} passage={passage} />
        ))}
      </ul>
    </section>
  );
}
