import { MemoryTextField } from './MemoryTextField';
import { useEffect, useId, useState } from 'react';
import type { LessonProposal, Loop, MemoryKind } from '../../../../shared/domain';
import type { LessonCard as LessonCardState } from '../../store/slices/memorySlice';
import { useKeel } from '../../store/KeelStoreProvider';
import { errorHeading } from '../common/errorHeading';
import { ActionError } from '../loop/ActionError';
import { useTurnAction } from '../loop/useTurnAction';
import { MemoryOutcomeNotice } from './MemoryOutcomeNotice';
import { lessonScopeLabels } from './memoryLabels';
import { MemoryKindField } from './MemoryKindField';
import { EnumField, choices } from '../common/EnumSelect';

const lessonScopes = ['everywhere', 'space', 'loop'] as const satisfies readonly LessonProposal['scope'][];

/** The first 120 characters of a turn, to show where a lesson came from. */
function quote(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 120)}…` : flat;
}

/** One proposed lesson: the person edits it, then accepts it (stored) or rejects it (gone). */
function LessonCard({ loop, card }: { loop: Loop; card: LessonCardState }) {
  const textId = useId();
  const acceptLesson = useKeel((state) => state.acceptLesson);
  const rejectLesson = useKeel((state) => state.rejectLesson);
  const [text, setText] = useState(card.proposal.text);
  const [kind, setKind] = useState<MemoryKind>(card.proposal.kind);
  const [scope, setScope] = useState(card.proposal.scope);
  const { busy, error, run } = useTurnAction();
  const sources = card.proposal.turnIds
    .map((turnId) => loop.turns.find((turn) => turn.id === turnId))
    .filter((turn) => turn !== undefined);

  if (card.outcome) {
    return (
      <li className="mem-card mem-card-accepted">
        <p className="mem-card-meta">Accepted</p>
        <MemoryOutcomeNotice outcome={card.outcome} />
        {card.outcome.action === 'added' ? <p className="mem-lesson-text">{card.outcome.item.text}</p> : null}
      </li>
    );
  }

  return (
    <li className="mem-card">
      <MemoryTextField id={textId} label="Lesson" value={text} onChange={setText} />
      <div className="mem-form-row">
        <MemoryKindField value={kind} onChange={setKind} />
        <EnumField
          label="Scope"
          {...choices(lessonScopes, lessonScopeLabels)}
          value={scope}
          onChange={setScope}
        />
      </div>
      {sources.length > 0 ? (
        <div className="mem-lesson-sources">
          <p className="mem-card-meta">From</p>
          <ul>
            {sources.map((turn) => (
              <li key={turn.id}>
                <span className="mem-source-who">{turn.author === 'ai' ? `AI · ${turn.move}` : 'You'}:</span>{' '}
                <q>{quote(turn.text)}</q>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      <div className="mem-card-actions">
        <button
          type="button"
          className="button button-small button-primary"
          aria-disabled={busy}
          onClick={() => {
            if (text.trim() === '') return;
            void run(() => acceptLesson(loop.id, card.key, { kind, text, scope }));
          }}
        >
          Accept
        </button>
        <button
          type="button"
          className="button button-small"
          aria-disabled={busy}
          onClick={() => rejectLesson(loop.id, card.key)}
        >
          Reject
        </button>
      </div>
      <ActionError error={text.trim() === '' ? 'A lesson needs words.' : error} />
    </li>
  );
}

/** Counts whole seconds while the AI reads the loop, so a slow model does not look stuck. */
function useSeconds(running: boolean): number {
  const [seconds, setSeconds] = useState(0);
  useEffect(() => {
    if (!running) return;
    const timer = setInterval(() => setSeconds((value) => value + 1), 1000);
    return () => {
      clearInterval(timer);
      setSeconds(0);
    };
  }, [running]);
  return seconds;
}

/**
 * Learn: the AI proposes lessons from this loop; only the ones the person accepts become memories
 * (and the loop gains a "Learned: …" turn for each).
 */
export function LessonsPanel({ loop }: { loop: Loop }) {
  const headingId = useId();
  const lessons = useKeel((state) => state.lessons[loop.id]);
  const proposeLessons = useKeel((state) => state.proposeLessons);
  const closeLessons = useKeel((state) => state.closeLessons);
  const seconds = useSeconds(lessons?.status === 'loading');
  if (!lessons) return null;

  return (
    <section className="mem-lessons" aria-labelledby={headingId}>
      <header className="mem-lessons-head">
        <h2 id={headingId}>Lessons</h2>
        <button
          type="button"
          className="button button-small button-quiet"
          onClick={() => closeLessons(loop.id)}
        >
          Close lessons
        </button>
      </header>
      {lessons.status === 'loading' ? (
        <p role="status" className="mem-progress">
          <span className="mem-spinner" aria-hidden="true" />
          The AI is reading this loop for lessons{seconds > 0 ? ` (${seconds} s)` : ''}…
        </p>
      ) : lessons.status === 'failed' ? (
        <div role="alert" className="form-error">
          <strong>{errorHeading(lessons.error.code)}.</strong> {lessons.error.message}
          <div className="mem-card-actions">
            <button
              type="button"
              className="button button-small"
              onClick={() => void proposeLessons(loop.id)}
            >
              Try again
            </button>
          </div>
        </div>
      ) : lessons.cards.length === 0 ? (
        <p className="muted">No lesson is left to consider.</p>
      ) : (
        <>
          <p className="mem-intro">
            Nothing is remembered until you accept it. Edit a lesson first if it is not quite right.
          </p>
          <ul className="mem-cards" aria-label="Proposed lessons">
            {lessons.cards.map((card) => (
              <LessonCard key={card.key} loop={loop} card={card} />
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
