import { describe, expect, it } from 'vitest';
import { fail } from '../../../../shared/errors';
import { createFakeKeelApi, makeTemplate } from '../../testing/fakeKeelApi';
import { createKeelStore } from '../index';

describe('templates', () => {
  it('loads the templates, saves one of the person’s own and deletes it', async () => {
    const api = createFakeKeelApi();
    const store = createKeelStore(api);
    expect(store.getState().templates).toBeNull();
    await store.getState().loadTemplates();
    expect(store.getState().templates?.map((template) => template.id)).toEqual(['market-entry']);

    const saved = await store.getState().saveTemplate({ loopId: 'loop-1', name: 'My framing' });
    expect(saved.ok).toBe(true);
    expect(store.getState().templates?.map((template) => [template.name, template.builtIn])).toEqual([
      ['Market entry', true],
      ['My framing', false],
    ]);

    await store.getState().deleteTemplate('template-own');
    expect(api.deleteTemplate).toHaveBeenCalledWith({ templateId: 'template-own' });
    expect(store.getState().templates).toEqual([makeTemplate()]);
  });

  it('keeps why the list could not be loaded', async () => {
    const api = createFakeKeelApi();
    api.listTemplates.mockResolvedValueOnce(fail({ code: 'storage-failed', message: 'Disk.' }));
    const store = createKeelStore(api);
    await store.getState().loadTemplates();
    expect(store.getState().templatesError?.code).toBe('storage-failed');
  });
});
