import type { KeelErrorInfo } from '../../../../shared/errors';
import type { KeelSliceCreator } from '../keelState';

export type DialogState =
  | { kind: 'new-space' }
  | { kind: 'rename-space'; spaceId: string }
  | { kind: 'archive-space'; spaceId: string }
  | { kind: 'new-loop'; spaceId: string }
  | { kind: 'rename-loop'; loopId: string }
  | { kind: 'archive-loop'; loopId: string }
  /** Asks before a link from an answer opens outside Keel, showing its full address. */
  | { kind: 'open-link'; url: string };

export type SettingsSection =
  'models' | 'builtin-models' | 'host' | 'privacy' | 'encryption' | 'backups' | 'transfer';

export interface Notice {
  id: number;
  error: KeelErrorInfo;
}

export interface UiSlice {
  dialog: DialogState | null;
  notices: Notice[];
  /** Settings replace the main area while open; opening a loop or a space closes them. */
  settingsOpen: boolean;
  /** The part of Settings to bring into view (a problem banner points at where its fix is). */
  settingsSection: SettingsSection | null;
  openDialog(dialog: DialogState): void;
  closeDialog(): void;
  openSettings(section?: SettingsSection): void;
  closeSettings(): void;
  showError(error: KeelErrorInfo): void;
  dismissNotice(id: number): void;
  /** A request (from the command palette) to show or hide a part of the open loop; each is served once. */
  layoutRequest: { part: LayoutPart; request: number } | null;
  requestLayoutToggle(part: LayoutPart): void;
  /** Forgets the dialogs and notices, which name the person's data; Settings stay where they are. */
  resetUi(): void;
}

/** No dialog, no notice; `resetUi` puts it back. */
export const initialUiState: Pick<UiSlice, 'dialog' | 'notices'> = { dialog: null, notices: [] };

/** The parts of an open loop the person can fold away: the intent, and the draft beside the timeline. */
export type LayoutPart = 'intent' | 'draft';

declare module '../keelState' {
  interface KeelSlices {
    ui: UiSlice;
  }
}

export function createUiSlice(): KeelSliceCreator<UiSlice> {
  let nextNoticeId = 1;
  let nextLayoutRequest = 1;
  return (set, get) => {
    const closeOtherPages = () => {
      get().closeMemory();
      get().closeSearch();
      get().closeLedger();
    };
    return {
      ...initialUiState,
      settingsOpen: false,
      settingsSection: null,
      openDialog: (dialog) => set({ dialog }),
      closeDialog: () => set({ dialog: null }),
      // Settings, the memory page and search all replace the main area: one opens in place of another,
      // and whatever leaves settings (opening a loop or a space) leaves the other two as well.
      openSettings: (section) => {
        closeOtherPages();
        set({ settingsOpen: true, settingsSection: section ?? null });
      },
      closeSettings: () => {
        closeOtherPages();
        set({ settingsOpen: false, settingsSection: null });
      },
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
      dismissNotice: (id) =>
        set((state) => ({ notices: state.notices.filter((notice) => notice.id !== id) })),
      resetUi: () => set(initialUiState),
    };
  };
}
