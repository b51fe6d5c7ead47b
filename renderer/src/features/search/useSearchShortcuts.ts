import { useEffect } from 'react';
import { useKeel } from '../../store/KeelStoreProvider';

/** Input types that take no typed text: "/" there is free for the search shortcut. */
const nonTextInputs = new Set(['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color', 'file']);

/** Whether typing "/" at `target` would write a slash somewhere. */
function takesText(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  if (
    target.isContentEditable ||
    target instanceof HTMLTextAreaElement ||
    target instanceof HTMLSelectElement
  )
    return true;
  return target instanceof HTMLInputElement && !nonTextInputs.has(target.type);
}

/**
 * Ctrl/Cmd+Shift+F opens search from anywhere in the open workspace, and so does "/" when focus is
 * not where text is typed (as on many sites). A modal dialog keeps its keys.
 */
export function useSearchShortcuts() {
  const openSearch = useKeel((state) => state.openSearch);
  const workspaceOpen = useKeel((state) => state.engineState?.status === 'open');

  useEffect(() => {
    if (!workspaceOpen) return;
    const onKeyDown = (event: KeyboardEvent) => {
      if (event.defaultPrevented || event.repeat || event.altKey) return;
      if (document.querySelector('dialog[open]')) return;
      const commandKey = event.ctrlKey || event.metaKey;
      const chord = commandKey && event.shiftKey && event.key.toLowerCase() === 'f';
      const slash = event.key === '/' && !commandKey && !takesText(event.target);
      if (!chord && !slash) return;
      event.preventDefault();
      openSearch();
    };
    window.addEventListener('keydown', onKeyDown);
    return () => window.removeEventListener('keydown', onKeyDown);
  }, [openSearch, workspaceOpen]);
}
