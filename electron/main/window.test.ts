import { beforeEach, describe, expect, it, vi } from 'vitest';
import {
  createMainWindow,
  isLoopbackHttpUrl,
  mainWindowOptions,
  rendererEntry,
  windowBackground,
} from './window';

const electron = vi.hoisted(() => {
  class FakeWindow {
    static created: FakeWindow[] = [];
    readonly once = vi.fn((name: string, listener: () => void) => {
      this.onceListeners.set(name, listener);
    });
    readonly onceListeners = new Map<string, () => void>();
    readonly show = vi.fn();
    readonly isDestroyed = vi.fn(() => false);
    static nextLoad: () => Promise<void> = () => Promise.resolve();
    readonly loadURL = vi.fn(() => FakeWindow.nextLoad());
    constructor(readonly options: unknown) {
      FakeWindow.created.push(this);
    }
  }
  return { FakeWindow, nativeTheme: { shouldUseDarkColors: false } };
});

vi.mock('electron', () => ({ BrowserWindow: electron.FakeWindow, nativeTheme: electron.nativeTheme }));

describe('mainWindowOptions', () => {
  const options = mainWindowOptions('/app/out/preload/index.cjs', false, 'linux');
  const preferences = options.webPreferences ?? {};

  it.each([
    ['contextIsolation', true],
    ['sandbox', true],
    ['nodeIntegration', false],
    ['nodeIntegrationInWorker', false],
    ['nodeIntegrationInSubFrames', false],
    ['webSecurity', true],
    ['allowRunningInsecureContent', false],
    ['experimentalFeatures', false],
    ['webviewTag', false],
    ['spellcheck', false],
  ] as const)('sets %s to %s', (name, value) => {
    expect(preferences[name]).toBe(value);
  });

  it("checks spelling only with macOS's own checker, which downloads nothing", () => {
    expect(mainWindowOptions('/p', false, 'darwin').webPreferences?.spellcheck).toBe(true);
    expect(mainWindowOptions('/p', false, 'win32').webPreferences?.spellcheck).toBe(false);
    expect(mainWindowOptions('/p', false, 'linux').webPreferences?.spellcheck).toBe(false);
  });

  it('enables no Blink features', () => {
    expect(preferences.enableBlinkFeatures).toBeUndefined();
    expect('enableBlinkFeatures' in preferences).toBe(false);
  });

  it('uses the given preload', () => {
    expect(preferences.preload).toBe('/app/out/preload/index.cjs');
  });

  it('waits for ready-to-show and is titled Keel', () => {
    expect(options.show).toBe(false);
    expect(options.title).toBe('Keel');
  });

  it('paints a background that matches the theme', () => {
    expect(options.backgroundColor).toBe(windowBackground.light);
    expect(mainWindowOptions('/p', true).backgroundColor).toBe(windowBackground.dark);
  });
});

describe('rendererEntry', () => {
  it('loads keel://app/index.html by default', () => {
    expect(rendererEntry({}, false)).toEqual({
      url: 'keel://app/index.html',
      origin: 'keel://app',
    });
  });

  it('loads the electron-vite dev server when it is on loopback http', () => {
    expect(rendererEntry({ ELECTRON_RENDERER_URL: 'http://localhost:5173' }, false)).toEqual({
      url: 'http://localhost:5173/',
      origin: 'http://localhost:5173',
    });
    expect(rendererEntry({ ELECTRON_RENDERER_URL: 'http://127.0.0.1:5173/' }, false).url).toBe(
      'http://127.0.0.1:5173/',
    );
  });

  it('ignores the variable in a packaged app', () => {
    expect(rendererEntry({ ELECTRON_RENDERER_URL: 'http://localhost:5173' }, true).url).toBe(
      'keel://app/index.html',
    );
  });

  it('ignores a dev URL that is not loopback http', () => {
    for (const url of [
      'https://localhost:5173',
      'http://evil.com:5173',
      'file:///tmp/index.html',
      'nonsense',
    ]) {
      expect(rendererEntry({ ELECTRON_RENDERER_URL: url }, false).url).toBe('keel://app/index.html');
    }
  });
});

describe('isLoopbackHttpUrl', () => {
  it.each([
    ['http://localhost:5173/', true],
    ['http://127.0.0.1:5173/', true],
    ['http://127.1.2.3/', true],
    ['http://[::1]:5173/', true],
    ['https://localhost:5173/', false],
    ['http://localhost.evil.com/', false],
    ['http://127.0.0.1.evil.com/', false],
    ['http://localhost@evil.com/', false],
    ['http://user:pass@localhost/', false],
    ['http://0.0.0.0:5173/', false],
    ['http://192.168.1.2:5173/', false],
    ['ws://localhost:5173/', false],
    ['', false],
  ])('%s → %s', (url, expected) => {
    expect(isLoopbackHttpUrl(url)).toBe(expected);
  });
});

describe('createMainWindow', () => {
  beforeEach(() => {
    electron.FakeWindow.created = [];
    electron.nativeTheme.shouldUseDarkColors = false;
  });

  it('builds the window from mainWindowOptions, loads the entry and shows it once ready', async () => {
    electron.nativeTheme.shouldUseDarkColors = true;
    createMainWindow({ preloadPath: '/p/index.cjs', entryUrl: 'keel://app/index.html' });
    const window = electron.FakeWindow.created[0];
    expect(window?.options).toEqual(mainWindowOptions('/p/index.cjs', true));
    expect(window?.loadURL).toHaveBeenCalledWith('keel://app/index.html');
    expect(window?.show).not.toHaveBeenCalled();
    window?.onceListeners.get('ready-to-show')?.();
    expect(window?.show).toHaveBeenCalledOnce();
  });

  it('still shows the window when the page fails to load', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    electron.FakeWindow.nextLoad = () => Promise.reject(new Error('ERR_FILE_NOT_FOUND'));
    createMainWindow({ preloadPath: '/p', entryUrl: 'keel://app/index.html' });
    const window = electron.FakeWindow.created[0];
    await vi.waitFor(() => expect(window?.show).toHaveBeenCalledOnce());
    expect(logged).toHaveBeenCalled();
    logged.mockRestore();
    electron.FakeWindow.nextLoad = () => Promise.resolve();
  });
});
