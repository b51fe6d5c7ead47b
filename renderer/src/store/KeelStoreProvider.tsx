import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { KeelStore } from './index';
import type { KeelState } from './keelState';

const KeelStoreContext = createContext<KeelStore | null>(null);

export function KeelStoreProvider({ store, children }: { store: KeelStore; children: ReactNode }) {
  return <KeelStoreContext.Provider value={store}>{children}</KeelStoreContext.Provider>;
}

/** Reads the store through a selector; wrap selectors that build objects or arrays in `useShallow`. */
export function useKeel<T>(selector: (state: KeelState) => T): T {
  const store = useContext(KeelStoreContext);
  if (!store) throw new Error('useKeel must be used inside <KeelStoreProvider>.');
  return useStore(store, selector);
}

/**
 * Several fields of the store at once, by name. The component re-renders only when one of the named
 * fields changes (a shallow comparison), as it would with one `useKeel` call per field.
 */
export function useKeelFields<K extends keyof KeelState>(...keys: K[]): Pick<KeelState, K> {
  return useKeel(useShallow((state) => pickFields(state, keys)));
}

/** The named fields of the store's state, and nothing else. */
export function pickFields<K extends keyof KeelState>(
  state: KeelState,
  keys: readonly K[],
): Pick<KeelState, K> {
  const picked = {} as Pick<KeelState, K>;
  for (const key of keys) picked[key] = state[key];
  return picked;
}
