/** Facts about the app, what went to the network, background failures, and what only the desktop window does. */
import { z } from 'zod';
import { type AppInfo, type OutboundRecord, type BackgroundProblem } from '../domain';
import { call, none, limits } from './spec';

export const appCalls = {
  /** Facts about this installation: version, data folder, model host and which shell runs the workspace. */
  getAppInfo: call<AppInfo>()(none, { whileLocked: true, background: true }),

  /** Every request Keel sent (or refused to send) over the network since it started. */
  getOutboundLog: call<OutboundRecord[]>()(none, { whileLocked: true, background: true }),

  /** The recent failures of background work (backups, indexing, vectors), newest first. */
  getBackgroundProblems: call<BackgroundProblem[]>()(none, { whileLocked: true, background: true }),

  /**
   * Opens a link from an answer in the person's browser or mail program, once the workspace has
   * shown the full address and the person confirmed it. Only http, https and mailto. The desktop
   * window answers this call (its main process checks the address again); the engine does not.
   */
  openExternal: call<{ opened: string }>()(
    z
      .object({ url: z.string().min(1, 'cannot be empty').max(limits.linkUrl, 'is too long to open') })
      .strict(),
    { whileLocked: true },
  ),

  /**
   * Desktop only (the window's main process answers it): the system's open dialog for a GGUF file,
   * then `useModelFile` with the chosen path. Null when the person closes the dialog.
   */
  chooseModelFile: call<{ name: string } | null>()(none, { whileLocked: true }),
} as const;
