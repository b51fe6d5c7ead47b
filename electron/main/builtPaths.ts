/**
 * Where electron-vite puts the other builds, relative to the built main file (`out/main/index.js`).
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The preload (`out/preload/index.cjs`) and the workspace (`out/renderer/`) next to the main build.
 * Takes the entry's own `import.meta.url`, which is always `out/main/index.js`, so the answer does
 * not depend on which chunk the bundler puts this code in.
 */
export function builtPaths(mainModuleUrl: string): { preloadPath: string; rendererDir: string } {
  const mainDir = dirname(fileURLToPath(mainModuleUrl));
  return {
    preloadPath: join(mainDir, '../preload/index.cjs'),
    rendererDir: join(mainDir, '../renderer'),
  };
}
