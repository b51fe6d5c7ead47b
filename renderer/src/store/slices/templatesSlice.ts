import { settle } from '../settle';
import type { KeelApi, KeelSliceCreator, TemplatesSlice } from '../types';

/** Loop templates: the built-in ones and the person's own, saved from a loop's framing. */
export function createTemplatesSlice(api: KeelApi): KeelSliceCreator<TemplatesSlice> {
  return (set) => ({
    templates: null,
    templatesError: null,

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
  });
}
