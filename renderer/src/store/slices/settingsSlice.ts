import type { Theme } from '../../../../shared/domain';
import { missingCase } from '../../../../shared/errors';
import { settle } from '../settle';
import type { KeelApi, KeelSliceCreator, SettingsSlice } from '../types';

/** The order the Theme button walks through. */
export function nextTheme(theme: Theme): Theme {
  switch (theme) {
    case 'system':
      return 'light';
    case 'light':
      return 'dark';
    case 'dark':
      return 'system';
    default:
      return missingCase(theme);
  }
}

export function createSettingsSlice(api: KeelApi): KeelSliceCreator<SettingsSlice> {
  return (set, get) => ({
    settings: null,
    theme: 'system',
    appInfo: null,

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
