import { useSyncExternalStore } from 'react';

/**
 * Below this width the draft no longer fits beside the timeline without squeezing both: it becomes
 * a tab. Kept in step with the `@media (max-width: 1099px)` rules of the loop in styles.css.
 */
const narrowQuery = '(max-width: 1099px)';

function subscribe(onChange: () => void): () => void {
  const query = window.matchMedia(narrowQuery);
  query.addEventListener('change', onChange);
  return () => query.removeEventListener('change', onChange);
}

/** True while the window is too narrow for the timeline and the draft side by side. */
export function useNarrowWindow(): boolean {
  return useSyncExternalStore(
    subscribe,
    () => window.matchMedia(narrowQuery).matches,
    () => false,
  );
}
