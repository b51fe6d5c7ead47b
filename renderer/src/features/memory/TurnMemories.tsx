import { MemoryTextField } from './MemoryTextField';
import { useEffect, useId, useState } from 'react';
import { limits } from '../../../../shared/contract';
import type { Turn } from '../../../../shared/domain';
import { notRelevantKey, patternPlace } from '../../store/slices/memorySlice';
import { useKeel } from '../../store/KeelStoreProvider';
import { submitInPlace } from '../common/formHandlers';
import { useDisclosure } from '../common/useDisclosure';
import { ActionError } from '../loop/ActionError';
import { useTurnAction } from '../loop/useTurnAction';
import { ForgetMemoryButton } from './ForgetMemoryButton';
import { MemoryOutcomeNotice } from './MemoryOutcomeNotice';

const rememberedLabels: Record<NonNullable<Turn['remembered']>['action'], string> = {
  added: 'Remembered',
  merged: 'Merged into a memory',
  superseded: 'Updated a memory',
};

/** One memory an AI turn was given, with what the person can do about it from here. */
function UsedMemory({ turn, memoryId, pinned }: { turn: Turn; memoryId: string; pinned: boolean }) {
  const item = useKeel((state) => state.memoryItems[memoryId]);
  const marked = useKeel((state) => state.notRelevantMarks[notRelevantKey(turn.id, memoryId)] === true);
  const markNotRelevant = useKeel((state) => state.markNotRelevant);
  const openMemory = useKeel((state) => state.openMemory);
  const { busy, error, run } = useTurnAction();

  if (item === null) {
    return <li className="mem-used mem-used-gone">A memory you have since forgotten</li>;
  }
  return (
    <li className="mem-used">
      <p className="mem-used-text">
        {item ? item.text : <span className="muted">Loading…</span>}
        {pinned ? <span className="mem-tag mem-tag-pinned">pinned</span> : null}
      </p>
      {item ? (
        <div className="mem-used-actions">
          {marked ? (
            <span className="mem-marked">Marked not relevant</span>
          ) : (
            <button
              type="button"
              className="button button-small button-quiet"
              title="It will rank lower for requests like this one"
              aria-disabled={busy}
              onClick={() =>
                void run(() => markNotRelevant({ memoryId, loopId: turn.loopId, turnId: turn.id }))
              }
            >
              Not relevant here
            </button>
          )}
          <button
            type="button"
            className="button button-small button-quiet"
            onClick={() => openMemory({ memoryId })}
          >
            Edit
          </button>
          <ForgetMemoryButton
            memoryId={memoryId}
            text={item.text}
            className="button button-small button-quiet"
          />
        </div>
      ) : null}
      <ActionError error={error} />
    </li>
  );
}

/** "Memories used (N)": folded by default, so the answer stays in front. */
function UsedMemories({ turn, used }: { turn: Turn; used: NonNullable<Turn['memoriesUsed']> }) {
  const { open, id, buttonProps } = useDisclosure();
  const fetchMemories = useKeel((state) => state.fetchMemories);

  useEffect(() => {
    if (open) void fetchMemories(used.map((memory) => memory.id));
  }, [open, used, fetchMemories]);

  return (
    <div className="mem-turn-used">
      <button type="button" className="button button-small button-quiet mem-disclosure" {...buttonProps}>
        Memories used ({used.length})
      </button>
      {open ? (
        <ul id={id} className="mem-used-list" aria-label="Memories used">
          {used.map((memory) => (
            <UsedMemory key={memory.id} turn={turn} memoryId={memory.id} pinned={memory.pinned} />
          ))}
        </ul>
      ) : null}
    </div>
  );
}

/** The first paragraph of a patterns answer, as the start of a memory (without list marks or citations). */
function firstParagraph(text: string): string {
  const paragraph = text.split(/\n\s*\n/).find((part) => part.trim() !== '') ?? '';
  return paragraph
    .replace(/^\s*(?:[-*+]|\d+\.|#+)\s+/gm, '')
    .replace(/\*\*|__/g, '')
    .replace(/\s*\[E\d+\]/g, '')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, limits.memoryText);
}

/** Keeps one pattern of a journal as a memory of its space. */
function KeepPattern({ turn }: { turn: Turn }) {
  const textId = useId();
  const spaceId = useKeel((state) =>
    state.openLoop?.id === turn.loopId ? state.openLoop.spaceId : undefined,
  );
  const remember = useKeel((state) => state.remember);
  const outcome = useKeel((state) => state.memoryOutcomes[patternPlace(turn.id)]);
  const dismissOutcome = useKeel((state) => state.dismissOutcome);
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const { busy, error, run } = useTurnAction();
  if (!spaceId) return null;

  const keep = async () => {
    const result = await run(() =>
      remember(
        { text, scope: { type: 'space', spaceId }, origin: 'pattern', loopId: turn.loopId, turnId: turn.id },
        patternPlace(turn.id),
      ),
    );
    if (result?.ok) setOpen(false);
  };

  return (
    <div className="mem-keep-pattern">
      {outcome ? (
        <MemoryOutcomeNotice outcome={outcome} onDismiss={() => dismissOutcome(patternPlace(turn.id))} />
      ) : null}
      {open ? (
        <form className="mem-form" noValidate onSubmit={(event) => submitInPlace(event, keep)}>
          <MemoryTextField id={textId} label="Pattern" value={text} onChange={setText} />
          <div className="mem-card-actions">
            <button type="submit" className="button button-small button-primary" aria-disabled={busy}>
              Remember
            </button>
            <button type="button" className="button button-small" onClick={() => setOpen(false)}>
              Cancel
            </button>
          </div>
          <ActionError error={error} />
        </form>
      ) : (
        <button
          type="button"
          className="button button-small"
          onClick={() => {
            setText(firstParagraph(turn.text));
            setOpen(true);
          }}
        >
          Keep a pattern as a memory
        </button>
      )}
    </div>
  );
}

/** The memory a person's "Remember …" turn made, as a small badge that opens it. */
function RememberedBadge({ remembered }: { remembered: NonNullable<Turn['remembered']> }) {
  const openMemory = useKeel((state) => state.openMemory);
  return (
    <p className="mem-turn-remembered">
      <button
        type="button"
        className="mem-badge"
        title="Open it on the memory page"
        onClick={() => openMemory({ memoryId: remembered.id })}
      >
        {rememberedLabels[remembered.action]}
      </button>
    </p>
  );
}

/**
 * What memory has to do with one turn: the memories an AI turn used, the memory a person's turn
 * made, the way to keep a journal pattern. (When a memory's page links to the turn, the timeline
 * scrolls to it and focuses it: only the timeline knows where a turn that is not rendered would be.)
 */
export function TurnMemories({ turn }: { turn: Turn }) {
  const used = turn.author === 'ai' ? (turn.memoriesUsed ?? []) : [];
  const pattern = turn.author === 'ai' && turn.move === 'patterns' && turn.status === 'complete';
  const remembered = turn.author === 'person' ? turn.remembered : undefined;

  return (
    <div className={used.length > 0 || pattern || remembered ? 'mem-turn' : 'mem-turn-empty'}>
      {remembered ? <RememberedBadge remembered={remembered} /> : null}
      {used.length > 0 ? <UsedMemories turn={turn} used={used} /> : null}
      {pattern ? <KeepPattern turn={turn} /> : null}
    </div>
  );
}
