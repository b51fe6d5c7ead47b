/** A button at the foot of the sidebar: an icon and a word, marked as the current page when open. */
export function SidebarPageButton({
  icon,
  label,
  title,
  current,
  keyShortcuts,
  onClick,
}: {
  /** The icon's class (`search-icon`, `gear-icon`…). */
  icon: string;
  label: string;
  title: string;
  /** Whether its page is the one shown; absent for a button that opens no page. */
  current?: boolean;
  keyShortcuts?: string;
  onClick: () => void;
}) {
  return (
    <button
      type="button"
      className="button button-quiet settings-button"
      aria-current={current ? 'page' : undefined}
      aria-keyshortcuts={keyShortcuts}
      title={title}
      onClick={onClick}
    >
      <span className={icon} aria-hidden="true" />
      {label}
    </button>
  );
}
