import type { CallInput } from '../../../../shared/contract';
import type { AppInfo, Settings, Theme } from '../../../../shared/domain';
import type { KeelErrorInfo, Result } from '../../../../shared/errors';
import type { KeelApi, KeelSliceCreator } from '../keelState';
import { settle } from '../settle';

export interface SettingsSlice {
  settings: Settings | null;
  /** The theme on screen: the saved one, or the person's new choice while it is being saved. */
  theme: Theme;
  appInfo: AppInfo | null;
  loadSettings(): Promise<KeelErrorInfo | null>;
  cycleTheme(): Promise<void>;
  /**
   * Saves some settings. A new model host is checked again at once, and so is the connection when
   * the chat model changed.
   */
  saveSettings(changes: SettingsChanges): Promise<Result<Settings>>;
}

export type SettingsChanges = CallInput<'updateSettings'>;

declare module '../keelState' {
  interface KeelSlices {
    settings: SettingsSlice;
  }
}

/** The order the Theme button walks through: each theme and the one after it. */
const themeAfter: Record<Theme, Theme> = { system: 'light', light: 'dark', dark: 'system' };

export function nextTheme(theme: Theme): Theme {
  return themeAfter[theme];
}

/**
 * Nothing loaded yet, the system's theme. There is no reset: the settings stay when the workspace
 * locks (the theme stays on screen, the lock screen included).
 */
export const initialSettingsState: Pick<SettingsSlice, 'settings' | 'theme' | 'appInfo'> = {
  settings: null,
  theme: 'system',
  appInfo: null,
};

export function createSettingsSlice(api: KeelApi): KeelSliceCreator<SettingsSlice> {
  return (set, get) => ({
    ...initialSettingsState,

    loadSettings: async () => {
      const [settings, appInfo] = await Promise.all([
        settle(() => api.getSettings({})),
        settle(() => api.getAppInfo({})),
      ]);
      if (settings.ok) set({ settings: settings.value, theme: settings.value.theme });
      if (appInfo.ok) set({ appInfo: appInfo.value });
      if (!settings.ok) return settings.error;
      if (!appInfo.ok) return appInfo.error;
      return null;
    },

    cycleTheme: async () => {
      const previous = get().theme;
      const theme = nextTheme(previous);
      set({ theme });
      const saved = await settle(() => api.updateSettings({ theme }));
      if (saved.ok) {
        set({ settings: saved.value, theme: saved.value.theme });
      } else {
        // Only undo if the person has not moved on to another choice meanwhile.
        if (get().theme === theme) set({ theme: previous });
        get().showError(saved.error);
      }
    },

    saveSettings: async (changes) => {
      const saved = await settle(() => api.updateSettings(changes));
      if (!saved.ok) return saved;
      set({ settings: saved.value, theme: saved.value.theme });
      // A new runtime is a new source of models, as a new host is.
      const hostChanged =
        changes.ollamaHost !== undefined ||
        changes.allowRemoteHost !== undefined ||
        changes.runtime !== undefined;
      if (hostChanged) {
        // The host in use (and whether it is this machine) is the engine's to say.
        const info = await settle(() => api.getAppInfo({}));
        if (info.ok) set({ appInfo: info.value });
        if (get().models !== null) void get().loadModels();
      }
      if (hostChanged || changes.chatModel !== undefined) {
        void get().checkModel();
        void get().refreshContextUsage();
      }
      return saved;
    },
  });
}
