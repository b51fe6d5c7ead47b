import { createPortal } from 'react-dom';
import type { Loop, Source, Turn } from '../../../../shared/domain';
import { useKeel } from '../../store/KeelStoreProvider';
import { formatTime } from '../common/formatTime';
import { DecisionDetails } from '../loop/DecisionDetails';
import { DecisionDossier } from '../loop/DecisionDossier';
import { TurnMarkdown } from '../loop/TurnMarkdown';
import { passageRefText } from '../sources/sourceLabels';

const intentParts = [
  ['goal', 'Goal'],
  ['context', 'Context'],
  ['constraints', 'Constraints'],
  ['goodLooksLike', 'What good looks like'],
] as const;

/** The passages an AI turn was given, so a printed claim still says where it came from. */
function PrintedPassages({ turn, sources }: { turn: Turn; sources: Source[] | undefined }) {
  if (!turn.passages || turn.passages.length === 0) return null;
  const nameOf = (sourceId: string) => sources?.find((source) => source.id === sourceId)?.name;
  // Removed: the space's sources are known and it is not among them (while unknown, "a source").
  const removed = (sourceId: string) => sources !== undefined && nameOf(sourceId) === undefined;
  return (
    <p className="print-passages">
      Passages given:{' '}
      {turn.passages
        .map((ref) =>
          passageRefText(removed(ref.sourceId) ? { ...ref, removed: true } : ref, nameOf(ref.sourceId)),
        )
        .join('; ')}
    </p>
  );
}

/** The turns a reader should see: one version of each regenerated move (the chosen one), nothing half-written. */
function printedTurns(turns: Turn[]): Turn[] {
  const firsts = new Map(turns.filter((turn) => !turn.versionOf).map((turn) => [turn.id, turn]));
  const groups = new Map<string, Turn[]>();
  for (const turn of turns) {
    const key = turn.versionOf ?? turn.id;
    groups.set(key, [...(groups.get(key) ?? []), turn]);
  }
  const shown = new Set<string>();
  for (const [key, group] of groups) {
    const chosenId = firsts.get(key)?.chosenVersion;
    const chosen = group.find((turn) => turn.id === chosenId) ?? group.at(-1);
    if (chosen) shown.add(chosen.id);
  }
  return turns.filter((turn) => shown.has(turn.id) && turn.status !== 'streaming' && turn.text.trim() !== '');
}

/**
 * The loop as a clean document for the printer (or "Save as PDF"): its title, intent, decision,
 * draft and, if asked, its timeline. It is only visible in print; `export.css` hides the rest.
 */
export function PrintDocument({
  loop,
  draft,
  includeTimeline,
}: {
  loop: Loop;
  draft: string;
  includeTimeline: boolean;
}) {
  const sources = useKeel((state) => state.sources[loop.spaceId]);
  const intent = intentParts.filter(([key]) => loop.intent[key].trim() !== '');
  const decision = loop.decision;
  return createPortal(
    <article className="print-document" aria-label="Printable loop">
      <h1>{loop.title}</h1>
      {intent.length > 0 ? (
        <section>
          <h2>Intent</h2>
          <dl>
            {intent.map(([key, label]) => (
              <div key={key}>
                <dt>{label}</dt>
                <dd>{loop.intent[key]}</dd>
              </div>
            ))}
          </dl>
        </section>
      ) : null}
      {decision ? (
        <section>
          <h2>Decision</h2>
          <p className="print-choice">{decision.choice}</p>
          <DecisionDetails decision={decision} withChoice={false} />
          <DecisionDossier loop={loop} decision={decision} forPrint />
        </section>
      ) : null}
      {loop.pastDecisions.length > 0 ? (
        <section>
          <h2>Earlier decisions</h2>
          {loop.pastDecisions
            .slice()
            .reverse()
            .map((past) => (
              <div key={past.decidedAt} className="print-earlier-decision">
                <p className="print-choice">
                  {past.choice} (decided {past.decidedAt.slice(0, 10)}
                  {past.reopenedAt ? `, reopened ${past.reopenedAt.slice(0, 10)}` : ''})
                </p>
                <DecisionDetails decision={past} withChoice={false} />
                <DecisionDossier loop={loop} decision={past} forPrint />
              </div>
            ))}
        </section>
      ) : null}
      <section>
        <h2>Draft</h2>
        {draft.trim() ? <TurnMarkdown text={draft} /> : <p>(No draft yet.)</p>}
      </section>
      {includeTimeline ? (
        <section>
          <h2>Timeline</h2>
          {printedTurns(loop.turns).map((turn) => (
            <div key={turn.id} className="print-turn">
              <h3>
                {turn.author === 'ai' ? `AI · ${turn.move}` : 'You'} · {formatTime(turn.createdAt)}
                {turn.steering?.state === 'set-aside' ? ' · set aside' : ''}
              </h3>
              {turn.author === 'ai' ? <TurnMarkdown text={turn.text} /> : <p>{turn.text}</p>}
              <PrintedPassages turn={turn} sources={sources} />
            </div>
          ))}
        </section>
      ) : null}
    </article>,
    document.body,
  );
}
