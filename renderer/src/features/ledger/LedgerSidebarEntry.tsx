import { useKeel } from '../../store/KeelStoreProvider';

/** The way to the decision ledger from the sidebar. */
export function LedgerSidebarEntry() {
  const ledgerOpen = useKeel((state) => state.ledgerOpen);
  const openLedger = useKeel((state) => state.openLedger);
  const closeLedger = useKeel((state) => state.closeLedger);
  return (
    <div className="sidebar-footer-row">
      <button
        type="button"
        className="button button-quiet settings-button"
        aria-current={ledgerOpen ? 'page' : undefined}
        title="Every decision and forecast, what is due to resolve, and how well calibrated you are"
        onClick={() => (ledgerOpen ? closeLedger() : openLedger())}
      >
        <span className="ledger-icon" aria-hidden="true" />
        Decisions
      </button>
    </div>
  );
}
