/** What `getAppInfo` answers: Keel's version, where its data is, which model host and shell. */
import type { AppInfo } from '../../shared/domain';
import type { EngineOptions } from './EngineOptions';
import { currentPlatform } from './model/ModelService';
import { parseOllamaHost, type OllamaHost } from './model/ollamaHost';

export const keelVersion = '0.1.0';

/** `host` is the open workspace's allowed model host; without one, the host Keel was started with. */
export function appInfo(options: EngineOptions, host: OllamaHost | undefined): AppInfo {
  const shown = host ?? parseOllamaHost(options.ollamaHost ?? '');
  return {
    version: keelVersion,
    dataDir: options.dataDir,
    ollamaHost: shown.origin,
    hostIsLocal: shown.isLocal,
    platform: currentPlatform(),
    shell: options.shell,
  };
}
