import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { callNames } from '../../shared/contract';

const electron = vi.hoisted(() => ({
  contextBridge: { exposeInMainWorld: vi.fn() },
  ipcRenderer: { invoke: vi.fn(), on: vi.fn(), removeListener: vi.fn() },
}));
vi.mock('electron', () => electron);

describe('the preload', () => {
  it('exposes one global, keel, holding the bridge', async () => {
    await import('./index');
    expect(electron.contextBridge.exposeInMainWorld).toHaveBeenCalledOnce();
    const [name, api] = electron.contextBridge.exposeInMainWorld.mock.calls[0] ?? [];
    expect(name).toBe('keel');
    expect(Object.keys(api as object).sort()).toEqual([...callNames, 'onEvent', 'upload', 'download'].sort());
  });

  it('imports only electron and bundled code, as a sandboxed preload must', async () => {
    const folder = fileURLToPath(new URL('.', import.meta.url));
    const sources = (await readdir(folder)).filter(
      (name) => name.endsWith('.ts') && !name.endsWith('.test.ts'),
    );
    for (const name of sources) {
      const text = await readFile(join(folder, name), 'utf8');
      const specifiers = [...text.matchAll(/^import\s+(?!type\b)[^'"]*['"]([^'"]+)['"]/gm)].map(
        (match) => match[1],
      );
      for (const specifier of specifiers) {
        expect(specifier === 'electron' || specifier?.startsWith('.'), `${name} imports ${specifier}`).toBe(
          true,
        );
      }
    }
  });
});
