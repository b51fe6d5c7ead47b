import { useId, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { limits } from '../../../../shared/contract';
import type { SteeringState, Turn } from '../../../../shared/domain';
import type { Result } from '../../../../shared/errors';
import { useKeel } from '../../store/KeelStoreProvider';
import { useInitialFocus } from '../common/useInitialFocus';
import { ActionError } from './ActionError';
import { useTurnAction } from './useTurnAction';

/** What the steering bar has open under an AI turn. */
export type SteeringMode = 'idle' | 'set-aside' | 'edit' | 'regenerate';

/** Esc in a small form cancels it (and only it: the loop's Esc-to-stop sees the event handled). */
function cancelOnEscape(cancel: () => void) {
  return (event: KeyboardEvent) => {
    if (event.key !== 'Escape') return;
    event.preventDefault();
    event.stopPropagation();
    cancel();
  };
}

/**
 * The frame of the small forms under a turn: Esc cancels, submitting runs `onSubmit`, and what went
 * wrong is said below.
 */
function TurnForm({
  onDone,
  onSubmit,
  error,
  children,
}: {
  onDone: () => void;
  onSubmit: () => void;
  error: ReturnType<typeof useTurnAction>['error'];
  children: ReactNode;
}) {
  return (
    <form
      className="turn-form"
      noValidate
      onKeyDown={cancelOnEscape(onDone)}
      onSubmit={(event) => {
        event.preventDefault();
        onSubmit();
      }}
    >
      {children}
      <ActionError error={error} />
    </form>
  );
}

/** A form's submit button (inert while busy) and its Cancel. */
function SubmitOrCancel({ label, busy, onCancel }: { label: string; busy: boolean; onCancel: () => void }) {
  return (
    <>
      <button type="submit" className="button button-small button-primary" aria-disabled={busy}>
        {label}
      </button>
      <button type="button" className="button button-small" onClick={onCancel}>
        Cancel
      </button>
    </>
  );
}

/** A steering button that opens (or closes again) one of the turn's forms. */
function ModeButton({
  mode,
  current,
  onMode,
  title,
  children,
}: {
  mode: Exclude<SteeringMode, 'idle'>;
  current: SteeringMode;
  onMode: (mode: SteeringMode) => void;
  title?: string;
  children: ReactNode;
}) {
  return (
    <button
      type="button"
      className="button button-small button-quiet"
      aria-expanded={current === mode}
      data-steer={mode}
      title={title}
      onClick={() => onMode(current === mode ? 'idle' : mode)}
    >
      {children}
    </button>
  );
}

/**
 * A turn form of one line of text (focused when it opens) with its submit and cancel; `save` gets
 * the text, `onSaved` runs once it succeeds; `chips` are quick texts to choose from under the line.
 */
function OneLineTurnForm({
  texts,
  onDone,
  save,
  onSaved,
  chips = [],
}: {
  texts: { label: string; placeholder: string; submitLabel: string };
  onDone: () => void;
  save: (text: string) => Promise<Result<unknown>>;
  onSaved: () => void;
  chips?: readonly string[];
}) {
  const id = useId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [text, setText] = useState('');
  const { busy, error, run } = useTurnAction();
  useInitialFocus(inputRef);
  return (
    <TurnForm
      onDone={onDone}
      error={error}
      onSubmit={() =>
        void run(() => save(text)).then((result) => {
          if (result?.ok) onSaved();
        })
      }
    >
      <label htmlFor={id}>{texts.label}</label>
      <div className="turn-form-row">
        <input
          id={id}
          ref={inputRef}
          type="text"
          value={text}
          maxLength={limits.steer}
          placeholder={texts.placeholder}
          autoComplete="off"
          onChange={(event) => setText(event.target.value)}
        />
        <SubmitOrCancel label={texts.submitLabel} busy={busy} onCancel={onDone} />
      </div>
      {chips.length > 0 ? (
        <div className="steer-chips" role="group" aria-label="Quick steers">
          {chips.map((chip) => (
            <button
              key={chip}
              type="button"
              className="steer-chip"
              aria-pressed={text === chip}
              onClick={() => {
                setText(chip);
                inputRef.current?.focus();
              }}
            >
              {chip}
            </button>
          ))}
        </div>
      ) : null}
    </TurnForm>
  );
}

/**
 * The person's hold on an AI turn: keep it, set it aside (it leaves the model's context), pin it
 * (it always stays), edit it, or ask for it again.
 */
export function SteeringBar({
  turn,
  mode,
  onMode,
}: {
  turn: Turn;
  mode: SteeringMode;
  onMode: (mode: SteeringMode) => void;
}) {
  const steerTurn = useKeel((state) => state.steerTurn);
  const { busy, error, run } = useTurnAction();
  const state = turn.steering?.state;

  const steer = (next: SteeringState | null) =>
    void run(() => steerTurn({ loopId: turn.loopId, turnId: turn.id, state: next }));

  return (
    <div className="turn-steering">
      <div className="turn-steering-bar" role="group" aria-label="Steer this turn">
        <button
          type="button"
          className="button button-small button-quiet"
          aria-pressed={state === 'kept'}
          aria-disabled={busy}
          title="Mark it as useful (it stays in the AI's context, as every turn does)"
          onClick={() => steer(state === 'kept' ? null : 'kept')}
        >
          Keep
        </button>
        <ModeButton
          mode="set-aside"
          current={mode}
          onMode={onMode}
          title="Leave it out of what the AI reads from now on"
        >
          Set aside
        </ModeButton>
        <button
          type="button"
          className="button button-small button-quiet"
          aria-disabled={busy}
          title={
            state === 'pinned'
              ? 'Let it be left out when the loop grows long'
              : "Always keep it in the AI's context"
          }
          onClick={() => steer(state === 'pinned' ? null : 'pinned')}
        >
          {state === 'pinned' ? 'Unpin' : 'Pin'}
        </button>
        <ModeButton mode="edit" current={mode} onMode={onMode}>
          Edit
        </ModeButton>
        <ModeButton mode="regenerate" current={mode} onMode={onMode}>
          Regenerate
        </ModeButton>
      </div>
      <ActionError error={error} />
    </div>
  );
}

const setAsideTexts = {
  label: 'Why set it aside? (optional)',
  placeholder: 'e.g. too generic, wrong market',
  submitLabel: 'Set aside',
};

/** Setting a turn aside, with the reason the person may give (it is learning material). */
export function SetAsideForm({ turn, onDone }: { turn: Turn; onDone: () => void }) {
  const steerTurn = useKeel((state) => state.steerTurn);
  return (
    <OneLineTurnForm
      texts={setAsideTexts}
      onDone={onDone}
      save={(reason) =>
        steerTurn({
          loopId: turn.loopId,
          turnId: turn.id,
          state: 'set-aside',
          ...(reason.trim() ? { reason: reason.trim() } : {}),
        })
      }
      onSaved={onDone}
    />
  );
}

/** The person rewriting what the AI wrote; the original is kept. */
export function EditTurnForm({ turn, onDone }: { turn: Turn; onDone: () => void }) {
  const editTurn = useKeel((state) => state.editTurn);
  const textId = useId();
  const textRef = useRef<HTMLTextAreaElement>(null);
  const [text, setText] = useState(turn.text);
  const { busy, error, run } = useTurnAction();
  useInitialFocus(textRef);

  const save = () =>
    void run(() => editTurn({ loopId: turn.loopId, turnId: turn.id, text })).then((result) => {
      if (result?.ok) onDone();
    });

  return (
    <TurnForm onDone={onDone} error={error} onSubmit={save}>
      <label htmlFor={textId}>Edit AI turn</label>
      <textarea
        id={textId}
        ref={textRef}
        value={text}
        rows={Math.min(16, Math.max(4, text.split('\n').length + 1))}
        maxLength={limits.turnText}
        onChange={(event) => setText(event.target.value)}
        onKeyDown={(event) => {
          if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
            event.preventDefault();
            save();
          }
        }}
      />
      <div className="turn-form-row turn-form-actions">
        <SubmitOrCancel label="Save edit" busy={busy} onCancel={onDone} />
      </div>
    </TurnForm>
  );
}

const regenerateTexts = {
  label: 'Steer (optional)',
  placeholder: 'How should the next version differ?',
  submitLabel: 'Regenerate',
};
const steerChips = ['Bolder', 'More concrete', 'For a board audience', 'Shorter'] as const;

/** Asking for the move again, optionally steered; the new version streams in place. */
export function RegenerateForm({
  turn,
  onDone,
  onStarted,
}: {
  turn: Turn;
  onDone: () => void;
  onStarted: () => void;
}) {
  const regenerateTurn = useKeel((state) => state.regenerateTurn);
  return (
    <OneLineTurnForm
      texts={regenerateTexts}
      onDone={onDone}
      save={(steer) => regenerateTurn({ loopId: turn.loopId, turnId: turn.id, steer })}
      onSaved={onStarted}
      chips={steerChips}
    />
  );
}
