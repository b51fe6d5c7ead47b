import { describe, expect, it } from 'vitest';
import { fail } from '../../../../shared/errors';
import { createFakeKeelApi } from '../fakeKeelApi';
import { createKeelStore } from '../index';
import { nextTheme } from './settingsSlice';

describe('settings', () => {
  it('walks the themes System → Light → Dark → System', () => {
    expect(nextTheme('system')).toBe('light');
    expect(nextTheme('light')).toBe('dark');
    expect(nextTheme('dark')).toBe('system');
  });

  it('saves the next theme', async () => {
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    await store.getState().loadSettings();
    await store.getState().cycleTheme();
    expect(api.updateSettings).toHaveBeenCalledWith({ theme: 'light' });
    expect(store.getState().theme).toBe('light');
  });

  it('goes back to the saved theme when saving fails, and says why', async () => {
    const api = createFakeKeelApi();
    api.updateSettings.mockResolvedValueOnce(fail({ code: 'storage-failed', message: 'Disk full.' }));
    const store = createKeelStore(api);
    await store.getState().cycleTheme();
    expect(store.getState().theme).toBe('system');
    expect(store.getState().notices[0]?.error.code).toBe('storage-failed');
  });
});
