import { describe, expect, it } from 'vitest';
import { fail } from '../../../../shared/errors';
import { createFakeKeelApi, makeLoop, makeSpace } from '../../testing/fakeKeelApi';
import { createKeelStore } from '../index';

describe('spaces', () => {
  it('loads the spaces and leaves archived ones out', async () => {
    const api = createFakeKeelApi();
    api.listSpaces.mockResolvedValueOnce({
      ok: true,
      value: [makeSpace(), makeSpace({ id: 'space-old', archived: true })],
    });
    const store = createKeelStore(api);
    expect(await store.getState().loadSpaces()).toBeNull();
    expect(store.getState().spaces.map((space) => space.id)).toEqual(['space-1']);
    expect(store.getState().currentSpaceId).toBe('space-1');
    expect(store.getState().spacesLoaded).toBe(true);
  });

  it('keeps the reason when the spaces cannot be loaded', async () => {
    const api = createFakeKeelApi();
    api.listSpaces.mockResolvedValueOnce(
      fail({ code: 'storage-corrupt', message: 'spaces.json is damaged' }),
    );
    const store = createKeelStore(api);
    await store.getState().loadSpaces();
    expect(store.getState().loadError?.code).toBe('storage-corrupt');
    expect(store.getState().spacesLoaded).toBe(false);
  });

  it('creating a space adds it and makes it the current one', async () => {
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    await store.getState().loadSpaces();
    const result = await store.getState().createSpace({ name: 'Contoso', kind: 'client' });
    expect(result.ok).toBe(true);
    expect(api.createSpace).toHaveBeenCalledWith({ name: 'Contoso', kind: 'client' });
    expect(store.getState().spaces.map((space) => space.name)).toEqual(['Northwind', 'Contoso']);
    expect(store.getState().currentSpaceId).toBe('space-new');
  });

  it('a refused space is not added and the caller gets the reason', async () => {
    const api = createFakeKeelApi();
    api.createSpace.mockResolvedValueOnce(
      fail({ code: 'invalid-input', message: 'The name cannot be empty.' }),
    );
    const store = createKeelStore(api);
    const result = await store.getState().createSpace({ name: ' ', kind: 'plan' });
    expect(result.ok).toBe(false);
    expect(store.getState().spaces).toEqual([]);
  });

  it('renaming replaces the space in the list', async () => {
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    await store.getState().loadSpaces();
    await store.getState().renameSpace('space-1', 'Northwind Logistics');
    expect(store.getState().spaces[0]?.name).toBe('Northwind Logistics');
  });

  it('archiving a space removes it and closes its open loop', async () => {
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    await store.getState().loadSpaces();
    store.setState({ openLoop: makeLoop() });
    await store.getState().archiveSpace('space-1');
    expect(api.archiveSpace).toHaveBeenCalledWith({ spaceId: 'space-1', archived: true });
    expect(store.getState().spaces).toEqual([]);
    expect(store.getState().openLoop).toBeNull();
    expect(store.getState().currentSpaceId).toBeNull();
  });

  it('gives a space its own models, or (with null) the global ones again', async () => {
    const api = createFakeKeelApi();
    api.setSpaceModels.mockResolvedValueOnce({ ok: true, value: makeSpace({ chatModel: 'qwen3:4b' }) });
    const store = createKeelStore(api);
    await store.getState().loadSpaces();
    await store.getState().setSpaceModels('space-1', { chatModel: 'qwen3:4b' });
    expect(api.setSpaceModels).toHaveBeenCalledWith({ spaceId: 'space-1', chatModel: 'qwen3:4b' });
    expect(store.getState().spaces[0]?.chatModel).toBe('qwen3:4b');
    await store.getState().setSpaceModels('space-1', { chatModel: null });
    expect(api.setSpaceModels).toHaveBeenLastCalledWith({ spaceId: 'space-1', chatModel: null });
    expect(store.getState().spaces[0]?.chatModel).toBeUndefined();
  });

  it('picking a space closes Settings', () => {
    const store = createKeelStore(createFakeKeelApi());
    store.getState().openSettings();
    store.getState().selectSpace('space-1');
    expect(store.getState().settingsOpen).toBe(false);
  });
});
