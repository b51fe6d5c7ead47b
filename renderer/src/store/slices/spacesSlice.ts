import { settle } from '../settle';
import type { Space, SpaceKind } from '../../../../shared/domain';
import type { KeelErrorInfo, Result } from '../../../../shared/errors';
import type { KeelApi, KeelSliceCreator } from '../keelState';

export interface SpacesSlice {
  /** The spaces in the sidebar (archived ones are not loaded), oldest first. */
  spaces: Space[];
  /** The space the person is working in: the open loop's, or the one they last picked. */
  currentSpaceId: string | null;
  spacesLoaded: boolean;
  /** Why the spaces could not be loaded at start, shown in place of the workspace. */
  loadError: KeelErrorInfo | null;
  /** Loads the spaces; resolves to the error when that failed (also kept in `loadError`). */
  loadSpaces(): Promise<KeelErrorInfo | null>;
  selectSpace(spaceId: string): void;
  /** Makes a space the current one and changes nothing else (opening one of its loops does this). */
  setCurrentSpace(spaceId: string): void;
  createSpace(input: { name: string; kind: SpaceKind }): Promise<Result<Space>>;
  renameSpace(spaceId: string, name: string): Promise<Result<Space>>;
  archiveSpace(spaceId: string): Promise<Result<Space>>;
  /** Sets or (with null) clears a space's own models and runtime; absent fields stay as they are. */
  setSpaceModels(
    spaceId: string,
    models: {
      chatModel?: string | null;
      embeddingModel?: string | null;
      runtime?: 'automatic' | 'ollama' | 'builtin' | null;
    },
  ): Promise<Result<Space>>;
  /** Forgets the person's data this slice holds (the workspace locked or is read again). */
  resetSpaces(): void;
}

/** The spaces before any is loaded; `resetSpaces` puts them back. */
export const initialSpacesState: Pick<
  SpacesSlice,
  'spaces' | 'currentSpaceId' | 'spacesLoaded' | 'loadError'
> = {
  spaces: [],
  currentSpaceId: null,
  spacesLoaded: false,
  loadError: null,
};

declare module '../keelState' {
  interface KeelSlices {
    spaces: SpacesSlice;
  }
}

export function createSpacesSlice(api: KeelApi): KeelSliceCreator<SpacesSlice> {
  return (set, get) => ({
    ...initialSpacesState,

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

    setCurrentSpace: (spaceId) => set({ currentSpaceId: spaceId }),

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

    resetSpaces: () => set(initialSpacesState),
  });
}
