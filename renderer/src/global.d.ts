/// <reference types="vite/client" />
import type { KeelApi } from '../../shared/contract';

declare global {
  interface Window {
    /** The desktop preload's bridge to the engine; absent when the workspace runs in a browser. */
    keel?: KeelApi;
  }
}

export {};
