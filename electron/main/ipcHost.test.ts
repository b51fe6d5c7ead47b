import { describe, expect, it, vi } from 'vitest';
import {
  callNames,
  ipcChannel,
  ipcEventChannel,
  ipcDownloadChannel,
  ipcUploadChannel,
  type KeelEvent,
  type KeelEventListener,
} from '../../shared/contract';
import { ok, type Result } from '../../shared/errors';
import { registerIpcHost, untrustedSenderResult, type EventWindow } from './ipcHost';
import { isTrustedSender, type SenderFrame } from './security';

const electron = vi.hoisted(() => ({ windows: [] as unknown[] }));
vi.mock('electron', () => ({ BrowserWindow: { getAllWindows: () => electron.windows } }));

type Handler = (event: { senderFrame: SenderFrame }, ...args: unknown[]) => Promise<unknown>;

function fakeIpcMain() {
  const handlers = new Map<string, Handler>();
  return {
    handlers,
    handle: vi.fn((channel: string, listener: Handler) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, listener);
    }),
    removeHandler: vi.fn((channel: string) => {
      handlers.delete(channel);
    }),
  };
}

function fakeEngine() {
  const listeners = new Set<KeelEventListener>();
  return {
    listeners,
    invoke: vi.fn(async (name: unknown, input: unknown): Promise<Result<unknown>> => ok({ name, input })),
    download: vi.fn(async () => ({
      ok: false as const,
      error: { code: 'invalid-input' as const, message: 'No such file.' },
    })),
    upload: vi.fn(async (_purpose: string, body: Iterable<Uint8Array> | AsyncIterable<Uint8Array>) => {
      let bytes = 0;
      for await (const chunk of body) bytes += chunk.length;
      return ok({ file: 'up-aaaaaaaaaaaaaaaaaaaaaa', bytes });
    }),
    onEvent: vi.fn((listener: KeelEventListener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    }),
    emit(event: KeelEvent) {
      for (const listener of listeners) listener(event);
    },
  };
}

function fakeWindow(url: string, state: { destroyed?: boolean; contentsDestroyed?: boolean } = {}) {
  const send = vi.fn();
  const window: EventWindow = {
    isDestroyed: () => state.destroyed ?? false,
    webContents: { isDestroyed: () => state.contentsDestroyed ?? false, mainFrame: { url }, send },
  };
  return { window, send };
}

const trusted = (frame: SenderFrame) => isTrustedSender(frame, 'keel://app');
const fromApp = { senderFrame: { url: 'keel://app/index.html' } };
const event: KeelEvent = { type: 'turn.delta', loopId: 'loop-1', turnId: 'turn-1', text: 'Hello' };

describe('registerIpcHost', () => {
  it('registers exactly one handler per contract call, on the generated channel', () => {
    const ipcMain = fakeIpcMain();
    registerIpcHost(ipcMain, fakeEngine(), trusted, () => []);
    expect(ipcMain.handle).toHaveBeenCalledTimes(callNames.length + 2);
    expect([...ipcMain.handlers.keys()].sort()).toEqual(
      [...callNames.map((name) => ipcChannel(name)), ipcUploadChannel, ipcDownloadChannel].sort(),
    );
    expect(callNames.length).toBeGreaterThan(0);
  });

  it('forwards a call from the app to engine.invoke with its name and input, and returns its result', async () => {
    const ipcMain = fakeIpcMain();
    const engine = fakeEngine();
    registerIpcHost(ipcMain, engine, trusted, () => []);
    for (const name of callNames) {
      const input = { probe: name };
      const result = await ipcMain.handlers.get(ipcChannel(name))?.(fromApp, input);
      expect(engine.invoke).toHaveBeenLastCalledWith(name, input);
      expect(result).toEqual(ok({ name, input }));
    }
  });

  it('passes only the first argument on as the input', async () => {
    const ipcMain = fakeIpcMain();
    const engine = fakeEngine();
    registerIpcHost(ipcMain, engine, trusted, () => []);
    await ipcMain.handlers.get(ipcChannel('listSpaces'))?.(fromApp, { includeArchived: true }, 'extra');
    expect(engine.invoke).toHaveBeenCalledExactlyOnceWith('listSpaces', { includeArchived: true });
  });

  it.each<[string, SenderFrame]>([
    ['another site', { url: 'https://evil.com/' }],
    ['a look-alike host', { url: 'keel://app.evil/index.html' }],
    ['a missing frame', null],
  ])('refuses a call from %s without asking the engine', async (_why, senderFrame) => {
    const ipcMain = fakeIpcMain();
    const engine = fakeEngine();
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    registerIpcHost(ipcMain, engine, trusted, () => []);
    const result = await ipcMain.handlers.get(ipcChannel('getAppInfo'))?.({ senderFrame }, {});
    expect(result).toEqual(untrustedSenderResult);
    expect(result).toMatchObject({ ok: false, error: { code: 'invalid-input' } });
    expect(engine.invoke).not.toHaveBeenCalled();
    warn.mockRestore();
  });

  it('turns an engine that throws into a Result', async () => {
    const ipcMain = fakeIpcMain();
    const engine = fakeEngine();
    engine.invoke.mockRejectedValueOnce(new Error('boom'));
    registerIpcHost(ipcMain, engine, trusted, () => []);
    const result = await ipcMain.handlers.get(ipcChannel('getSettings'))?.(fromApp, {});
    expect(result).toMatchObject({ ok: false, error: { code: 'internal' } });
  });

  it('sends engine events to every live window showing the app, and to no other', () => {
    const ipcMain = fakeIpcMain();
    const engine = fakeEngine();
    const live = fakeWindow('keel://app/index.html');
    const second = fakeWindow('keel://app/index.html');
    const destroyed = fakeWindow('keel://app/index.html', { destroyed: true });
    const contentsGone = fakeWindow('keel://app/index.html', { contentsDestroyed: true });
    const foreign = fakeWindow('https://evil.com/');
    registerIpcHost(ipcMain, engine, trusted, () => [
      live.window,
      destroyed.window,
      contentsGone.window,
      foreign.window,
      second.window,
    ]);
    engine.emit(event);
    expect(live.send).toHaveBeenCalledExactlyOnceWith(ipcEventChannel, event);
    expect(second.send).toHaveBeenCalledExactlyOnceWith(ipcEventChannel, event);
    expect(destroyed.send).not.toHaveBeenCalled();
    expect(contentsGone.send).not.toHaveBeenCalled();
    expect(foreign.send).not.toHaveBeenCalled();
  });

  it("uses Electron's windows when no list is given", () => {
    const live = fakeWindow('keel://app/index.html');
    electron.windows = [live.window];
    const engine = fakeEngine();
    registerIpcHost(fakeIpcMain(), engine, trusted);
    engine.emit(event);
    expect(live.send).toHaveBeenCalledExactlyOnceWith(ipcEventChannel, event);
    electron.windows = [];
  });

  it('returns a disposer that removes every handler and the event listener, once', () => {
    const ipcMain = fakeIpcMain();
    const engine = fakeEngine();
    const live = fakeWindow('keel://app/index.html');
    const dispose = registerIpcHost(ipcMain, engine, trusted, () => [live.window]);
    dispose();
    dispose();
    expect(ipcMain.handlers.size).toBe(0);
    expect(ipcMain.removeHandler).toHaveBeenCalledTimes(callNames.length + 2);
    expect(engine.listeners.size).toBe(0);
    engine.emit(event);
    expect(live.send).not.toHaveBeenCalled();
  });
});

describe('registerIpcHost upload', () => {
  it('passes a trusted window’s bytes to the engine as bytes, and refuses anything else', async () => {
    const ipcMain = fakeIpcMain();
    const engine = fakeEngine();
    registerIpcHost(ipcMain, engine, trusted, () => []);
    const upload = ipcMain.handlers.get(ipcUploadChannel)!;
    const bytes = new TextEncoder().encode('PK fake archive').buffer;
    expect(await upload(fromApp, 'archive', bytes)).toEqual(
      ok({ file: 'up-aaaaaaaaaaaaaaaaaaaaaa', bytes: bytes.byteLength }),
    );
    expect(await upload(fromApp, 'archive', 'UEsDBA==')).toMatchObject({
      ok: false,
      error: { field: 'file' },
    });
    expect(await upload(fromApp, 'anything', bytes)).toMatchObject({ ok: false });
    expect(engine.upload).toHaveBeenCalledTimes(1);
  });
});

describe('calls the shell answers itself', () => {
  it('sends openExternal to the shell, validated by the contract, never to the engine', async () => {
    const ipcMain = fakeIpcMain();
    const engine = fakeEngine();
    const openExternal = vi.fn(async ({ url }: { url: string }) => ({ opened: url }));
    registerIpcHost(ipcMain, engine, trusted, () => [], { openExternal });
    const handler = ipcMain.handlers.get(ipcChannel('openExternal'));

    expect(await handler?.(fromApp, { url: 'https://example.com/' })).toEqual(
      ok({ opened: 'https://example.com/' }),
    );
    expect(await handler?.(fromApp, { url: 'https://example.com/', extra: 1 })).toMatchObject({
      ok: false,
      error: { code: 'invalid-input' },
    });
    expect(await handler?.({ senderFrame: { url: 'https://evil.com/' } }, { url: 'https://x.com/' })).toBe(
      untrustedSenderResult,
    );
    expect(openExternal).toHaveBeenCalledOnce();
    expect(engine.invoke).not.toHaveBeenCalled();
    // The other calls still reach the engine.
    await ipcMain.handlers.get(ipcChannel('getAppInfo'))?.(fromApp, {});
    expect(engine.invoke).toHaveBeenCalledWith('getAppInfo', {});
  });
});
