import { describe, expect, it } from 'vitest';
import { backedUpFiles, backedUpFolders, documentFolders, layout, rewrittenFolders } from './layout';

describe('the data folder layout', () => {
  it('names every document by a path its own pattern accepts, in its own folder', () => {
    for (const [name, kind] of Object.entries(layout)) {
      // A sync base copy is named by its space and its document.
      const key = name === 'syncBase' ? 'sp-0000-1111.mm-0000-2222' : 'sp-0000-1111';
      const path = kind.path(key as never);
      expect(kind.names.test(path), name).toBe(true);
      expect(path.startsWith(kind.folder === '' ? '' : `${kind.folder}/`), name).toBe(true);
      expect(kind.spec('a label').version, name).toBeGreaterThanOrEqual(1);
      const defaults = kind.defaults?.();
      if (defaults) expect(kind.spec('a label').schema.safeParse(defaults).success, name).toBe(true);
    }
  });

  it('backs up the person’s data and not the search index, and re-encrypts everything', () => {
    expect(backedUpFiles).toEqual([
      'catalog.json',
      'settings.json',
      'templates.json',
      'keel-encryption.json',
    ]);
    expect(backedUpFolders.map((folder) => folder.name)).toEqual(['loops', 'memory', 'sources']);
    const holds = (path: string) => backedUpFolders.some((folder) => folder.holds(path));
    expect(holds('memory/space-sp-1234.vectors.json')).toBe(true);
    expect(holds('sources/sr-1234.file.json')).toBe(true);
    expect(holds('search/index.json')).toBe(false);
    expect(holds('loops/../catalog.json')).toBe(false);
    expect(documentFolders).toEqual(['loops', 'memory', 'sources', 'sync', 'search']);
    expect(rewrittenFolders).toEqual(['memory', 'sources', 'sync', 'search']);
  });
});
