import {
  useEffect,
  useId,
  useLayoutEffect,
  useRef,
  type KeyboardEvent as ReactKeyboardEvent,
  type ReactNode,
} from 'react';

/** What Tab can reach inside a dialog, in document order. */
const tabbable =
  'a[href], button:not([disabled]), input:not([disabled]):not([type="hidden"]), select:not([disabled]), ' +
  'textarea:not([disabled]), summary, [tabindex]:not([tabindex="-1"])';

/**
 * Tab from the last control goes back to the first, Shift+Tab from the first to the last. The page
 * behind a modal dialog is inert, but without this the focus would leave for the browser's own
 * toolbar (or, in the desktop window, for nowhere) before it came back.
 */
function keepTabInside(event: ReactKeyboardEvent<HTMLDialogElement>) {
  if (event.key !== 'Tab' || event.altKey || event.ctrlKey || event.metaKey) return;
  const controls = [...event.currentTarget.querySelectorAll<HTMLElement>(tabbable)].filter(
    (control) => control.tabIndex >= 0 && control.checkVisibility(),
  );
  const first = controls[0];
  const last = controls[controls.length - 1];
  if (!first || !last) return;
  const active = document.activeElement;
  if (event.shiftKey && (active === first || active === event.currentTarget)) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && active === last) {
    event.preventDefault();
    first.focus();
  }
}

interface DialogProps {
  /** The dialog's heading, which is also its accessible name. */
  title: string;
  onClose: () => void;
  children: ReactNode;
  /** Another class besides `dialog`, for a dialog that needs more room (the source viewer). */
  className?: string;
  /**
   * While true, Esc does not close it: it waits on work it started and will say how that went.
   * (Its own buttons that close it refuse on their own.)
   */
  busy?: boolean;
}

/**
 * A modal dialog on the native `<dialog>` element: the browser makes the page behind it inert and
 * turns Esc into a cancel, which closes it here; Tab goes round its own controls.
 */
export function Dialog({ title, onClose, children, className, busy = false }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();

  useLayoutEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const previous = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    const first =
      dialog.querySelector<HTMLElement>('[data-autofocus]') ??
      dialog.querySelector<HTMLElement>('input, select, textarea, button');
    first?.focus();
    if (first instanceof HTMLInputElement) first.select();
    return () => {
      const focusWasInside =
        dialog.contains(document.activeElement) || document.activeElement === document.body;
      if (dialog.open) dialog.close();
      // Back to where the person was, unless something else has taken focus on purpose since.
      if (focusWasInside && previous?.isConnected) previous.focus();
    };
  }, []);

  useEffect(() => {
    if (!busy) return;
    // Esc is refused at the key, before it becomes a cancel: refusing only the cancel is not enough,
    // since a browser closes the dialog anyway at the second Esc in a row with nothing in between.
    // Refused here, it reaches no Esc handler of the page behind either.
    const refuseEscape = (event: KeyboardEvent) => {
      if (event.key === 'Escape') event.preventDefault();
    };
    document.addEventListener('keydown', refuseEscape, true);
    return () => document.removeEventListener('keydown', refuseEscape, true);
  }, [busy]);

  return (
    <dialog
      ref={ref}
      className={className ? `dialog ${className}` : 'dialog'}
      aria-labelledby={titleId}
      onKeyDown={keepTabInside}
      onCancel={(event) => {
        event.preventDefault();
        if (!busy) onClose();
      }}
    >
      <h2 id={titleId} className="dialog-title">
        {title}
      </h2>
      {children}
    </dialog>
  );
}
