import { useId, useState, type FormEvent } from 'react';
import { limits } from '../../../../shared/contract';
import type { Space } from '../../../../shared/domain';
import type { KeelErrorInfo } from '../../../../shared/errors';
import { useKeel } from '../../store/KeelStoreProvider';
import { Dialog } from '../common/Dialog';
import { FormError } from '../common/FormError';

/** Starts a loop in a space; the goal is the first piece of its intent and can wait. */
export function NewLoopDialog({ space, onClose }: { space: Space; onClose: () => void }) {
  const createLoop = useKeel((state) => state.createLoop);
  const titleId = useId();
  const goalId = useId();
  const goalHintId = useId();
  const [title, setTitle] = useState('');
  const [goal, setGoal] = useState('');
  const [error, setError] = useState<KeelErrorInfo | string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (busy) return;
    if (title.trim() === '') {
      setError('Give the loop a title: the question or piece of work it is about.');
      return;
    }
    setBusy(true);
    const result = await createLoop({ spaceId: space.id, title: title.trim(), goal });
    setBusy(false);
    if (result.ok) onClose();
    else setError(result.error);
  };

  return (
    <Dialog title="New loop" onClose={onClose}>
      <form className="dialog-form" onSubmit={(event) => void submit(event)} noValidate>
        <p className="dialog-context">In {space.name}</p>
        <div className="field">
          <label htmlFor={titleId}>Loop title</label>
          <input
            id={titleId}
            type="text"
            value={title}
            maxLength={limits.name}
            autoComplete="off"
            placeholder="e.g. Should we enter the Nordic market?"
            data-autofocus
            onChange={(event) => setTitle(event.target.value)}
          />
        </div>
        <div className="field">
          <label htmlFor={goalId}>Goal</label>
          <textarea
            id={goalId}
            value={goal}
            rows={3}
            maxLength={limits.intentField}
            aria-describedby={goalHintId}
            onChange={(event) => setGoal(event.target.value)}
          />
          <p id={goalHintId} className="field-hint">
            Optional. What are you trying to achieve? You can add it later.
          </p>
        </div>
        <FormError error={error} />
        <div className="dialog-actions">
          <button type="button" className="button" onClick={onClose}>
            Cancel
          </button>
          <button type="submit" className="button button-primary" aria-disabled={busy}>
            Create loop
          </button>
        </div>
      </form>
    </Dialog>
  );
}
