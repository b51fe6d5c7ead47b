import { describe, expect, it } from 'vitest';
import { shallow } from 'zustand/shallow';
import { createFakeKeelApi } from '../testing/fakeKeelApi';
import { createKeelStore } from './index';
import { pickFields } from './KeelStoreProvider';

describe('reading several fields of the store at once', () => {
  it('gives only the named fields, and a change elsewhere leaves them equal (no re-render)', () => {
    const store = createKeelStore(createFakeKeelApi());
    const before = pickFields(store.getState(), ['settingsOpen', 'openSettings']);
    expect(Object.keys(before).sort()).toEqual(['openSettings', 'settingsOpen']);
    store.setState({ memoryOpen: !store.getState().memoryOpen });
    expect(shallow(before, pickFields(store.getState(), ['settingsOpen', 'openSettings']))).toBe(true);
    store.getState().openSettings();
    const after = pickFields(store.getState(), ['settingsOpen', 'openSettings']);
    expect(after.settingsOpen).toBe(true);
    expect(shallow(before, after)).toBe(false);
  });
});
