import { SidebarPageButton } from '../sidebar/SidebarPageButton';

/** The pages one sidebar button both opens and closes, with what the button says. */
const togglePages = {
  memory: {
    icon: 'memory-icon',
    label: 'Memory',
    title: 'What Keel remembers: preferences, principles, context and lessons',
  },
  ledger: {
    icon: 'ledger-icon',
    label: 'Decisions',
    title: 'Every decision and forecast, what is due to resolve, and how well calibrated you are',
  },
};

/** A sidebar row whose button opens its page, or closes it when that page is the one shown. */
export function SidebarPageToggle({
  page,
  open,
  onOpen,
  onClose,
}: {
  page: keyof typeof togglePages;
  open: boolean;
  onOpen: () => void;
  onClose: () => void;
}) {
  return (
    <div className="sidebar-footer-row">
      <SidebarPageButton
        {...togglePages[page]}
        current={open}
        onClick={() => (open ? onClose() : onOpen())}
      />
    </div>
  );
}
