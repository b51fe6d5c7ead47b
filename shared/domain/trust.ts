/** The app and the trust it keeps: the engine's state, backups, what went to the network, background failures. */
import type { Settings } from './models';

export interface AppInfo {
  version: string;
  dataDir: string;
  ollamaHost: string;
  /** True when the model host is on this machine; false means prompts leave it. */
  hostIsLocal: boolean;
  /** The operating system, for advice such as how to start Ollama. */
  platform: 'mac' | 'windows' | 'linux';
  /** Where the workspace is running: the desktop window or a browser on the loopback web host. */
  shell: 'desktop' | 'web';
}

/** A copy of the data folder Keel can restore (files are copied as they are: encrypted stays encrypted). */
export interface BackupInfo {
  id: string;
  createdAt: string;
  reason: 'daily' | 'manual' | 'before-restore' | 'before-import';
  files: number;
  bytes: number;
}

/**
 * Whether the workspace can be used:
 * - `open`: working;
 * - `locked`: the data is encrypted and waits for the passphrase;
 * - `damaged`: a file Keel needs to start could not be read (it was moved aside); restore a backup.
 */
export interface EngineState {
  status: 'open' | 'locked' | 'damaged';
  encrypted: boolean;
  /** What could not be read, in words, when damaged. */
  problem?: string;
  /** The newest backup, to offer when something is damaged. */
  latestBackup?: BackupInfo;
  /**
   * After an import: the archive's settings that decide where data goes or what is trusted, where
   * they differ from the ones Keel kept. They apply only once the person confirms them.
   */
  importedSettings?: Partial<Pick<Settings, GuardedSetting>>;
}

/** Settings an imported archive never sets by itself: where data goes, what is trusted, what is kept. */
export const guardedSettings = ['ollamaHost', 'allowRemoteHost', 'backupKeep', 'lockAfterMinutes'] as const;
export type GuardedSetting = (typeof guardedSettings)[number];

/** One request the engine sent (or refused to send) over the network. */
export interface OutboundRecord {
  at: string;
  method: string;
  origin: string;
  path: string;
  bytesSent: number;
  bytesReceived?: number;
  durationMs?: number;
  model?: string;
  status?: number;
  /** True when Keel refused to send it because the host is not allowed, or refused the host's redirect. */
  refused?: boolean;
  /** Where the model host tried to redirect this request (origin and path); Keel did not follow it. */
  redirectTo?: string;
}

/** A failure of work Keel did in the background (a backup, indexing, vectors), for Settings → Diagnostics. */
export interface BackgroundProblem {
  at: string;
  /** What Keel was doing, in words ("the daily backup"). */
  what: string;
  /** What went wrong, as the failure said it. */
  message: string;
}
