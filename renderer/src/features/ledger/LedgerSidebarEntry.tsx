import { useKeel } from '../../store/KeelStoreProvider';
import { SidebarPageButton } from '../sidebar/SidebarPageButton';

/** The way to the decision ledger from the sidebar. */
export function LedgerSidebarEntry() {
  const ledgerOpen = useKeel((state) => state.ledgerOpen);
  const openLedger = useKeel((state) => state.openLedger);
  const closeLedger = useKeel((state) => state.closeLedger);
  return (
    <div className="sidebar-footer-row">
      <SidebarPageButton
        icon="ledger-icon"
        label="Decisions"
        title="Every decision and forecast, what is due to resolve, and how well calibrated you are"
        current={ledgerOpen}
        onClick={() => (ledgerOpen ? closeLedger() : openLedger())}
      />
    </div>
  );
}
