import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { builtPaths } from './builtPaths';

describe('builtPaths', () => {
  it('finds the preload and the workspace next to out/main/index.js', () => {
    const out = resolve('/opt/Keel/resources/app.asar/out');
    const paths = builtPaths(pathToFileURL(join(out, 'main', 'index.js')).href);
    expect(paths).toEqual({
      preloadPath: join(out, 'preload', 'index.cjs'),
      rendererDir: join(out, 'renderer'),
    });
  });
});
