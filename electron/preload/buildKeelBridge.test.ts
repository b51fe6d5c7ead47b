import type { IpcRendererEvent } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import {
  callNames,
  ipcChannel,
  ipcEventChannel,
  ipcUploadChannel,
  type KeelEvent,
} from '../../shared/contract';
import { buildKeelBridge, type BridgeIpc } from './buildKeelBridge';

vi.mock('electron', () => ({}));

type Relay = (event: IpcRendererEvent, ...args: unknown[]) => void;

/** An ipcRenderer that records invokes and lets the test deliver events like the main process. */
function fakeIpcRenderer() {
  const listeners = new Map<string, Set<Relay>>();
  const ipc = {
    invoke: vi.fn(async (channel: string, ...args: unknown[]) => ({ ok: true, value: { channel, args } })),
    on: vi.fn((channel: string, listener: Relay) => {
      listeners.set(channel, (listeners.get(channel) ?? new Set()).add(listener));
      return ipc;
    }),
    removeListener: vi.fn((channel: string, listener: Relay) => {
      listeners.get(channel)?.delete(listener);
      return ipc;
    }),
  };
  const deliver = (channel: string, payload: unknown) => {
    const event = { sender: ipc, senderId: 0, ports: [] } as unknown as IpcRendererEvent;
    for (const listener of listeners.get(channel) ?? []) listener(event, payload);
  };
  return { ipc, bridgeIpc: ipc as unknown as BridgeIpc, listeners, deliver };
}

const event: KeelEvent = { type: 'turn.delta', loopId: 'loop-1', turnId: 'turn-1', text: 'Hi' };

describe('buildKeelBridge', () => {
  it("exposes exactly the contract's call names and onEvent", () => {
    const bridge = buildKeelBridge(fakeIpcRenderer().bridgeIpc);
    expect(Object.keys(bridge).sort()).toEqual([...callNames, 'onEvent', 'upload', 'download'].sort());
    for (const key of Object.keys(bridge)) {
      expect(typeof (bridge as unknown as Record<string, unknown>)[key]).toBe('function');
    }
  });

  it('hands out no ipcRenderer and cannot be changed by the page', () => {
    const fake = fakeIpcRenderer();
    const bridge = buildKeelBridge(fake.bridgeIpc);
    expect(Object.values(bridge)).not.toContain(fake.ipc);
    expect(Object.isFrozen(bridge)).toBe(true);
  });

  it('invokes the generated channel with the input as the only argument', async () => {
    const fake = fakeIpcRenderer();
    const bridge = buildKeelBridge(fake.bridgeIpc);
    const result = await bridge.createSpace({ name: 'Acme' });
    expect(fake.ipc.invoke).toHaveBeenCalledExactlyOnceWith(ipcChannel('createSpace'), { name: 'Acme' });
    expect(result).toEqual({
      ok: true,
      value: { channel: 'keel:call:createSpace', args: [{ name: 'Acme' }] },
    });
  });

  it('routes every call to its own channel', async () => {
    const fake = fakeIpcRenderer();
    const bridge = buildKeelBridge(fake.bridgeIpc) as unknown as Record<
      string,
      (input: unknown) => Promise<unknown>
    >;
    for (const name of callNames) {
      await bridge[name]?.({});
      expect(fake.ipc.invoke).toHaveBeenLastCalledWith(ipcChannel(name), {});
    }
    expect(fake.ipc.invoke).toHaveBeenCalledTimes(callNames.length);
  });

  it('gives event listeners only the payload, never the IpcRendererEvent', () => {
    const fake = fakeIpcRenderer();
    const bridge = buildKeelBridge(fake.bridgeIpc);
    const listener = vi.fn();
    bridge.onEvent(listener);
    expect(fake.ipc.on).toHaveBeenCalledWith(ipcEventChannel, expect.any(Function));
    fake.deliver(ipcEventChannel, event);
    expect(listener).toHaveBeenCalledExactlyOnceWith(event);
  });

  it('unsubscribes, once, with the function onEvent returns', () => {
    const fake = fakeIpcRenderer();
    const bridge = buildKeelBridge(fake.bridgeIpc);
    const kept = vi.fn();
    const dropped = vi.fn();
    bridge.onEvent(kept);
    const unsubscribe = bridge.onEvent(dropped);
    unsubscribe();
    unsubscribe();
    expect(fake.ipc.removeListener).toHaveBeenCalledOnce();
    fake.deliver(ipcEventChannel, event);
    expect(kept).toHaveBeenCalledOnce();
    expect(dropped).not.toHaveBeenCalled();
    expect(fake.listeners.get(ipcEventChannel)?.size).toBe(1);
  });

  it('refuses a listener that is not a function', () => {
    const bridge = buildKeelBridge(fakeIpcRenderer().bridgeIpc);
    expect(() => bridge.onEvent('nope' as unknown as () => void)).toThrow(TypeError);
  });
});

describe('buildKeelBridge upload', () => {
  it('sends a file as an ArrayBuffer on the upload channel, never as base64', async () => {
    const fake = fakeIpcRenderer();
    const bridge = buildKeelBridge(fake.bridgeIpc);
    const blob = new Blob(['PK archive bytes']);
    await bridge.upload(blob, 'archive');
    const [channel, purpose, bytes] = fake.ipc.invoke.mock.calls[0]!;
    expect(channel).toBe(ipcUploadChannel);
    expect(purpose).toBe('archive');
    expect(bytes).toBeInstanceOf(ArrayBuffer);
    expect(new TextDecoder().decode(bytes as ArrayBuffer)).toBe('PK archive bytes');
  });
});
