import { createContext, Fragment, useContext, type ComponentProps } from 'react';
import type { ExtraProps } from 'react-markdown';
import type { PassageRef } from '../../../../shared/domain';
import { useKeel } from '../../store/KeelStoreProvider';
import { passageRefText } from './sourceLabels';
import { citedSourceName } from './sourceNames';

/** The passages the turn being shown was given, so its citation markers can open them. */
export interface TurnCitations {
  loopId: string;
  passages: readonly PassageRef[];
}

export const CitationContext = createContext<TurnCitations | null>(null);

/** One cited label: a button opening its passage, or the label as text when it cannot be opened. */
function CitedLabel({ label, citations }: { label: string; citations: TurnCitations }) {
  const passage = citations.passages.find((candidate) => candidate.label === label);
  const name = useKeel((state) =>
    passage ? citedSourceName(state, citations.loopId, passage.sourceId) : undefined,
  );
  const openSourceViewer = useKeel((state) => state.openSourceViewer);
  // A label the turn was not given (the model made it up), or a source removed since.
  if (!passage) return <>{label}</>;
  if (passage.removed || name === null) {
    return (
      <span className="src-cite-removed" title="A removed source">
        {label}
      </span>
    );
  }
  return (
    <button
      type="button"
      className="src-cite"
      title={`Open ${passageRefText(passage, name ?? undefined)}`}
      onClick={() => openSourceViewer(passage.sourceId, { passageIndex: passage.index, label })}
    >
      {label}
    </button>
  );
}

/**
 * A citation marker in a turn's Markdown ([P1] or [P1, P3], found by `remarkPassageCitations`): in
 * an AI turn that was given passages, each label opens its passage; anywhere else it stays text.
 */
export function PassageCite({ node, children }: ComponentProps<'cite'> & ExtraProps) {
  const citations = useContext(CitationContext);
  const labels = node?.properties.dataLabels;
  if (!citations || typeof labels !== 'string' || labels === '') return <>{children}</>;
  return (
    <span className="src-cite-group">
      [
      {labels.split(' ').map((label, position) => (
        <Fragment key={`${label}-${position}`}>
          {position > 0 ? ', ' : null}
          <CitedLabel label={label} citations={citations} />
        </Fragment>
      ))}
      ]
    </span>
  );
}
