import { useId, useRef, useState, type KeyboardEvent } from 'react';
import { limits } from '../../../../shared/contract';
import { aiMoves, type AiMove, type SpaceKind } from '../../../../shared/domain';
import { useKeel } from '../../store/KeelStoreProvider';
import { EnumSelect } from '../common/EnumSelect';
import { submitInPlace } from '../common/formHandlers';
import { modifierKeyLabel } from '../common/modifierKeyLabel';
import { useInitialFocus } from '../common/useInitialFocus';
import { lastThirtyDays, PatternPeriodFields } from '../memory/PatternPeriod';
import { aiMoveLabels } from './aiMoveLabels';
import { ContextMeter } from './ContextMeter';

interface ComposerProps {
  loopId: string;
  spaceKind: SpaceKind | undefined;
  /** The first move the loop's template suggests, until the AI has made one. */
  suggestedMove?: AiMove | undefined;
  /** An AI turn of this loop is being written. */
  streaming: boolean;
}

/**
 * Where the person writes. Send saves their text as a turn, then asks for the chosen move; with no
 * text it only asks. Add note saves without asking. What they typed stays until it is saved.
 */
export function Composer({ loopId, spaceKind, suggestedMove, streaming }: ComposerProps) {
  const textId = useId();
  const moveId = useId();
  const moveHintId = useId();
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  // A journal is for thinking aloud: questions back are the natural first move there.
  const [move, setMove] = useState<AiMove>(suggestedMove ?? (spaceKind === 'journal' ? 'ask' : 'explore'));
  const text = useKeel((state) => state.composerTexts[loopId] ?? '');
  const sending = useKeel((state) => state.sendingLoopId === loopId);
  const setComposerText = useKeel((state) => state.setComposerText);
  // Saves the draft being typed first, so a refine revises what the person sees.
  const requestMove = useKeel((state) => state.requestMove);
  const addNote = useKeel((state) => state.addNote);
  const stop = useKeel((state) => state.stop);
  const modifierKey = modifierKeyLabel(useKeel((state) => state.appInfo?.platform));
  // Patterns look across a journal's entries of a period; it belongs to journal spaces only.
  const moves = aiMoves.filter((value) => value !== 'patterns' || spaceKind === 'journal');
  const [period, setPeriod] = useState(lastThirtyDays);

  // A newly opened loop puts the cursor here, unless it opened at a turn (from search or a memory's
  // "used in"): the timeline has focused that turn already.
  useInitialFocus(textareaRef, { unlessFocusWithin: '.timeline' });

  const sendNow = async () => {
    if (streaming || sending) return;
    if (move === 'patterns' && (!period.from || !period.to)) return;
    await requestMove(move, move === 'patterns' ? { period } : undefined);
    textareaRef.current?.focus();
  };

  const addNoteNow = async () => {
    if (sending || text.trim() === '') {
      textareaRef.current?.focus();
      return;
    }
    await addNote();
    textareaRef.current?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLTextAreaElement>) => {
    if (event.key !== 'Enter' || event.nativeEvent.isComposing || event.altKey) return;
    if (event.ctrlKey || event.metaKey) {
      event.preventDefault();
      void addNoteNow();
    } else if (!event.shiftKey) {
      event.preventDefault();
      void sendNow();
    }
  };

  return (
    <form className="composer" noValidate onSubmit={(event) => submitInPlace(event, sendNow)}>
      <div className="composer-head">
        <label htmlFor={textId} className="composer-label">
          Your message
        </label>
        <ContextMeter loopId={loopId} />
      </div>
      <textarea
        id={textId}
        ref={textareaRef}
        className="composer-text"
        value={text}
        rows={3}
        maxLength={limits.turnText}
        placeholder="Write your thinking… (Enter to send, Shift+Enter for a new line)"
        onChange={(event) => setComposerText(loopId, event.target.value)}
        onKeyDown={onKeyDown}
      />
      {move === 'patterns' ? <PatternPeriodFields period={period} onChange={setPeriod} /> : null}
      <div className="composer-bar">
        <div className="composer-move">
          <label htmlFor={moveId}>AI move</label>
          <EnumSelect
            id={moveId}
            options={moves}
            optionLabel={(value) => aiMoveLabels[value].label}
            value={move}
            aria-describedby={moveHintId}
            onChange={setMove}
          />
          <span id={moveHintId} className="composer-hint">
            {suggestedMove ? (
              <span className="composer-suggested">
                Suggested first move: {aiMoveLabels[suggestedMove].label}.{' '}
              </span>
            ) : null}
            {aiMoveLabels[move].hint}
          </span>
        </div>
        <div className="composer-actions">
          <button
            type="button"
            className="button"
            title={`Save as your turn without asking the AI (${modifierKey}+Enter)`}
            aria-disabled={sending}
            onClick={() => void addNoteNow()}
          >
            Add note
          </button>
          {streaming ? (
            <button
              type="button"
              className="button button-stop"
              title="Stop the AI (Esc)"
              onClick={() => void stop()}
            >
              Stop
            </button>
          ) : null}
          <button type="submit" className="button button-primary" disabled={streaming || sending}>
            Send
          </button>
        </div>
      </div>
    </form>
  );
}
