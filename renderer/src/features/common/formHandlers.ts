import type { FormEvent, KeyboardEvent } from 'react';

/** A form's submit that keeps the page where it is (no navigation) and runs `send`. */
export function submitInPlace(event: FormEvent, send: () => unknown) {
  event.preventDefault();
  void send();
}

/**
 * The keys of a form that edits in place: Escape leaves it without saving (and goes no further, so
 * the page around it stays open), Ctrl/Cmd+Enter saves it.
 */
export function editFormKeys(
  event: KeyboardEvent,
  { onLeave, onSave }: { onLeave: () => void; onSave: () => unknown },
) {
  if (event.key === 'Escape') {
    event.preventDefault();
    event.stopPropagation();
    onLeave();
  } else if (event.key === 'Enter' && (event.ctrlKey || event.metaKey)) {
    event.preventDefault();
    void onSave();
  }
}
