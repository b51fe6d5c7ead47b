import { useState } from 'react';
import type { LedgerRow, Loop } from '../../../../shared/domain';
import type { KeelErrorInfo } from '../../../../shared/errors';
import { useKeel } from '../../store/KeelStoreProvider';
import { useDisclosure } from '../common/useDisclosure';
import { ActionError } from '../loop/ActionError';
import { DecisionDossier } from '../loop/DecisionDossier';

/**
 * A decision's dossier on the ledger page, for the current decision of its loop or an earlier one:
 * the loop is read when the person asks (the ledger itself holds only what the catalog keeps).
 */
export function LedgerDossier({ row }: { row: LedgerRow }) {
  const loadLedgerLoop = useKeel((state) => state.loadLedgerLoop);
  const [loop, setLoop] = useState<Loop | null>(null);
  const [error, setError] = useState<KeelErrorInfo | null>(null);
  const decision = loop
    ? [loop.decision, ...loop.pastDecisions].find((one) => one?.decidedAt === row.entry.decidedAt)
    : undefined;
  const load = async () => {
    const result = await loadLedgerLoop(row.loopId);
    if (result.ok) {
      setLoop(result.value);
      setError(null);
    } else setError(result.error);
  };
  const { open, id, buttonProps } = useDisclosure({ onOpen: () => void load() });
  return (
    <div className="ledger-dossier">
      <button type="button" className="button button-quiet" {...buttonProps}>
        {row.current ? 'What informed it' : 'What informed this earlier decision'}
      </button>
      <div id={id}>
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
