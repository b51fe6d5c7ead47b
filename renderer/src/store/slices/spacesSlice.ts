import { settle } from '../settle';
import type { KeelApi, KeelSliceCreator, SpacesSlice } from '../types';

export function createSpacesSlice(api: KeelApi): KeelSliceCreator<SpacesSlice> {
  return (set, get) => ({
    spaces: [],
    currentSpaceId: null,
    spacesLoaded: false,
    loadError: null,

    loadSpaces: async () => {
      const result = await settle(() => api.listSpaces({}));
      if (!result.ok) {
        set({ loadError: result.error });
        return result.error;
      }
      const spaces = result.value.filter((space) => !space.archived);
      const current = get().currentSpaceId;
      set({
        spaces,
        spacesLoaded: true,
        loadError: null,
        currentSpaceId: spaces.some((space) => space.id === current) ? current : (spaces[0]?.id ?? null),
      });
      return null;
    },

    selectSpace: (spaceId) => {
      if (get().openLoop?.spaceId !== spaceId) get().closeLoop();
      get().closeSettings();
      set({ currentSpaceId: spaceId });
    },

    createSpace: async ({ name, kind }) => {
      const result = await settle(() => api.createSpace({ name, kind }));
      if (result.ok) {
        get().closeLoop();
        get().closeSettings();
        set((state) => ({ spaces: [...state.spaces, result.value], currentSpaceId: result.value.id }));
      }
      return result;
    },

    renameSpace: async (spaceId, name) => {
      const result = await settle(() => api.renameSpace({ spaceId, name }));
      if (result.ok) {
        set((state) => ({
          spaces: state.spaces.map((space) => (space.id === spaceId ? result.value : space)),
        }));
      }
      return result;
    },

    archiveSpace: async (spaceId) => {
      const result = await settle(() => api.archiveSpace({ spaceId, archived: true }));
      if (result.ok) {
        if (get().openLoop?.spaceId === spaceId) get().closeLoop();
        set((state) => {
          const spaces = state.spaces.filter((space) => space.id !== spaceId);
          const currentSpaceId =
            state.currentSpaceId === spaceId ? (spaces[0]?.id ?? null) : state.currentSpaceId;
          return { spaces, currentSpaceId };
        });
      }
      return result;
    },

    setSpaceModels: async (spaceId, models) => {
      const result = await settle(() => api.setSpaceModels({ spaceId, ...models }));
      if (result.ok) {
        set((state) => ({
          spaces: state.spaces.map((space) => (space.id === spaceId ? result.value : space)),
        }));
        if (models.chatModel !== undefined && get().openLoop?.spaceId === spaceId) {
          void get().refreshContextUsage();
        }
      }
      return result;
    },
  });
}
