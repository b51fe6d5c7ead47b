/** Facts about the app and its host: what runs, what went out to the network, what failed in the background. */
import { KeelError } from '../../../shared/errors';
import type { AppInfo } from '../../../shared/domain';
import type { Diagnostics } from '../Diagnostics';
import type { OutboundLog } from '../model/outboundFetch';
import type { appCalls } from '../../../shared/contract/app';
import type { HandlersFor } from './services';

export const appHandlers = (
  info: () => AppInfo,
  outbound: OutboundLog,
  diagnostics: Diagnostics,
): HandlersFor<typeof appCalls> => ({
  getAppInfo: async () => info(),
  getOutboundLog: async () => outbound.list().map((record) => ({ ...record })),
  getBackgroundProblems: async () => diagnostics.recent(),
  // The desktop window opens links itself (electron/main/externalLinks.ts); the engine has no
  // browser to open them in, and in a browser the workspace opens a new tab instead.
  openExternal: () => refuse('Only the desktop window opens links outside Keel.', 'url'),
  // The open dialog is the desktop window's (electron/main/modelFileDialog.ts); a browser types the path.
  chooseModelFile: () =>
    refuse(
      'Only the desktop window has a file dialog here: type the full path of the .gguf file instead.',
      'path',
    ),
});

async function refuse(message: string, field: string): Promise<never> {
  throw new KeelError('invalid-input', message, { field });
}
