import { useKeelFields } from '../../store/KeelStoreProvider';
import { SidebarPageToggle } from '../common/SidebarPageToggle';

/** The way to the decision ledger from the sidebar. */
export function LedgerSidebarEntry() {
  const { ledgerOpen, openLedger, closeLedger } = useKeelFields('ledgerOpen', 'openLedger', 'closeLedger');
  return <SidebarPageToggle page="ledger" open={ledgerOpen} onOpen={openLedger} onClose={closeLedger} />;
}
