import { describe, expect, it, vi } from 'vitest';
import { fail } from '../../../../shared/errors';
import { createFakeKeelApi } from '../../testing/fakeKeelApi';
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

  it('a new model host refreshes the host shown and checks the connection again', async () => {
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    const result = await store.getState().saveSettings({ ollamaHost: 'http://10.20.30.40:11434' });
    expect(result.ok).toBe(true);
    expect(api.updateSettings).toHaveBeenCalledWith({ ollamaHost: 'http://10.20.30.40:11434' });
    expect(api.getAppInfo).toHaveBeenCalledTimes(1);
    await vi.waitFor(() => expect(api.getModelStatus).toHaveBeenCalledTimes(1));
  });

  it('a refused model is returned in words and the settings stay as they were', async () => {
    const api = createFakeKeelApi();
    const refusal = {
      code: 'model-unsuitable' as const,
      message: 'nomic-embed-text is an embedding model: it cannot write answers.',
      field: 'chatModel',
    };
    api.updateSettings.mockResolvedValueOnce(fail(refusal));
    const store = createKeelStore(api);
    await store.getState().loadSettings();
    const result = await store.getState().saveSettings({ chatModel: 'nomic-embed-text' });
    expect(result).toEqual({ ok: false, error: refusal });
    expect(store.getState().settings?.chatModel).toBe('llama3.2');
    expect(api.getModelStatus).not.toHaveBeenCalled();
  });

  it('saving keep-alive checks nothing else', async () => {
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    await store.getState().saveSettings({ keepAlive: '-1' });
    expect(api.updateSettings).toHaveBeenCalledWith({ keepAlive: '-1' });
    expect(api.getModelStatus).not.toHaveBeenCalled();
    expect(api.getAppInfo).not.toHaveBeenCalled();
  });
});
