import { describe, expect, it } from 'vitest';
import { createFakeKeelApi } from '../../testing/fakeKeelApi';
import { createKeelStore } from '../index';

describe('settings in the main area', () => {
  it('opens at the part a problem banner points to, and forgets it when closed', () => {
    const store = createKeelStore(createFakeKeelApi());
    store.getState().openSettings('host');
    expect(store.getState()).toMatchObject({ settingsOpen: true, settingsSection: 'host' });
    store.getState().closeSettings();
    expect(store.getState()).toMatchObject({ settingsOpen: false, settingsSection: null });
    store.getState().openSettings();
    expect(store.getState()).toMatchObject({ settingsOpen: true, settingsSection: null });
  });

  it('creating a loop closes Settings and shows the loop', async () => {
    const store = createKeelStore(createFakeKeelApi());
    store.getState().openSettings();
    await store.getState().createLoop({ spaceId: 'space-1', title: 'Pricing' });
    expect(store.getState().settingsOpen).toBe(false);
    expect(store.getState().openLoop?.id).toBe('loop-new');
  });
});
