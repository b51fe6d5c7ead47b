import { useId, useState } from 'react';
import type { LedgerRow, Loop } from '../../../../shared/domain';
import type { KeelErrorInfo } from '../../../../shared/errors';
import { useKeel } from '../../store/KeelStoreProvider';
import { ActionError } from '../loop/ActionError';
import { DecisionDossier } from '../loop/DecisionDossier';

/**
 * A decision's dossier on the ledger page, for the current decision of its loop or an earlier one:
 * the loop is read when the person asks (the ledger itself holds only what the catalog keeps).
 */
export function LedgerDossier({ row }: { row: LedgerRow }) {
  const regionId = useId();
  const loadLedgerLoop = useKeel((state) => state.loadLedgerLoop);
  const [loop, setLoop] = useState<Loop | null>(null);
  const [open, setOpen] = useState(false);
  const [error, setError] = useState<KeelErrorInfo | null>(null);
  const decision = loop
    ? [loop.decision, ...loop.pastDecisions].find((one) => one?.decidedAt === row.entry.decidedAt)
    : undefined;
  const toggle = async () => {
    if (open) return setOpen(false);
    setOpen(true);
    const result = await loadLedgerLoop(row.loopId);
    if (result.ok) {
      setLoop(result.value);
      setError(null);
    } else setError(result.error);
  };
  return (
    <div className="ledger-dossier">
      <button
        type="button"
        className="button button-quiet"
        aria-expanded={open}
        aria-controls={regionId}
        onClick={() => void toggle()}
      >
        {row.current ? 'What informed it' : 'What informed this earlier decision'}
      </button>
      <div id={regionId}>
        {open && decision && loop ? <DecisionDossier loop={loop} decision={decision} /> : null}
        {open && loop && !decision ? (
          <p role="alert" className="form-error">
            This decision is no longer in its loop.
          </p>
        ) : null}
        {open && !loop && !error ? <p className="muted">Reading the loop…</p> : null}
        <ActionError error={error} />
      </div>
    </div>
  );
}
