import type { KeelSliceCreator, UiSlice } from '../types';

export function createUiSlice(): KeelSliceCreator<UiSlice> {
  let nextNoticeId = 1;
  let nextLayoutRequest = 1;
  return (set, get) => ({
    dialog: null,
    notices: [],
    settingsOpen: false,
    settingsSection: null,
    openDialog: (dialog) => set({ dialog }),
    closeDialog: () => set({ dialog: null }),
    // Settings, the memory page and search all replace the main area: one opens in place of another,
    // and whatever leaves settings (opening a loop or a space) leaves the other two as well.
    openSettings: (section) =>
      set({
        settingsOpen: true,
        settingsSection: section ?? null,
        memoryOpen: false,
        memoryTarget: null,
        searchOpen: false,
        ledgerOpen: false,
      }),
    closeSettings: () =>
      set({
        settingsOpen: false,
        settingsSection: null,
        memoryOpen: false,
        memoryTarget: null,
        searchOpen: false,
        ledgerOpen: false,
      }),
    showError: (error) => {
      // The same failure twice in a row (a retried call) is one notice, not a pile of them.
      const duplicate = get().notices.some(
        (notice) => notice.error.code === error.code && notice.error.message === error.message,
      );
      if (duplicate) return;
      set((state) => ({ notices: [...state.notices, { id: nextNoticeId++, error }] }));
    },
    layoutRequest: null,
    requestLayoutToggle: (part) => set({ layoutRequest: { part, request: nextLayoutRequest++ } }),
    dismissNotice: (id) => set((state) => ({ notices: state.notices.filter((notice) => notice.id !== id) })),
  });
}
