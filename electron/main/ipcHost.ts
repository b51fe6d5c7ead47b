/**
 * The Electron side of the contract: one `ipcMain.handle` per contract call, generated from
 * `callNames`, and the engine's events relayed to the windows. The host checks who is calling and
 * nothing else: the engine validates every input itself (`Engine.invoke` runs `shared/invoke.ts`).
 */
import { readFile } from 'node:fs/promises';
import { BrowserWindow, type IpcMain } from 'electron';
import {
  callNames,
  ipcChannel,
  ipcDownloadChannel,
  ipcEventChannel,
  ipcUploadChannel,
  uploadPurposes,
  type UploadPurpose,
  type CallArgs,
  type CallName,
  type CallResult,
  type KeelHandlers,
} from '../../shared/contract';
import { fail, ok, toErrorInfo, type Result } from '../../shared/errors';
import { invokeCall } from '../../shared/invoke';
import type { Engine } from '../engine/Engine';
import type { SenderFrame } from './security';

/** What the host needs of a window to send it events (a `BrowserWindow` fits). */
export interface EventWindow {
  isDestroyed(): boolean;
  readonly webContents: {
    isDestroyed(): boolean;
    readonly mainFrame: SenderFrame;
    send(channel: string, ...args: unknown[]): void;
  };
}

/**
 * Calls the desktop shell answers itself rather than the engine (opening a link in the person's
 * browser). Their input passes the contract's schema first, as the engine's calls do.
 */
export type ShellCalls = Partial<{ [N in CallName]: (input: CallArgs<N>) => Promise<CallResult<N>> }>;

/** The refusal an untrusted frame gets; it never reaches the engine. */
export const untrustedSenderResult: Result<never> = fail({
  code: 'invalid-input',
  message: 'Keel refused a call from a page it did not load.',
});

/**
 * Registers one handler per contract call on `ipcMain` (the engine's, or the shell's own for the
 * names in `shellCalls`) and relays engine events to every live window
 * whose page passes `isTrustedSender` (events carry the person's work, so a window that somehow shows
 * another page gets none). Returns a disposer that removes the handlers and the event listener.
 */
export function registerIpcHost(
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>,
  engine: Pick<Engine, 'invoke' | 'onEvent' | 'upload' | 'download'>,
  isTrustedSender: (frame: SenderFrame) => boolean,
  listWindows: () => readonly EventWindow[] = () => BrowserWindow.getAllWindows(),
  shellCalls: ShellCalls = {},
): () => void {
  const channels = callNames.map((name) => {
    const channel = ipcChannel(name);
    ipcMain.handle(channel, async (event: { senderFrame: SenderFrame }, input: unknown) => {
      if (!isTrustedSender(event.senderFrame)) {
        console.warn(`Keel refused ${channel} from an untrusted frame.`);
        return untrustedSenderResult;
      }
      const shellCall = shellCalls[name];
      if (shellCall) return invokeCall({ [name]: shellCall } as unknown as KeelHandlers, name, input);
      try {
        return await engine.invoke(name, input);
      } catch (error) {
        // `invoke` promises never to throw; if it does, the page still gets a Result, not a bare
        // rejection it has no code for.
        return fail(toErrorInfo(error));
      }
    });
    return channel;
  });

  // A file's bytes arrive as an ArrayBuffer (structured clone, no base64) and go to the engine's uploads.
  ipcMain.handle(
    ipcUploadChannel,
    async (event: { senderFrame: SenderFrame }, purpose: unknown, bytes: unknown) => {
      if (!isTrustedSender(event.senderFrame)) return untrustedSenderResult;
      if (!(uploadPurposes as readonly unknown[]).includes(purpose) || !(bytes instanceof ArrayBuffer)) {
        return fail({ code: 'invalid-input', message: 'An upload carries a file’s bytes.', field: 'file' });
      }
      return engine.upload(purpose as UploadPurpose, [new Uint8Array(bytes)], bytes.byteLength);
    },
  );

  // A file the engine made (an exported archive) comes back as bytes, then is deleted.
  ipcMain.handle(ipcDownloadChannel, async (event: { senderFrame: SenderFrame }, file: unknown) => {
    if (!isTrustedSender(event.senderFrame)) return untrustedSenderResult;
    const result = await engine.download(file);
    if (!result.ok) return result;
    try {
      const bytes = await readFile(result.value.path);
      return ok(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
    } catch (error) {
      return fail(toErrorInfo(error));
    } finally {
      await result.value.done();
    }
  });

  const stopEvents = engine.onEvent((event) => {
    for (const window of listWindows()) {
      if (window.isDestroyed() || window.webContents.isDestroyed()) continue;
      if (!isTrustedSender(window.webContents.mainFrame)) continue;
      window.webContents.send(ipcEventChannel, event);
    }
  });

  let disposed = false;
  return () => {
    if (disposed) return;
    disposed = true;
    for (const channel of channels) ipcMain.removeHandler(channel);
    ipcMain.removeHandler(ipcUploadChannel);
    ipcMain.removeHandler(ipcDownloadChannel);
    stopEvents();
  };
}
