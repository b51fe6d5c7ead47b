import { describe, expect, it, vi } from 'vitest';
import { callNames, type KeelApi } from '../../../shared/contract';
import { chooseKeel, isDesktopShell } from './keelClient';

const chromium =
  'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36';
const electron = `${chromium.replace(' Safari', ' Electron/45.5.0 Safari')}`;

function fullBridge(): KeelApi {
  const api: Record<string, unknown> = { onEvent: () => () => {} };
  for (const name of callNames) api[name] = async () => ({ ok: true, value: null });
  return api as KeelApi;
}

describe('isDesktopShell', () => {
  it('knows the desktop window by keel:// or by Electron in the user agent (npm run dev)', () => {
    expect(isDesktopShell({ protocol: 'keel:', userAgent: chromium })).toBe(true);
    expect(isDesktopShell({ protocol: 'http:', userAgent: electron })).toBe(true);
    expect(isDesktopShell({ protocol: 'http:', userAgent: chromium })).toBe(false);
  });
});

describe('chooseKeel', () => {
  it('uses the bridge when the preload gave one with every call', () => {
    const bridge = fullBridge();
    const makeHttp = vi.fn();
    expect(chooseKeel({ keel: bridge, protocol: 'keel:', userAgent: electron }, makeHttp)).toEqual({
      kind: 'bridge',
      keel: bridge,
    });
    expect(makeHttp).not.toHaveBeenCalled();
  });

  it('uses the web host in a browser', () => {
    const http = fullBridge();
    expect(chooseKeel({ protocol: 'http:', userAgent: chromium }, () => http)).toEqual({
      kind: 'http',
      keel: http,
    });
  });

  it('says the bridge is missing in the desktop window without one, and never falls back to HTTP', () => {
    const makeHttp = vi.fn();
    for (const scope of [
      { protocol: 'keel:', userAgent: electron },
      { protocol: 'http:', userAgent: electron },
    ]) {
      expect(chooseKeel(scope, makeHttp)).toEqual({
        kind: 'bridge-missing',
        reason: 'The window has no window.keel: its preload script did not run.',
      });
    }
    expect(makeHttp).not.toHaveBeenCalled();
  });

  it('says the bridge is broken when it lacks calls of this contract', () => {
    const bridge = fullBridge() as unknown as Record<string, unknown>;
    delete bridge.openExternal;
    delete bridge.onEvent;
    const connection = chooseKeel({ keel: bridge, protocol: 'keel:', userAgent: electron });
    expect(connection).toEqual({
      kind: 'bridge-missing',
      reason:
        'The bridge is there but lacks openExternal, onEvent: the preload does not match this version of the workspace.',
    });
  });
});
