import { memo, useId } from 'react';
import type { Turn } from '../../../../shared/domain';
import { canRetry, streamingTurn } from '../../store/slices/loopsSlice';
import { useKeel } from '../../store/KeelStoreProvider';
import { errorHeading } from '../common/errorHeading';
import { formatTime } from '../common/formatTime';
import { TextWithCode } from '../common/TextWithCode';
import { ModelPull } from '../models/ModelPull';
import { TurnMarkdown } from './TurnMarkdown';

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

/** One turn of the timeline. Its accessible name says who made it: "You" or "AI · <move>". */
export const TurnView = memo(function TurnView({ turn }: { turn: Turn }) {
  const labelId = useId();
  const byAi = turn.author === 'ai';
  const streaming = turn.status === 'streaming';
  const stats = byAi && turn.status === 'complete' ? formatStats(turn) : null;
  const notes = byAi && !streaming ? contextNotes(turn) : [];

  return (
    <article
      className={`turn ${byAi ? 'turn-ai' : 'turn-person'} turn-is-${turn.status}`}
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
        {streaming ? <span className="turn-state turn-state-writing">Writing…</span> : null}
        {turn.status === 'stopped' ? <span className="turn-state turn-state-stopped">Stopped</span> : null}
      </header>

      {byAi && turn.steer ? <p className="turn-steer">Steer: {turn.steer}</p> : null}
      {byAi && turn.thinking ? (
        <details className="turn-thinking">
          <summary>Thinking</summary>
          <p>{turn.thinking}</p>
        </details>
      ) : null}

      {turn.text ? (
        byAi ? (
          <TurnMarkdown text={turn.text} />
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
    </article>
  );
});
