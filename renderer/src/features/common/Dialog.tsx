import { useEffect, useId, useLayoutEffect, useRef, type ReactNode } from 'react';

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
 * A modal dialog on the native `<dialog>` element: the browser keeps focus inside it, makes the page
 * behind it inert and turns Esc into a cancel, which closes it here.
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
