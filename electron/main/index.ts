/**
 * Keel's Electron entry (built to `out/main/index.js`). It stays thin: one engine per data folder,
 * the IPC host and the `keel://` protocol in front of it, one hardened window. Everything that can be
 * decided without Electron lives in the modules it imports, where it is tested.
 */
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, safeStorage, session, shell } from 'electron';
import { join } from 'node:path';
import { toErrorInfo } from '../../shared/errors';
import { contentSecurityPolicy } from '../../shared/security';
import { createEngine } from '../engine/createEngine';
import { runtimeHostPath } from '../engine/model/builtin/runtimeHostPath';
import { utilityProcessLauncher } from './utilityLauncher';
import { keychainSecrets } from './keychainSecrets';
import type { Engine } from '../engine/Engine';
import { detectGpu } from '../engine/model/builtin/machine';
import { builtPaths } from './builtPaths';
import { chromiumProfileDir } from './chromiumProfile';
import { attachContextMenu } from './contextMenu';
import { createQuitGuard } from './createQuitGuard';
import { watchDueForecasts } from './decisionNotifications';
import { openExternalLink } from './externalLinks';
import { chooseModelFile } from './modelFileDialog';
import { utilityScriptRunner } from './utilityScriptRunner';
import { registerIpcHost, type ShellCalls } from './ipcHost';
import { appSchemePrivileges, registerAppProtocol } from './protocol';
import { resolveDataDir } from './resolveDataDir';
import { hardenSession, hardenWebContents, isTrustedSender } from './security';
import { createMainWindow, rendererEntry, usesLocalSpellchecker } from './window';

const paths = builtPaths(import.meta.url);
const entry = rendererEntry(process.env, app.isPackaged);

// Read before userData moves below: without KEEL_DATA_DIR the data folder is Electron's default
// userData for Keel, where earlier versions kept it.
const dataDir = resolveDataDir(process.env, app);
// Chromium's profile (caches, cookies, local storage) and with it the single-instance lock follow
// the data folder, and live outside it: one Keel per data folder, not one per machine. Both must be
// set before `ready` and before the lock is asked for.
const profileDir = chromiumProfileDir(dataDir, app.getPath('appData'));
app.setPath('userData', profileDir);
app.setPath('sessionData', profileDir);

/** Calls the window's main process answers itself: opening a confirmed link outside Keel. */
const shellCalls: ShellCalls = {
  openExternal: (input) => openExternalLink(input, (url) => shell.openExternal(url)),
};

// Privileged schemes can only be registered before `ready`; this runs while the entry loads.
protocol.registerSchemesAsPrivileged([appSchemePrivileges]);

if (app.requestSingleInstanceLock()) {
  run();
} else {
  // Another Keel has this data folder open; it focuses its window on `second-instance`.
  app.quit();
}

function run(): void {
  let mainWindow: BrowserWindow | null = null;
  let engine: Engine | null = null;
  let disposeIpcHost: (() => void) | null = null;

  const openWindow = (): void => {
    const window = createMainWindow({ preloadPath: paths.preloadPath, entryUrl: entry.url });
    window.on('closed', () => {
      if (mainWindow === window) mainWindow = null;
    });
    mainWindow = window;
  };

  // Every webContents, not only the main window's, gets the navigation and new-window guards and
  // the right-click menu.
  app.on('web-contents-created', (_event, contents) => {
    hardenWebContents(contents, entry.origin);
    attachContextMenu(contents, (template) => Menu.buildFromTemplate(template).popup());
    // The workspace shows "the desktop bridge did not load"; the cause goes where a developer looks.
    contents.on('preload-error', (_preloadEvent, preloadPath, error) => {
      console.error(`Keel's preload ${preloadPath} failed:`, error);
    });
  });

  const launch = async (): Promise<Engine | null> => {
    let created: Engine | null = null;
    try {
      created = await start();
      const ready = created;
      disposeIpcHost = registerIpcHost(
        ipcMain,
        created,
        (frame) => isTrustedSender(frame, entry.origin),
        undefined,
        {
          ...shellCalls,
          chooseModelFile: () =>
            chooseModelFile(ready, (options) =>
              mainWindow ? dialog.showOpenDialog(mainWindow, options) : dialog.showOpenDialog(options),
            ),
        },
      );
      // A click on the notification brings the window forward, as a second launch of Keel does.
      watchDueForecasts(created, () => app.emit('second-instance'));
      registerAppProtocol(protocol, paths.rendererDir);
      openWindow();
      engine = created;
      return created;
    } catch (error) {
      dialog.showErrorBox('Keel could not start', toErrorInfo(error).message);
      await created?.close().catch(() => undefined);
      // `exit` rather than `quit`: nothing is left to close, and a non-zero code tells scripts and
      // end-to-end tests that start-up failed.
      app.exit(1);
      return null;
    }
  };
  const started = launch();

  app.on(
    'before-quit',
    createQuitGuard(
      async () => {
        // Waits for a start still in progress, so a quit during start-up still releases the folder.
        const created = await started;
        disposeIpcHost?.();
        await created?.close();
      },
      () => app.quit(),
    ),
  );

  app.on('second-instance', () => {
    if (mainWindow === null) {
      if (engine !== null) openWindow();
      return;
    }
    if (mainWindow.isMinimized()) mainWindow.restore();
    mainWindow.show();
    mainWindow.focus();
  });

  // macOS keeps apps running with no window and re-opens one from the dock; elsewhere closing the
  // last window quits, and `before-quit` closes the engine.
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (engine !== null && BrowserWindow.getAllWindows().length === 0) openWindow();
  });
}

/** Waits for `ready`, locks the session down, then opens the engine on the data folder. */
async function start(): Promise<Engine> {
  await app.whenReady();
  if (process.platform === 'win32') app.setAppUserModelId('app.keel.desktop');
  hardenSession(session.defaultSession, contentSecurityPolicy, {
    allowedOrigin: entry.origin,
    spellcheck: usesLocalSpellchecker(),
  });
  const syncSecrets = keychainSecrets(safeStorage, join(profileDir, 'sync-secrets'));
  return createEngine({
    dataDir,
    ollamaHost: process.env.OLLAMA_HOST,
    shell: 'desktop',
    detectGpu: () => detectGpu(utilityScriptRunner),
    runtimeLauncher: utilityProcessLauncher(runtimeHostPath),
    ...(syncSecrets ? { sync: { secrets: syncSecrets } } : {}),
  });
}
