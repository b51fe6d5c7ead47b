import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
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
