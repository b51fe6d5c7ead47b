import { MemoryTextField } from './MemoryTextField';
import { useId, useState } from 'react';
import type { MemoryKind } from '../../../../shared/domain';
import type { KeelErrorInfo } from '../../../../shared/errors';
import { useKeel } from '../../store/KeelStoreProvider';
import { submitInPlace } from '../common/formHandlers';
import { ActionError } from '../loop/ActionError';
import { MemoryOutcomeNotice } from './MemoryOutcomeNotice';
import { MemoryKindField } from './MemoryKindField';
import { MemoryScopeField } from './MemoryScopeField';
import { parseScopeValue } from './memoryLabels';

const place = 'add';

/** Something the person wants Keel to remember, said outright, with where it applies. */
export function AddMemoryForm() {
  const textId = useId();
  const headingId = useId();
  const currentSpaceId = useKeel((state) => state.currentSpaceId);
  const remember = useKeel((state) => state.remember);
  const outcome = useKeel((state) => state.memoryOutcomes[place]);
  const dismissOutcome = useKeel((state) => state.dismissOutcome);
  const [text, setText] = useState('');
  const [kind, setKind] = useState<MemoryKind | ''>('');
  // A client's context belongs to its space: that is where a new memory starts.
  const [scope, setScope] = useState(currentSpaceId ? `space:${currentSpaceId}` : 'everywhere');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<KeelErrorInfo | string | null>(null);

  const submit = async () => {
    if (busy) return;
    if (text.trim() === '') {
      setError('Write what Keel should remember.');
      return;
    }
    setBusy(true);
    setError(null);
    dismissOutcome(place);
    const result = await remember(
      { text, scope: parseScopeValue(scope), origin: 'said', ...(kind ? { kind } : {}) },
      place,
    );
    setBusy(false);
    if (result.ok) setText('');
    else setError(result.error);
  };

  return (
    <section className="mem-section" aria-labelledby={headingId} id="memory-add">
      <h2 id={headingId} tabIndex={-1}>
        Add a memory
      </h2>
      <form className="mem-form" noValidate onSubmit={(event) => submitInPlace(event, submit)}>
        <MemoryTextField
          id={textId}
          label="Remember"
          value={text}
          onChange={setText}
          placeholder="Acme’s CFO is Dana; board memos stay under one page…"
        />
        <div className="mem-form-row">
          <MemoryKindField value={kind} onChange={setKind} emptyOption="Let Keel decide" />
          <MemoryScopeField value={scope} onChange={setScope} spaceLabel={(space) => `${space.name} only`} />
          <button type="submit" className="button button-primary" aria-disabled={busy}>
            Remember
          </button>
        </div>
        <ActionError error={error} />
      </form>
      {outcome ? <MemoryOutcomeNotice outcome={outcome} onDismiss={() => dismissOutcome(place)} /> : null}
    </section>
  );
}
