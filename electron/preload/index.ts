/**
 * The preload of the workspace window (built to `out/preload/index.cjs`). It runs sandboxed, so it
 * may import only `electron` and code bundled into it, and it exposes exactly one global: `keel`.
 */
import { contextBridge, ipcRenderer } from 'electron';
import { buildKeelBridge } from './buildKeelBridge';

contextBridge.exposeInMainWorld('keel', buildKeelBridge(ipcRenderer));
