import { useId, useLayoutEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { Loop, Turn } from '../../../../shared/domain';
import { draftHunks, type DraftHunk } from '../../../../shared/draftDiff';
import type { KeelErrorInfo } from '../../../../shared/errors';
import { useKeel } from '../../store/KeelStoreProvider';
import { changesCount } from './draftVersionLabel';

/** The lines of a hunk's text (its final line break ends the last line rather than adding one). */
function lines(text: string): string[] {
  if (text === '') return [];
  return text.replace(/\n$/, '').split('\n');
}

/** A hunk's two sides as shown: what it removes struck (−, red), then what it adds (+, green). */
const hunkSides = [
  { text: 'removed', Mark: 'del', sign: '−' },
  { text: 'added', Mark: 'ins', sign: '+' },
] as const;

/** What one change removes and adds, line by line. */
function HunkLines({ hunk }: { hunk: DraftHunk }) {
  return (
    <div className="hunk-lines">
      {hunkSides.map(({ text, Mark, sign }) =>
        lines(hunk[text]).map((line, index) => (
          <Mark key={`${text}-${index}`} className={`hunk-line hunk-${text}`}>
            <span className="hunk-sign" aria-hidden="true">
              {sign}
            </span>
            {line || ' '}
          </Mark>
        )),
      )}
    </div>
  );
}

function HunkGroup({
  hunk,
  children,
  state,
}: {
  hunk: DraftHunk;
  children?: ReactNode;
  state?: 'taken' | 'left';
}) {
  const titleId = useId();
  const name = `Change ${hunk.index + 1}`;
  return (
    <div
      role="group"
      aria-labelledby={titleId}
      className={`hunk${state === 'left' ? ' hunk-left' : ''}${state === 'taken' ? ' hunk-taken' : ''}`}
    >
      <div className="hunk-head">
        <h4 id={titleId} className="hunk-title">
          {name}
        </h4>
        {hunk.before ? (
          <span className="hunk-where" title={hunk.before}>
            after “{hunk.before.length > 60 ? `${hunk.before.slice(0, 60)}…` : hunk.before}”
          </span>
        ) : (
          <span className="hunk-where">at the top</span>
        )}
        {state ? (
          <span className={`hunk-state hunk-state-${state}`}>{state === 'taken' ? 'Taken' : 'Left out'}</span>
        ) : null}
      </div>
      <HunkLines hunk={hunk} />
      {children}
    </div>
  );
}

/** The hunks of a refine not yet decided: each ticked to take by default. */
function ProposalChoice({ loop, turn, hunks }: { loop: Loop; turn: Turn; hunks: DraftHunk[] }) {
  const [chosen, setChosen] = useState<ReadonlySet<number>>(() => new Set(hunks.map((hunk) => hunk.index)));
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<KeelErrorInfo | null>(null);
  const applyRefine = useKeel((state) => state.applyRefine);
  const currentDraft = useKeel((state) => state.drafts[loop.id]?.text ?? loop.draft);
  const draftMoved = currentDraft !== turn.refineBase;

  const take = async (indexes: number[]) => {
    if (busy) return;
    setBusy(true);
    setError(null);
    const result = await applyRefine(loop.id, turn.id, indexes);
    setBusy(false);
    if (!result.ok) setError(result.error);
  };

  const toggle = (index: number, checked: boolean) =>
    setChosen((previous) => {
      const next = new Set(previous);
      if (checked) next.add(index);
      else next.delete(index);
      return next;
    });

  return (
    <>
      <p className="proposal-intro">
        {hunks.length === 1
          ? 'One change to the draft. Take it or leave it.'
          : `${hunks.length} changes to the draft. Tick the ones to take.`}
      </p>
      {draftMoved ? (
        <p className="proposal-note">
          The draft changed since this revision was proposed: the changes you take are fitted into the draft
          as it is now, where they still apply.
        </p>
      ) : null}
      <div className="hunk-list">
        {hunks.map((hunk) => (
          <HunkGroup key={hunk.index} hunk={hunk}>
            <label className="check-row hunk-take">
              <input
                type="checkbox"
                checked={chosen.has(hunk.index)}
                onChange={(event) => toggle(hunk.index, event.target.checked)}
              />
              Take change {hunk.index + 1}
            </label>
          </HunkGroup>
        ))}
      </div>
      {error ? (
        <div role="alert" className="form-error">
          {error.message}
        </div>
      ) : null}
      <div className="proposal-actions">
        <button
          type="button"
          className="button button-small button-primary"
          aria-disabled={busy || chosen.size === 0}
          title={chosen.size === 0 ? 'Tick at least one change, or choose Take none' : undefined}
          onClick={() => {
            if (chosen.size > 0) void take([...chosen].sort((a, b) => a - b));
          }}
        >
          Take selected changes
        </button>
        <button
          type="button"
          className="button button-small"
          aria-disabled={busy}
          onClick={() => void take(hunks.map((hunk) => hunk.index))}
        >
          Take all
        </button>
        <button
          type="button"
          className="button button-small button-quiet"
          aria-disabled={busy}
          onClick={() => void take([])}
        >
          Take none
        </button>
      </div>
    </>
  );
}

/**
 * What the person took of a refine, change by change. `afterChoice`: shown in place of the choice
 * just made, whose buttons went away with the focus; it goes to the changes' summary instead.
 */
function ProposalTaken({
  turn,
  hunks,
  afterChoice,
}: {
  turn: Turn;
  hunks: DraftHunk[];
  afterChoice: boolean;
}) {
  const taken = new Set(turn.applied?.hunks ?? []);
  const summaryRef = useRef<HTMLElement>(null);
  useLayoutEffect(() => {
    if (afterChoice && (document.activeElement === null || document.activeElement === document.body)) {
      summaryRef.current?.focus();
    }
  }, [afterChoice]);
  return (
    <>
      <p className="proposal-taken" role="status">
        Taken: {taken.size} of {changesCount(hunks.length)}
      </p>
      <details className="proposal-details">
        <summary ref={summaryRef}>Show the changes</summary>
        <div className="hunk-list">
          {hunks.map((hunk) => (
            <HunkGroup key={hunk.index} hunk={hunk} state={taken.has(hunk.index) ? 'taken' : 'left'} />
          ))}
        </div>
      </details>
    </>
  );
}

/**
 * A refine's proposed revision as numbered changes (hunks) the person takes or leaves, numbered as
 * the engine numbers them. Shown under a complete refine turn; nothing for any other turn.
 */
export function RefineProposal({ loop, turn }: { loop: Loop; turn: Turn }) {
  const base = turn.refineBase;
  const proposal = turn.text;
  const hunks = useMemo(() => (base === undefined ? [] : draftHunks(base, proposal)), [base, proposal]);
  const [choiceShown] = useState(() => !turn.applied);
  if (turn.move !== 'refine' || turn.author !== 'ai' || turn.status !== 'complete' || base === undefined) {
    return null;
  }

  return (
    <section role="region" aria-label="Proposed changes" className="proposal">
      <h3 className="proposal-title">Proposed changes</h3>
      {hunks.length === 0 ? (
        <p className="proposal-intro">No changes to the draft.</p>
      ) : turn.applied ? (
        <ProposalTaken turn={turn} hunks={hunks} afterChoice={choiceShown} />
      ) : (
        <ProposalChoice key={turn.id} loop={loop} turn={turn} hunks={hunks} />
      )}
    </section>
  );
}
