import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import react from '@vitejs/plugin-react';

/**
 * Three builds: the main process (with the loopback web host as a second entry, since both are
 * plain Node around the same engine), the sandboxed preload (CommonJS: a sandboxed preload cannot
 * be an ES module), and the React workspace.
 *
 * The main build bundles its dependencies (`externalizeDeps: false`): the packaged app then loads
 * nothing from `node_modules` inside app.asar (an ES module importing CommonJS packages from the
 * asar is what broke in earlier Electron releases), and out/main imports only `node:` built-ins
 * and `electron` (checked by electron/main/builtBundles.test.ts), except the built-in model runtime's
 * process code, which imports node-llama-cpp.
 */
export default defineConfig({
  main: {
    resolve: {
      // Documents are read in a worker thread: the built app starts the worker bundled beside it.
      alias: [
        {
          find: /^\.\/startParseWorker$/,
          replacement: resolve('electron/engine/sources/startParseWorker.built.ts'),
        },
        // The built-in model runtime's process code, bundled as an entry of its own (`?modulePath`).
        {
          find: /^(\.\/|\.\.\/engine\/model\/builtin\/|\.\.\/\.\.\/electron\/engine\/model\/builtin\/)runtimeHostPath$/,
          replacement: resolve('electron/engine/model/builtin/runtimeHostPath.built.ts'),
        },
      ],
    },
    build: {
      externalizeDeps: false,
      rolldownOptions: {
        // node-llama-cpp finds its native binaries through its package folders, so it is loaded from
        // node_modules (unpacked from the asar, electron-builder.yml) by the runtime's process only.
        // leveldown (sync's local sealed databases) finds its prebuilt binary the same way.
        external: ['node-llama-cpp', 'leveldown'],
        input: {
          index: resolve('electron/main/index.ts'),
          web: resolve('electron/web/index.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      externalizeDeps: false,
      rolldownOptions: {
        input: { index: resolve('electron/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve('renderer'),
    plugins: [react()],
    build: {
      rolldownOptions: { input: resolve('renderer/index.html') },
    },
  },
});
