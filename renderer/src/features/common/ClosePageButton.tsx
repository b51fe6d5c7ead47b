/** A full page's way back to the loop, beside its title; Esc does the same (said in its title). */
export function ClosePageButton({
  label,
  shortcut = 'Esc',
  onClose,
}: {
  label: string;
  /** The keys that close the page as well, in words. */
  shortcut?: string;
  onClose: () => void;
}) {
  return (
    <button
      type="button"
      className="button button-quiet"
      title={`Back to your work (${shortcut})`}
      onClick={onClose}
    >
      {label}
    </button>
  );
}
