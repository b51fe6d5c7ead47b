import { memo, useId, useLayoutEffect, useRef, useState } from 'react';
import type { Turn } from '../../../../shared/domain';
import { canRetry, streamingTurn } from '../../store/slices/loopsSlice';
import { useKeel } from '../../store/KeelStoreProvider';
import { errorHeading } from '../common/errorHeading';
import { formatTime } from '../common/formatTime';
import { TextWithCode } from '../common/TextWithCode';
import { ModelPull } from '../models/ModelPull';
import { RefineProposal } from '../draft/RefineProposal';
import { TurnMemories } from '../memory/TurnMemories';
import { TurnPassages } from '../sources/TurnPassages';
import { ActionError } from './ActionError';
import { TurnMarkdown } from './TurnMarkdown';
import { EditTurnForm, RegenerateForm, SetAsideForm, SteeringBar, type SteeringMode } from './TurnSteering';
import { VersionCompare, VersionSwitcher } from './TurnVersions';
import { useTurnAction } from './useTurnAction';

/** What Keel knows was cut from this turn's request or answer, in words. */
function contextNotes(turn: Turn): string[] {
  const notes: string[] = [];
  const omitted = turn.stats?.omittedTurns ?? 0;
  if (omitted > 0) {
    notes.push(
      omitted === 1
        ? "1 older turn was left out to fit the model's context."
        : `${omitted} older turns were left out to fit the model's context.`,
    );
  }
  if (turn.stats?.truncated === 'prompt') {
    notes.push(
      'Ollama cut the start of the prompt: the model did not see everything. Shorten the loop or pick a model with a larger context.',
    );
  } else if (turn.stats?.truncated === 'answer') {
    notes.push('The answer hit the length limit and may be cut short.');
  }
  return notes;
}

/**
 * Asking again for a move that ended without its answer; for a model that is not installed, the
 * download that fixes it first.
 */
function TurnRecovery({ turn }: { turn: Turn }) {
  const retryTurn = useKeel((state) => state.retryTurn);
  const busy = useKeel(
    (state) =>
      state.sendingLoopId === turn.loopId ||
      (state.openLoop?.id === turn.loopId && streamingTurn(state.openLoop) !== undefined),
  );
  const missingModel =
    turn.status === 'failed' && turn.error?.code === 'model-missing' ? turn.model : undefined;
  const downloaded = useKeel((state) => (missingModel ? state.pulls[missingModel]?.state === 'done' : false));

  return (
    <div className="turn-recovery">
      {missingModel ? <ModelPull model={missingModel} /> : null}
      <div className="turn-recovery-actions">
        <button
          type="button"
          className={downloaded ? 'button button-small button-primary' : 'button button-small'}
          title={busy ? 'Wait for the AI to finish first' : `Ask for the same move again (${turn.move})`}
          aria-disabled={busy}
          onClick={() => {
            if (!busy) void retryTurn(turn.id);
          }}
        >
          Retry
        </button>
        {downloaded ? <span className="turn-recovery-hint">The model is ready: press Retry.</span> : null}
      </div>
    </div>
  );
}

function formatStats(turn: Turn): string | null {
  const parts: string[] = [];
  if (turn.model) parts.push(turn.model);
  if (turn.stats?.outputTokens !== undefined) parts.push(`${turn.stats.outputTokens} tokens`);
  if (turn.stats?.totalMs !== undefined) parts.push(`${(turn.stats.totalMs / 1000).toFixed(1)} s`);
  return parts.length > 0 ? parts.join(' · ') : null;
}

/** A refine's proposed changes, under its text once it is complete (reads the loop it belongs to). */
function RefineSlot({ turn }: { turn: Turn }) {
  const loop = useKeel((state) => (state.openLoop?.id === turn.loopId ? state.openLoop : null));
  return loop ? <RefineProposal loop={loop} turn={turn} /> : null;
}

/** The text of a turn with what goes with it: thinking, notes on the context, errors, figures. */
function TurnBody({ turn }: { turn: Turn }) {
  const byAi = turn.author === 'ai';
  const streaming = turn.status === 'streaming';
  const stats = byAi && turn.status === 'complete' ? formatStats(turn) : null;
  const notes = byAi && !streaming ? contextNotes(turn) : [];
  return (
    <>
      {byAi && turn.steer ? <p className="turn-steer">Steer: {turn.steer}</p> : null}
      {byAi && turn.challengedDecision ? (
        <details className="turn-thinking">
          <summary>The decision it challenges</summary>
          <TurnMarkdown text={turn.challengedDecision} />
        </details>
      ) : null}
      {byAi && turn.thinking ? (
        <details className="turn-thinking">
          <summary>Thinking</summary>
          <p>{turn.thinking}</p>
        </details>
      ) : null}

      {turn.text ? (
        byAi || turn.move === 'decide' ? (
          <TurnMarkdown text={turn.text} loopId={turn.loopId} passages={byAi ? turn.passages : undefined} />
        ) : (
          <p className="turn-text">{turn.text}</p>
        )
      ) : streaming ? (
        <p className="turn-placeholder" aria-hidden="true">
          <span className="typing-dot" />
          <span className="typing-dot" />
          <span className="typing-dot" />
        </p>
      ) : null}

      {byAi && turn.move === 'refine' && turn.status === 'complete' ? <RefineSlot turn={turn} /> : null}

      {byAi && turn.edited ? (
        <details className="turn-original">
          <summary>Show what the AI wrote</summary>
          <TurnMarkdown text={turn.edited.originalText} loopId={turn.loopId} passages={turn.passages} />
        </details>
      ) : null}

      {notes.length > 0 ? (
        <ul className="turn-notes">
          {notes.map((note) => (
            <li key={note} className="turn-note">
              {note}
            </li>
          ))}
        </ul>
      ) : null}
      {turn.status === 'failed' ? (
        <div className="turn-error">
          <strong>{errorHeading(turn.error?.code ?? 'internal')}</strong>
          <p>
            <TextWithCode text={turn.error?.message ?? 'The AI could not finish this move.'} />
          </p>
        </div>
      ) : null}
      {turn.status === 'interrupted' ? (
        <p className="turn-interrupted">Interrupted (Keel closed while this was being written)</p>
      ) : null}
      {canRetry(turn) ? <TurnRecovery turn={turn} /> : null}
      {stats ? <footer className="turn-meta">{stats}</footer> : null}
    </>
  );
}

/** A set-aside turn, folded: why, that the AI no longer reads it, and a way back. */
function SetAsideTurn({ turn }: { turn: Turn }) {
  const steerTurn = useKeel((state) => state.steerTurn);
  const { busy, error, run } = useTurnAction();
  const reason = turn.steering?.reason;
  return (
    <div className="turn-set-aside-body">
      <div className="turn-set-aside-line">
        <p className="turn-set-aside-label">
          {reason ? `Set aside: ${reason}` : 'Set aside'} — not sent to the AI
        </p>
        <button
          type="button"
          className="button button-small"
          aria-disabled={busy}
          onClick={() => void run(() => steerTurn({ loopId: turn.loopId, turnId: turn.id, state: null }))}
        >
          Bring back
        </button>
      </div>
      <ActionError error={error} />
      <details className="turn-original">
        <summary>Show what it said</summary>
        {turn.text ? <TurnMarkdown text={turn.text} /> : <p className="muted">(no text)</p>}
      </details>
    </div>
  );
}

interface TurnViewProps {
  /** The turn, or for a regenerated move its current version. */
  turn: Turn;
  /** Every version of the move, oldest first, when there is more than one. */
  versions?: Turn[] | undefined;
}

/**
 * One turn of the timeline (one move: a regenerated move shows one version at a time). Its
 * accessible name says who made it: "You" or "AI · <move>".
 */
export const TurnView = memo(function TurnView({ turn: current, versions }: TurnViewProps) {
  const labelId = useId();
  const [shownId, setShownId] = useState<string | null>(null);
  const [mode, setMode] = useState<SteeringMode>('idle');
  const [comparing, setComparing] = useState(false);
  const articleRef = useRef<HTMLElement>(null);
  /** The form that just closed, whose button takes the focus back if the form had it. */
  const closedForm = useRef<SteeringMode | null>(null);
  const closeForm = () => {
    closedForm.current = mode;
    setMode('idle');
  };
  const turn = (shownId !== null && versions?.find((version) => version.id === shownId)) || current;
  const byAi = turn.author === 'ai';
  const streaming = turn.status === 'streaming';
  const isCurrent = turn.id === current.id;
  const setAside = byAi && turn.steering?.state === 'set-aside';
  const pinned = byAi && turn.steering?.state === 'pinned';
  const canSteer = byAi && !streaming && isCurrent && !setAside;

  // A closed form takes the focus with it: it goes back to the button that opened the form or, when
  // that is gone (the turn set aside, or being written again), to what replaced it, else the turn.
  useLayoutEffect(() => {
    const closed = closedForm.current;
    if (closed === null || mode !== 'idle') return;
    closedForm.current = null;
    const article = articleRef.current;
    if (!article || (document.activeElement !== document.body && document.activeElement !== null)) return;
    const target =
      article.querySelector<HTMLElement>(`[data-steer="${closed}"]`) ??
      article.querySelector<HTMLElement>('.turn-set-aside-body button') ??
      article;
    if (target === article) article.tabIndex = -1;
    target.focus();
  }, [mode, canSteer, setAside]);

  const className = [
    'turn',
    byAi ? 'turn-ai' : 'turn-person',
    `turn-is-${turn.status}`,
    setAside ? 'turn-set-aside' : '',
    pinned ? 'turn-pinned' : '',
  ]
    .filter(Boolean)
    .join(' ');

  return (
    <article
      ref={articleRef}
      className={className}
      aria-labelledby={labelId}
      aria-busy={streaming || undefined}
    >
      <header className="turn-header">
        <span id={labelId} className="turn-author">
          {byAi ? (
            <>
              <span className="turn-badge">AI</span> · {turn.move}
            </>
          ) : (
            'You'
          )}
        </span>
        {!byAi && turn.move !== 'say' ? <span className="turn-move-tag">{turn.move}</span> : null}
        <time className="turn-time" dateTime={turn.createdAt}>
          {formatTime(turn.createdAt)}
        </time>
        {byAi && turn.edited ? <span className="turn-tag">Edited by you</span> : null}
        {byAi && turn.steering?.state === 'kept' ? (
          <span className="turn-tag turn-tag-kept">Kept</span>
        ) : null}
        {streaming ? <span className="turn-state turn-state-writing">Writing…</span> : null}
        {turn.status === 'stopped' ? <span className="turn-state turn-state-stopped">Stopped</span> : null}
      </header>

      {pinned ? <p className="turn-pinned-note">Pinned — always in the AI&apos;s context</p> : null}

      {versions && versions.length > 1 ? (
        <VersionSwitcher
          versions={versions}
          currentId={current.id}
          shownId={turn.id}
          onShow={(id) => {
            setShownId(id);
            setMode('idle');
          }}
          comparing={comparing}
          onCompare={setComparing}
        />
      ) : null}
      {comparing && versions && versions.length > 1 ? (
        <VersionCompare versions={versions} currentId={current.id} shownId={turn.id} />
      ) : null}

      {setAside ? (
        <SetAsideTurn turn={turn} />
      ) : mode === 'edit' && canSteer ? (
        <EditTurnForm turn={turn} onDone={closeForm} />
      ) : (
        <TurnBody turn={turn} />
      )}
      {setAside ? null : <TurnPassages turn={turn} />}
      <TurnMemories turn={turn} />

      {canSteer ? (
        <>
          {mode !== 'edit' ? <SteeringBar turn={turn} mode={mode} onMode={setMode} /> : null}
          {mode === 'set-aside' ? <SetAsideForm turn={turn} onDone={closeForm} /> : null}
          {mode === 'regenerate' ? (
            <RegenerateForm
              turn={turn}
              onDone={closeForm}
              onStarted={() => {
                closeForm();
                setShownId(null);
              }}
            />
          ) : null}
        </>
      ) : null}
    </article>
  );
});
