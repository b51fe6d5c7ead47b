import type { KeelApi } from '../../../shared/contract';
import { createHttpKeel } from './httpKeel';

let httpKeel: KeelApi | null = null;

/**
 * The engine, as this workspace reaches it: the preload's bridge in the desktop window, otherwise
 * the loopback web host over HTTP. Nothing else in the workspace talks to the engine.
 */
export function getKeel(): KeelApi {
  if (typeof window !== 'undefined' && window.keel) return window.keel;
  httpKeel ??= createHttpKeel();
  return httpKeel;
}
