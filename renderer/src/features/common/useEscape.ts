import { useEffect } from 'react';

/**
 * Calls `onEscape` when the person presses Esc anywhere on the page, except inside a dialog (where
 * Esc closes the dialog) or when something else already handled the key. `enabled` false listens
 * to nothing.
 */
export function useEscape(onEscape: () => void, enabled = true): void {
  useEffect(() => {
    if (!enabled) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.key !== 'Escape' || event.defaultPrevented) return;
      if (event.target instanceof Element && event.target.closest('dialog')) return;
      event.preventDefault();
      onEscape();
    };
    document.addEventListener('keydown', onKeyDown);
    return () => document.removeEventListener('keydown', onKeyDown);
  }, [onEscape, enabled]);
}
