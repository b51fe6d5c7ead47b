/**
 * The object the preload hands to the page as `window.keel`: one method per contract call, built by
 * iterating `callNames`, and `onEvent`. It holds `ipcRenderer` in a closure and never returns it or
 * its event objects, so the page gets verbs, not a channel it could aim anywhere.
 */
import type { IpcRenderer, IpcRendererEvent } from 'electron';
// The names come from the zod-free module: the sandboxed preload bundles what it imports, and
// needs no schema (the main process validates every input).
import {
  callNames,
  ipcChannel,
  ipcEventChannel,
  ipcDownloadChannel,
  ipcUploadChannel,
} from '../../shared/contract/callNames';
import type { KeelApi, KeelEvent, KeelEventListener } from '../../shared/contract';

/** The part of `ipcRenderer` the bridge uses; a parameter so tests can pass a fake. */
export type BridgeIpc = Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>;

/**
 * Builds the `KeelApi` over `ipc`. Calls go to `ipcChannel(name)` with the input as the only
 * argument (the main process validates it); `onEvent` passes the listener only the event payload and
 * returns the function that unsubscribes it.
 */
export function buildKeelBridge(ipc: BridgeIpc): KeelApi {
  const calls = Object.fromEntries(
    callNames.map((name) => {
      const channel = ipcChannel(name);
      return [name, (input: unknown): Promise<unknown> => ipc.invoke(channel, input)];
    }),
  );

  const onEvent = (listener: KeelEventListener): (() => void) => {
    if (typeof listener !== 'function') throw new TypeError('keel.onEvent needs a function.');
    const relay = (_event: IpcRendererEvent, payload: KeelEvent): void => listener(payload);
    ipc.on(ipcEventChannel, relay);
    let subscribed = true;
    return () => {
      if (!subscribed) return;
      subscribed = false;
      ipc.removeListener(ipcEventChannel, relay);
    };
  };

  // Bytes cross as an ArrayBuffer (copied by structured clone), never as base64 text.
  const upload = async (data: Blob | ArrayBuffer, purpose: string): Promise<unknown> =>
    ipc.invoke(ipcUploadChannel, purpose, data instanceof ArrayBuffer ? data : await data.arrayBuffer());

  // An exported file comes back as an ArrayBuffer, handed to the page as a Blob.
  const download = async (file: string): Promise<unknown> => {
    const result = (await ipc.invoke(ipcDownloadChannel, file)) as
      { ok: true; value: ArrayBuffer } | { ok: false; error: unknown };
    return result.ok ? { ok: true, value: new Blob([result.value]) } : result;
  };

  // The calls are made by iterating the contract, so their per-name types are restored here, once.
  return Object.freeze({ ...calls, onEvent, upload, download }) as KeelApi;
}
