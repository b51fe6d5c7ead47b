/**
 * The entry's lifecycle with Electron and the engine replaced by fakes: each test loads a fresh copy
 * of index.ts, which wires itself to the fake `app` as it would to Electron's.
 */
import { resolve } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { callNames } from '../../shared/contract';

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
    readonly getPath = vi.fn((_name: string) => '/home/ada/.config/Keel');
    readonly whenReady = vi.fn(async () => {});
  }

  const state = {
    app: new FakeApp(),
    createEngine: vi.fn(),
    protocol: { registerSchemesAsPrivileged: vi.fn(), handle: vi.fn() },
    ipcMain: { handle: vi.fn(), removeHandler: vi.fn() },
    dialog: { showErrorBox: vi.fn() },
    session: {
      defaultSession: {
        setPermissionRequestHandler: vi.fn(),
        setPermissionCheckHandler: vi.fn(),
        webRequest: { onHeadersReceived: vi.fn() },
      },
    },
  };

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

  return { Emitter, FakeWindow, FakeApp, state, delegate };
});

vi.mock('electron', () => ({
  app: fakes.delegate(() => fakes.state.app),
  BrowserWindow: fakes.FakeWindow,
  dialog: fakes.delegate(() => fakes.state.dialog),
  ipcMain: fakes.delegate(() => fakes.state.ipcMain),
  nativeTheme: { shouldUseDarkColors: false },
  protocol: fakes.delegate(() => fakes.state.protocol),
  session: fakes.delegate(() => fakes.state.session),
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
  fakes.state.session = {
    defaultSession: {
      setPermissionRequestHandler: vi.fn(),
      setPermissionCheckHandler: vi.fn(),
      webRequest: { onHeadersReceived: vi.fn() },
    },
  };
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
    });
    expect(fakes.state.ipcMain.handle).toHaveBeenCalledTimes(callNames.length + 1);
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
    expect(fakes.state.ipcMain.removeHandler).toHaveBeenCalledTimes(callNames.length + 1);
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

  it('hardens every webContents that is created', async () => {
    await loadEntry();
    const contents = { on: vi.fn(), setWindowOpenHandler: vi.fn() };
    app().emit('web-contents-created', {}, contents);
    expect(contents.on).toHaveBeenCalledWith('will-navigate', expect.any(Function));
    expect(contents.on).toHaveBeenCalledWith('will-redirect', expect.any(Function));
    expect(contents.on).toHaveBeenCalledWith('will-attach-webview', expect.any(Function));
    expect(contents.setWindowOpenHandler).toHaveBeenCalledOnce();
  });
});
