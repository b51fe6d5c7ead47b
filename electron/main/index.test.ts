/**
 * The entry's lifecycle with Electron and the engine replaced by fakes: each test loads a fresh copy
 * of index.ts, which wires itself to the fake `app` as it would to Electron's.
 */
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { callNames, ipcChannel } from '../../shared/contract';
import { chromiumProfileDir } from './chromiumProfile';

type Listener = (...args: unknown[]) => unknown;

const fakes = vi.hoisted(() => {
  class Emitter {
    readonly listeners = new Map<string, Listener[]>();
    on(name: string, listener: Listener) {
      this.listeners.set(name, [...(this.listeners.get(name) ?? []), listener]);
      return this;
    }
    once(name: string, listener: Listener) {
      return this.on(name, listener);
    }
    emit(name: string, ...args: unknown[]) {
      for (const listener of this.listeners.get(name) ?? []) listener(...args);
    }
  }

  class FakeWindow extends Emitter {
    static all: FakeWindow[] = [];
    static getAllWindows() {
      return FakeWindow.all.filter((window) => !window.destroyed);
    }
    destroyed = false;
    minimized = false;
    readonly loadURL = vi.fn(async (_url: string) => {});
    readonly show = vi.fn();
    readonly focus = vi.fn();
    readonly restore = vi.fn(() => {
      this.minimized = false;
    });
    readonly webContents = { isDestroyed: () => this.destroyed, mainFrame: { url: '' }, send: vi.fn() };
    constructor(readonly options: { webPreferences?: { preload?: string } }) {
      super();
      FakeWindow.all.push(this);
    }
    isDestroyed() {
      return this.destroyed;
    }
    isMinimized() {
      return this.minimized;
    }
    close() {
      this.destroyed = true;
      this.emit('closed');
    }
  }

  class FakeApp extends Emitter {
    hasLock = true;
    isPackaged = false;
    readonly requestSingleInstanceLock = vi.fn(() => this.hasLock);
    readonly quit = vi.fn(() => this.emit('before-quit', { preventDefault: vi.fn() }));
    readonly exit = vi.fn();
    readonly setAppUserModelId = vi.fn();
    readonly paths = new Map<string, string>([
      ['appData', '/home/ada/.config'],
      ['userData', '/home/ada/.config/Keel'],
    ]);
    readonly getPath = vi.fn((name: string) => this.paths.get(name) ?? '');
    readonly setPath = vi.fn((name: string, path: string) => void this.paths.set(name, path));
    readonly whenReady = vi.fn(async () => {});
  }

  const state = {
    app: new FakeApp(),
    createEngine: vi.fn(),
    protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
    ipcMain: { handle: vi.fn(), removeHandler: vi.fn() },
    dialog: { showErrorBox: vi.fn() },
    session: { defaultSession: fakeSession() },
    shell: { openExternal: vi.fn(async (_url: string) => {}) },
    menu: { popup: vi.fn() },
    Menu: { buildFromTemplate: vi.fn((_template: unknown[]) => state.menu) },
  };

  function fakeSession() {
    return {
      setPermissionRequestHandler: vi.fn(),
      setPermissionCheckHandler: vi.fn(),
      setSpellCheckerEnabled: vi.fn(),
      webRequest: { onHeadersReceived: vi.fn(), onBeforeRequest: vi.fn() },
    };
  }

  /**
   * An object that forwards to whatever `current()` returns now. Vitest evaluates a mock factory
   * once, so the modules get these stand-ins and each test swaps the fakes behind them.
   */
  function delegate<T extends object>(current: () => T): T {
    return new Proxy({} as T, {
      get(_target, key) {
        const target = current();
        const value: unknown = Reflect.get(target, key);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
  }

  return { Emitter, FakeWindow, FakeApp, state, delegate, fakeSession };
});

vi.mock('electron', () => ({
  app: fakes.delegate(() => fakes.state.app),
  BrowserWindow: fakes.FakeWindow,
  dialog: fakes.delegate(() => fakes.state.dialog),
  ipcMain: fakes.delegate(() => fakes.state.ipcMain),
  Menu: fakes.delegate(() => fakes.state.Menu),
  shell: fakes.delegate(() => fakes.state.shell),
  nativeTheme: { shouldUseDarkColors: false },
  protocol: fakes.delegate(() => fakes.state.protocol),
  session: fakes.delegate(() => fakes.state.session),
  // No keychain here: sync credentials stay with the engine (see keychainSecrets.test.ts).
  safeStorage: { isEncryptionAvailable: () => false },
}));
vi.mock('../engine/createEngine', () => ({
  createEngine: (...args: unknown[]) => fakes.state.createEngine(...args),
}));

function fakeEngine() {
  return { invoke: vi.fn(), onEvent: vi.fn(() => () => {}), close: vi.fn(async () => {}) };
}

async function loadEntry(): Promise<void> {
  vi.resetModules();
  await import('./index');
}

const app = () => fakes.state.app;
const windows = () => fakes.FakeWindow.all;

beforeEach(() => {
  fakes.state.app = new fakes.FakeApp();
  fakes.FakeWindow.all = [];
  fakes.state.createEngine = vi.fn(async () => fakeEngine());
  fakes.state.protocol = { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() };
  fakes.state.ipcMain = { handle: vi.fn(), removeHandler: vi.fn() };
  fakes.state.dialog = { showErrorBox: vi.fn() };
  fakes.state.session = { defaultSession: fakes.fakeSession() };
  fakes.state.shell = { openExternal: vi.fn(async (_url: string) => {}) };
  fakes.state.menu = { popup: vi.fn() };
  fakes.state.Menu = { buildFromTemplate: vi.fn((_template: unknown[]) => fakes.state.menu) };
  vi.stubEnv('KEEL_DATA_DIR', '/tmp/keel-data');
  vi.stubEnv('OLLAMA_HOST', '127.0.0.1:11434');
  vi.stubEnv('ELECTRON_RENDERER_URL', '');
});

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('the Electron entry', () => {
  it('registers keel as a privileged scheme while loading, before ready', async () => {
    app().whenReady.mockReturnValue(new Promise(() => {}));
    await loadEntry();
    expect(fakes.state.protocol.registerSchemesAsPrivileged).toHaveBeenCalledExactlyOnceWith([
      expect.objectContaining({
        scheme: 'keel',
        privileges: expect.objectContaining({ standard: true, secure: true, supportFetchAPI: true }),
      }),
    ]);
    expect(fakes.state.createEngine).not.toHaveBeenCalled();
  });

  it('quits at once when another Keel holds the single-instance lock', async () => {
    app().hasLock = false;
    await loadEntry();
    await Promise.resolve();
    expect(app().quit).toHaveBeenCalled();
    expect(fakes.state.createEngine).not.toHaveBeenCalled();
    expect(windows()).toHaveLength(0);
  });

  it('opens the engine on the data folder, then the IPC host, the protocol and the window', async () => {
    await loadEntry();
    await vi.waitFor(() => expect(windows()).toHaveLength(1));
    expect(fakes.state.createEngine).toHaveBeenCalledExactlyOnceWith({
      dataDir: resolve('/tmp/keel-data'),
      ollamaHost: '127.0.0.1:11434',
      shell: 'desktop',
      // The graphics processor is asked for in a utility process (the packaged app cannot run as Node).
      detectGpu: expect.any(Function),
      // The built-in model runtime runs in Electron's utilityProcess (utilityLauncher.test.ts).
      runtimeLauncher: expect.any(Function),
    });
    expect(fakes.state.ipcMain.handle).toHaveBeenCalledTimes(callNames.length + 2); // every call, then upload and download
    expect(fakes.state.protocol.handle).toHaveBeenCalledWith('keel', expect.any(Function));
    const { defaultSession } = fakes.state.session;
    expect(defaultSession.setPermissionRequestHandler).toHaveBeenCalled();
    expect(defaultSession.setPermissionCheckHandler).toHaveBeenCalled();
    expect(defaultSession.webRequest.onHeadersReceived).toHaveBeenCalled();
    const window = windows()[0];
    expect(window?.loadURL).toHaveBeenCalledWith('keel://app/index.html');
    expect(window?.options.webPreferences?.preload).toMatch(/preload[\\/]index\.cjs$/);
  });

  it("uses Electron's userData folder when KEEL_DATA_DIR is not set", async () => {
    vi.stubEnv('KEEL_DATA_DIR', '');
    await loadEntry();
    await vi.waitFor(() => expect(fakes.state.createEngine).toHaveBeenCalled());
    expect(fakes.state.createEngine.mock.calls[0]?.[0]).toMatchObject({ dataDir: '/home/ada/.config/Keel' });
    // Chromium's files then move out of it, beside it.
    expect(app().paths.get('userData')).toBe(
      chromiumProfileDir('/home/ada/.config/Keel', '/home/ada/.config'),
    );
    expect(app().paths.get('userData')).toMatch(/^\/home\/ada\/\.config\/Keel Chromium\//);
  });

  it("keys Chromium's profile and the single-instance lock on the data folder, outside it", async () => {
    await loadEntry();
    await vi.waitFor(() => expect(windows()).toHaveLength(1));
    const profile = chromiumProfileDir(resolve('/tmp/keel-data'), '/home/ada/.config');
    expect(app().setPath).toHaveBeenCalledWith('userData', profile);
    expect(app().setPath).toHaveBeenCalledWith('sessionData', profile);
    expect(app().setPath.mock.invocationCallOrder.at(-1)).toBeLessThan(
      app().requestSingleInstanceLock.mock.invocationCallOrder[0] ?? 0,
    );
    expect(profile.startsWith(resolve('/tmp/keel-data'))).toBe(false);

    // A Keel on another data folder asks for another lock, so both run.
    fakes.state.app = new fakes.FakeApp();
    vi.stubEnv('KEEL_DATA_DIR', '/tmp/other-keel-data');
    await loadEntry();
    expect(app().paths.get('userData')).toBe(
      chromiumProfileDir(resolve('/tmp/other-keel-data'), '/home/ada/.config'),
    );
    expect(app().paths.get('userData')).not.toBe(profile);
  });

  it("lets no request leave the window's session, and turns the downloading spell checker off", async () => {
    await loadEntry();
    await vi.waitFor(() => expect(windows()).toHaveLength(1));
    const { defaultSession } = fakes.state.session;
    expect(defaultSession.setSpellCheckerEnabled).toHaveBeenCalledWith(process.platform === 'darwin');
    const guard = defaultSession.webRequest.onBeforeRequest.mock.calls[0]?.[0] as (
      details: { url: string },
      callback: (response: { cancel: boolean }) => void,
    ) => void;
    const cancelled = (url: string) => {
      const callback = vi.fn();
      guard({ url }, callback);
      return (callback.mock.calls[0]?.[0] as { cancel: boolean }).cancel;
    };
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    expect(cancelled('keel://app/index.html')).toBe(false);
    expect(cancelled('devtools://devtools/bundled/devtools_app.html')).toBe(false);
    expect(cancelled('https://redirector.gvt1.com/edgedl/chrome/dict/en-us-10-1.bdic')).toBe(true);
    expect(cancelled('https://fonts.googleapis.com/css2?family=Inter')).toBe(true);
    expect(cancelled('http://127.0.0.1:11434/api/tags')).toBe(true);
    expect(warn).toHaveBeenCalledWith(
      'Keel blocked a request to https://fonts.googleapis.com/css2?family=Inter',
    );
    warn.mockRestore();
  });

  it('opens a confirmed http(s) or mailto link in the system browser, and nothing else', async () => {
    await loadEntry();
    await vi.waitFor(() => expect(windows()).toHaveLength(1));
    const handler = fakes.state.ipcMain.handle.mock.calls.find(
      ([channel]) => channel === ipcChannel('openExternal'),
    )?.[1] as (event: unknown, input: unknown) => Promise<unknown>;
    const fromApp = { senderFrame: { url: 'keel://app/index.html' } };

    expect(await handler(fromApp, { url: 'https://example.com/report' })).toEqual({
      ok: true,
      value: { opened: 'https://example.com/report' },
    });
    expect(await handler(fromApp, { url: 'file:///etc/passwd' })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input', message: 'Keel opens only web (http, https) and mail (mailto) links.' },
    });
    expect(
      await handler({ senderFrame: { url: 'https://evil.com/' } }, { url: 'https://x.com/' }),
    ).toMatchObject({
      ok: false,
    });
    expect(fakes.state.shell.openExternal).toHaveBeenCalledExactlyOnceWith('https://example.com/report');
  });

  it('shows the engine error and exits when the engine cannot start', async () => {
    fakes.state.createEngine = vi.fn(async () => {
      // The entry was loaded into a fresh module registry: use its copy of KeelError.
      const { KeelError } = await import('../../shared/errors');
      throw new KeelError('locked', 'Another Keel is using this data folder.');
    });
    await loadEntry();
    await vi.waitFor(() => expect(app().exit).toHaveBeenCalledWith(1));
    expect(fakes.state.dialog.showErrorBox).toHaveBeenCalledExactlyOnceWith(
      'Keel could not start',
      'Another Keel is using this data folder.',
    );
    expect(windows()).toHaveLength(0);
    expect(fakes.state.ipcMain.handle).not.toHaveBeenCalled();
  });

  it('closes the engine once before quitting, however often quit is asked for', async () => {
    const engine = fakeEngine();
    let finishClose = () => {};
    engine.close.mockImplementation(() => new Promise<void>((done) => (finishClose = done)));
    fakes.state.createEngine = vi.fn(async () => engine);
    await loadEntry();
    await vi.waitFor(() => expect(windows()).toHaveLength(1));
    app().quit.mockImplementation(() => {});

    const first = { preventDefault: vi.fn() };
    const second = { preventDefault: vi.fn() };
    app().emit('before-quit', first);
    app().emit('before-quit', second);
    expect(first.preventDefault).toHaveBeenCalled();
    expect(second.preventDefault).toHaveBeenCalled();
    await vi.waitFor(() => expect(engine.close).toHaveBeenCalledOnce());
    expect(app().quit).not.toHaveBeenCalled();

    finishClose();
    await vi.waitFor(() => expect(app().quit).toHaveBeenCalledOnce());
    expect(fakes.state.ipcMain.removeHandler).toHaveBeenCalledTimes(callNames.length + 2);
    const final = { preventDefault: vi.fn() };
    app().emit('before-quit', final);
    expect(final.preventDefault).not.toHaveBeenCalled();
    expect(engine.close).toHaveBeenCalledOnce();
  });

  it('quits when the last window closes (except on macOS)', async () => {
    await loadEntry();
    await vi.waitFor(() => expect(windows()).toHaveLength(1));
    app().quit.mockImplementation(() => {});
    windows()[0]?.close();
    app().emit('window-all-closed');
    if (process.platform === 'darwin') expect(app().quit).not.toHaveBeenCalled();
    else expect(app().quit).toHaveBeenCalledOnce();
  });

  it('focuses the existing window when a second instance starts', async () => {
    await loadEntry();
    await vi.waitFor(() => expect(windows()).toHaveLength(1));
    const window = windows()[0];
    if (window) window.minimized = true;
    app().emit('second-instance');
    expect(window?.restore).toHaveBeenCalled();
    expect(window?.focus).toHaveBeenCalled();
    expect(windows()).toHaveLength(1);
  });

  it('re-creates the window on activate when none is open', async () => {
    await loadEntry();
    await vi.waitFor(() => expect(windows()).toHaveLength(1));
    app().emit('activate');
    expect(windows()).toHaveLength(1);
    windows()[0]?.close();
    app().emit('activate');
    expect(fakes.FakeWindow.getAllWindows()).toHaveLength(1);
    expect(windows()).toHaveLength(2);
  });

  it('hardens every webContents that is created and gives it the right-click menu', async () => {
    await loadEntry();
    const contents = new fakes.Emitter() as InstanceType<typeof fakes.Emitter> & Record<string, unknown>;
    const on = vi.spyOn(contents, 'on');
    contents.setWindowOpenHandler = vi.fn();
    contents.replaceMisspelling = vi.fn();
    app().emit('web-contents-created', {}, contents);
    expect(on).toHaveBeenCalledWith('will-navigate', expect.any(Function));
    expect(on).toHaveBeenCalledWith('will-redirect', expect.any(Function));
    expect(on).toHaveBeenCalledWith('will-attach-webview', expect.any(Function));
    expect(contents.setWindowOpenHandler).toHaveBeenCalledOnce();

    contents.emit(
      'context-menu',
      {},
      {
        isEditable: true,
        selectionText: '',
        editFlags: { canCut: true, canCopy: true, canPaste: true, canSelectAll: true },
        misspelledWord: '',
        dictionarySuggestions: [],
      },
    );
    const template = fakes.state.Menu.buildFromTemplate.mock.calls[0]?.[0] as { label?: string }[];
    expect(template.map((item) => item.label).filter(Boolean)).toEqual([
      'Cut',
      'Copy',
      'Paste',
      'Select All',
    ]);
    expect(fakes.state.menu.popup).toHaveBeenCalledOnce();

    // A preload that fails is reported where a developer looks; the page says the bridge is missing.
    const error = vi.spyOn(console, 'error').mockImplementation(() => {});
    contents.emit('preload-error', {}, '/app/out/preload/index.cjs', new Error('boom'));
    expect(error).toHaveBeenCalledWith(
      "Keel's preload /app/out/preload/index.cjs failed:",
      expect.any(Error),
    );
    error.mockRestore();
  });
});
