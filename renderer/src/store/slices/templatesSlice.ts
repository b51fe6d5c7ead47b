import { settle } from '../settle';
import type { LoopTemplate } from '../../../../shared/domain';
import type { KeelErrorInfo, Result } from '../../../../shared/errors';
import type { CallInput } from '../../../../shared/contract';
import type { KeelApi, KeelSliceCreator } from '../keelState';

export interface TemplatesSlice {
  /** The built-in templates and the person's own; null until first loaded. */
  templates: LoopTemplate[] | null;
  /** Why the templates could not be listed. */
  templatesError: KeelErrorInfo | null;
  loadTemplates(): Promise<void>;
  /** Saves a loop's framing as the person's own template. */
  saveTemplate(input: CallInput<'saveTemplate'>): Promise<Result<LoopTemplate>>;
  deleteTemplate(templateId: string): Promise<Result<{ deleted: string }>>;
  /** Forgets the person's data this slice holds (the workspace locked or is read again). */
  resetTemplates(): void;
}

/** Nothing listed yet; `resetTemplates` puts it back. */
export const initialTemplatesState: Pick<TemplatesSlice, 'templates' | 'templatesError'> = {
  templates: null,
  templatesError: null,
};

declare module '../keelState' {
  interface KeelSlices {
    templates: TemplatesSlice;
  }
}

/** Loop templates: the built-in ones and the person's own, saved from a loop's framing. */
export function createTemplatesSlice(api: KeelApi): KeelSliceCreator<TemplatesSlice> {
  return (set) => ({
    ...initialTemplatesState,

    loadTemplates: async () => {
      const result = await settle(() => api.listTemplates({}));
      if (result.ok) set({ templates: result.value, templatesError: null });
      else set({ templatesError: result.error });
    },

    saveTemplate: async (input) => {
      const result = await settle(() => api.saveTemplate(input));
      if (result.ok) {
        const saved = result.value;
        set((state) => ({
          templates: state.templates
            ? [...state.templates.filter((template) => template.id !== saved.id), saved]
            : null,
        }));
      }
      return result;
    },

    deleteTemplate: async (templateId) => {
      const result = await settle(() => api.deleteTemplate({ templateId }));
      if (result.ok) {
        set((state) => ({
          templates: state.templates?.filter((template) => template.id !== templateId) ?? null,
        }));
      }
      return result;
    },

    resetTemplates: () => set(initialTemplatesState),
  });
}
