/**
 * The workspace window. Its options are a pure function so the security-relevant preferences are
 * asserted in a test rather than trusted to stay as written.
 */
import { BrowserWindow, nativeTheme, type BrowserWindowConstructorOptions } from 'electron';
import { appEntryUrl, appOrigin } from './protocol';
import { originOf } from './security';

/** The window's background before the page paints, matching the workspace's light and dark themes. */
export const windowBackground = { light: '#f7f6f3', dark: '#1b1c1e' } as const;

/**
 * Whether the spelling checker runs. On macOS it is the system's own checker, entirely local. On
 * Windows and Linux Electron's checker is Hunspell with dictionaries it downloads from Google's CDN
 * on first use, which would break "no network traffic at all". Shipping the dictionaries would need
 * them fetched from Electron's releases at build time (outside npm, like the binary) and served from
 * keel://; until that is done it is off there. Pointing the download URL elsewhere would still leave
 * a checker that tries to fetch, so it is not used.
 */
export function usesLocalSpellchecker(platform: NodeJS.Platform = process.platform): boolean {
  return platform === 'darwin';
}

/**
 * The main window's options. Every web preference from Electron's security checklist is spelled out,
 * even where it is already the default, so a change of default or a careless edit shows up in review
 * and in `window.test.ts`. `enableBlinkFeatures` is deliberately absent.
 */
export function mainWindowOptions(
  preloadPath: string,
  prefersDark = false,
  platform: NodeJS.Platform = process.platform,
): BrowserWindowConstructorOptions {
  return {
    title: 'Keel',
    width: 1280,
    height: 840,
    minWidth: 720,
    minHeight: 480,
    // Shown on `ready-to-show`, so the person never sees an empty frame.
    show: false,
    backgroundColor: prefersDark ? windowBackground.dark : windowBackground.light,
    autoHideMenuBar: true,
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: usesLocalSpellchecker(platform),
    },
  };
}

/** Where the window loads the workspace from, and the one origin it may navigate and call IPC from. */
export interface RendererEntry {
  url: string;
  origin: string;
}

/**
 * The dev server URL electron-vite puts in `ELECTRON_RENDERER_URL` during `electron-vite dev`, else
 * `keel://app/index.html`. The variable is honoured only in an unpackaged app and only when it names
 * plain http on a loopback address, so a stray environment variable cannot point Keel's preload
 * (and with it the engine) at a page from elsewhere.
 */
export function rendererEntry(
  env: Readonly<Record<string, string | undefined>>,
  isPackaged: boolean,
): RendererEntry {
  const devUrl = env.ELECTRON_RENDERER_URL;
  if (!isPackaged && devUrl && isLoopbackHttpUrl(devUrl)) {
    const url = new URL(devUrl).href;
    return { url, origin: originOf(url) ?? appOrigin };
  }
  return { url: appEntryUrl, origin: appOrigin };
}

/** Plain `http:` on localhost, 127.0.0.0/8 or [::1], without credentials. */
export function isLoopbackHttpUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:' || url.username !== '' || url.password !== '') return false;
  return (
    url.hostname === 'localhost' ||
    url.hostname === '[::1]' ||
    /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(url.hostname)
  );
}

/** Creates the workspace window, loads the workspace and shows the window once it has painted. */
export function createMainWindow(options: { preloadPath: string; entryUrl: string }): BrowserWindow {
  const window = new BrowserWindow(mainWindowOptions(options.preloadPath, nativeTheme.shouldUseDarkColors));
  window.once('ready-to-show', () => window.show());
  window.loadURL(options.entryUrl).catch((error: unknown) => {
    // `ready-to-show` never comes for a page that failed to load: show the window anyway, so the
    // person is not left with an invisible running app, and say why where a developer will look.
    console.error(`Keel could not load ${options.entryUrl}:`, error);
    if (!window.isDestroyed()) window.show();
  });
  return window;
}
