import { useEffect, type RefObject } from 'react';
import type { SearchFocusPart } from '../../store/slices/searchSlice';
import { useKeel } from '../../store/KeelStoreProvider';

/**
 * The latest request to show a loop's part that was served. Requests only grow and each is served
 * once, so opening the loop again later does not jump to a part asked for long ago.
 */
let servedRequest = 0;

/** Elements that take focus without a tabindex of their own. */
const focusable = 'input, textarea, select, button, a[href], [tabindex]';

/**
 * Brings `target` into view, focuses it and briefly highlights it when a search result asked for
 * this part (draft or decision) of loop `loopId`, whether the loop was on screen already or opens
 * because of it.
 */
export function useSearchFocus(part: SearchFocusPart, loopId: string, target: RefObject<HTMLElement | null>) {
  const focus = useKeel((state) =>
    state.searchFocus?.loopId === loopId && state.searchFocus.part === part ? state.searchFocus : null,
  );

  useEffect(() => {
    const element = target.current;
    if (!focus || focus.request <= servedRequest || !element) return;
    servedRequest = focus.request;
    if (!element.matches(focusable)) element.setAttribute('tabindex', '-1');
    element.scrollIntoView({ block: 'nearest' });
    element.focus({ preventScroll: true });
    element.classList.add('search-found');
    const timer = setTimeout(() => element.classList.remove('search-found'), 2000);
    return () => {
      clearTimeout(timer);
      element.classList.remove('search-found');
    };
  }, [focus, target]);
}
