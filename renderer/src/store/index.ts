/**
 * The workspace's one store, combined from slices (zustand's slices pattern). It reaches the engine
 * only through the `KeelApi` it is given, so tests hand it a fake one.
 */
import { createStore } from 'zustand/vanilla';
import { createDraftSlice } from './slices/draftSlice';
import { createExportSlice } from './slices/exportSlice';
import { createLedgerSlice } from './slices/ledgerSlice';
import { createLifecycleSlice } from './slices/lifecycleSlice';
import { createLoopsSlice } from './slices/loopsSlice';
import { createMemorySlice } from './slices/memorySlice';
import { createModelSlice } from './slices/modelSlice';
import { createSearchSlice } from './slices/searchSlice';
import { createSettingsSlice } from './slices/settingsSlice';
import { createSourcesSlice } from './slices/sourcesSlice';
import { createSyncSlice } from './slices/syncSlice';
import { createSpacesSlice } from './slices/spacesSlice';
import { createTemplatesSlice } from './slices/templatesSlice';
import { createTrustSlice } from './slices/trustSlice';
import { createUiSlice } from './slices/uiSlice';
import type { KeelApi, KeelState, KeelStoreOptions } from './keelState';

export function createKeelStore(api: KeelApi, options: KeelStoreOptions = {}) {
  return createStore<KeelState>()((...args) => ({
    ...createSpacesSlice(api)(...args),
    ...createLoopsSlice(api, options)(...args),
    ...createTemplatesSlice(api)(...args),
    ...createModelSlice(api)(...args),
    ...createSettingsSlice(api)(...args),
    ...createUiSlice()(...args),
    ...createDraftSlice(api)(...args),
    ...createExportSlice(api)(...args),
    ...createTrustSlice(api)(...args),
    ...createMemorySlice(api)(...args),
    ...createSearchSlice(api)(...args),
    ...createSourcesSlice(api)(...args),
    ...createLedgerSlice(api)(...args),
    ...createSyncSlice(api)(...args),
    ...createLifecycleSlice(api)(...args),
  }));
}

export type KeelStore = ReturnType<typeof createKeelStore>;
export type { KeelState } from './keelState';
