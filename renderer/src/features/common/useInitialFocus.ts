import { useEffect, useRef, type RefObject } from 'react';
import { useKeel } from '../../store/KeelStoreProvider';

/**
 * Focuses `target` once after it appears, waiting for any open dialog to close first (nothing
 * outside a modal dialog can take focus). With `onlyIfLost`, it does so only when focus has nowhere
 * better to be, for instance after the button that had it went away. With `unlessFocusWithin`, it
 * leaves focus that something else already put inside the elements that selector names.
 */
export function useInitialFocus(
  target: RefObject<HTMLElement | null>,
  options: { onlyIfLost?: boolean; unlessFocusWithin?: string } = {},
) {
  const dialogOpen = useKeel((state) => state.dialog !== null);
  const pending = useRef(true);
  const onlyIfLost = options.onlyIfLost ?? false;
  const unlessFocusWithin = options.unlessFocusWithin;
  useEffect(() => {
    if (dialogOpen || !pending.current) return;
    pending.current = false;
    const active = document.activeElement;
    if (onlyIfLost && active && active !== document.body) return;
    if (unlessFocusWithin && active?.closest(unlessFocusWithin)) return;
    target.current?.focus();
  }, [dialogOpen, onlyIfLost, unlessFocusWithin, target]);
}
