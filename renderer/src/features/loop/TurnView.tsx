import { memo, useId } from 'react';
import type { Turn } from '../../../../shared/domain';
import { errorHeading } from '../common/errorHeading';
import { formatTime } from '../common/formatTime';
import { TurnMarkdown } from './TurnMarkdown';

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

      {turn.status === 'failed' ? (
        <div className="turn-error">
          <strong>{errorHeading(turn.error?.code ?? 'internal')}</strong>
          <p>{turn.error?.message ?? 'The AI could not finish this move.'}</p>
        </div>
      ) : null}
      {turn.status === 'interrupted' ? (
        <p className="turn-interrupted">Interrupted (Keel closed while this was being written)</p>
      ) : null}
      {stats ? <footer className="turn-meta">{stats}</footer> : null}
    </article>
  );
});
