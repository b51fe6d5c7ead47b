import { useId, type ReactNode } from 'react';
import { decisionDossier } from '../../../../shared/dossier';
import type { Decision, DraftVersion, Loop, Turn } from '../../../../shared/domain';
import { locationWords } from '../../../../shared/passages';
import { useKeel } from '../../store/KeelStoreProvider';

function excerpt(turn: Turn): string {
  const text = turn.text.trim().replace(/\s+/g, ' ');
  return text.length > 240 ? `${text.slice(0, 239)}…` : text;
}

function draftWords(version: DraftVersion): string {
  const note = version.note ? ` (${version.note.toLowerCase()})` : '';
  return `Draft at the time: the version of ${version.createdAt.slice(0, 10)}${note}`;
}

/** One kind of thing that informed the decision, with how many; nothing when there are none. */
function DossierList<T>({
  title,
  items,
  children,
}: {
  title: string;
  items: readonly T[];
  children: (item: T) => ReactNode;
}) {
  if (items.length === 0) return null;
  return (
    <>
      <h4>
        {title} ({items.length})
      </h4>
      <ul>{items.map(children)}</ul>
    </>
  );
}

/**
 * What informed a decision: the turns kept or pinned before it, the challenges asked, the source
 * passages and memories those turns drew on, and the draft version of the time. On screen each
 * opens its turn or memory; in print it is plain text.
 */
export function DecisionDossier({
  loop,
  decision,
  forPrint = false,
}: {
  loop: Loop;
  decision: Decision;
  forPrint?: boolean;
}) {
  const headingId = useId();
  const openTurn = useKeel((state) => state.openTurn);
  const openMemory = useKeel((state) => state.openMemory);
  const sources = useKeel((state) => state.sources[loop.spaceId]);
  const dossier = decisionDossier(loop, decision);
  const sourceName = (sourceId: string) =>
    sources?.find((source) => source.id === sourceId)?.name ?? 'A source';
  const turnItem = (turn: Turn, label: string) => (
    <li key={turn.id}>
      {forPrint ? (
        <strong>{label}: </strong>
      ) : (
        <button type="button" className="link-button" onClick={() => void openTurn(loop.id, turn.id)}>
          {label}
        </button>
      )}{' '}
      {excerpt(turn)}
    </li>
  );
  const empty =
    dossier.turns.length + dossier.challenges.length + dossier.passages.length + dossier.memoryIds.length ===
      0 && !dossier.draftVersion;
  return (
    <section className="decision-dossier" aria-labelledby={headingId}>
      <h3 id={headingId}>What informed it</h3>
      {empty ? <p className="muted">Nothing was kept, pinned or challenged before deciding.</p> : null}
      {dossier.draftVersion ? (
        forPrint ? (
          <>
            <p>{draftWords(dossier.draftVersion)}</p>
            {dossier.draftVersion.text.trim() !== loop.draft.trim() ? (
              <blockquote className="dossier-draft">{dossier.draftVersion.text}</blockquote>
            ) : null}
          </>
        ) : (
          <details className="dossier-draft-details">
            <summary>{draftWords(dossier.draftVersion)}</summary>
            <div className="dossier-draft" role="region" aria-label="The draft at the time" tabIndex={0}>
              {dossier.draftVersion.text}
            </div>
          </details>
        )
      ) : null}
      <DossierList title="Turns kept or pinned" items={dossier.turns}>
        {(turn) =>
          turnItem(turn, `AI · ${turn.move}, ${turn.steering?.state === 'pinned' ? 'pinned' : 'kept'}`)
        }
      </DossierList>
      <DossierList title="Challenges asked" items={dossier.challenges}>
        {(turn) => turnItem(turn, `Challenge of ${turn.createdAt.slice(0, 10)}`)}
      </DossierList>
      <DossierList title="Source passages" items={dossier.passages}>
        {(ref) => (
          <li key={`${ref.sourceId}:${ref.index}`}>
            {ref.removed ? 'A removed source' : sourceName(ref.sourceId)}, {locationWords(ref)}
          </li>
        )}
      </DossierList>
      {dossier.memoryIds.length > 0 ? (
        <>
          <h4>Memories drawn on ({dossier.memoryIds.length})</h4>
          {forPrint ? (
            <p>{dossier.memoryIds.length} memories from Keel's memory page.</p>
          ) : (
            <ul>
              {dossier.memoryIds.map((memoryId, index) => (
                <li key={memoryId}>
                  <button type="button" className="link-button" onClick={() => openMemory({ memoryId })}>
                    Memory {index + 1}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </>
      ) : null}
    </section>
  );
}
