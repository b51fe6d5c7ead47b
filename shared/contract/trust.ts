/** The vault (passphrase, lock), backups and the archive: calls that work while the data is locked or damaged too. */
import { z } from 'zod';
import { idSchema, type BackupInfo, type EngineState } from '../domain';
import { call, none, limits, uploadIdSchema } from './spec';

/** An archive of the data folder, waiting for `download(file)`. */
export interface ArchiveDownload {
  fileName: string;
  mimeType: string;
  /** The id `download` takes. */
  file: string;
  bytes: number;
}

/** A download's id as the engine gives it (`dl-` and 22 random characters). */
export const downloadIdPattern = /^dl-[A-Za-z0-9_-]{22}$/;

/** What an upload is for; each has its own size limit. */
export const uploadPurposes = ['archive', 'source'] as const;
export type UploadPurpose = (typeof uploadPurposes)[number];
export interface UploadReceipt {
  /** The id to pass as `file`. */
  file: string;
  bytes: number;
}
/** The most bytes an upload for each purpose may carry. */
export const uploadLimits: Record<UploadPurpose, number> = {
  archive: limits.archiveBytes,
  source: limits.sourceBytes,
};

export const trustCalls = {
  /** Whether the workspace is open, locked (encrypted, waiting for the passphrase) or damaged. */
  getEngineState: call<EngineState>()(none, { whileLocked: true, background: true }),

  /** Unlocks encrypted data with the passphrase; a wrong one changes nothing. */
  unlock: call<EngineState>()(z.object({ passphrase: z.string().min(1).max(limits.passphrase) }).strict(), {
    whileLocked: true,
  }),

  /** Locks now: the keys are forgotten until the passphrase is given again. */
  lock: call<EngineState>()(none, { whileLocked: true }),

  /**
   * Turns encryption on with a passphrase, or changes it (then the current one is asked for): a
   * new key is made and every file re-encrypted, with no moment when data could be lost.
   */
  setPassphrase: call<EngineState>()(
    z
      .object({
        passphrase: z
          .string()
          .min(8, 'must be at least 8 characters; a few unrelated words make a good one')
          .max(limits.passphrase),
        currentPassphrase: z.string().max(limits.passphrase).optional(),
      })
      .strict(),
    { whileLocked: true },
  ),

  /** Turns encryption off: every file is written plain again. Asks for the passphrase. */
  removePassphrase: call<EngineState>()(
    z.object({ currentPassphrase: z.string().min(1).max(limits.passphrase) }).strict(),
    { whileLocked: true },
  ),

  /** The backups of the data folder, newest first. */
  listBackups: call<BackupInfo[]>()(none, { whileLocked: true }),

  /** Makes a backup of the data folder now. */
  backupNow: call<BackupInfo>()(none, { whileLocked: true }),

  /**
   * Restores a backup: the whole data folder, or with `loopId` only that loop's file. What is
   * replaced is backed up first, so a restore can itself be undone.
   */
  restoreBackup: call<EngineState>()(
    z.object({ backupId: z.string().max(100), loopId: idSchema.optional() }).strict(),
    { whileLocked: true },
  ),

  /** The whole data folder as one archive (encrypted files stay encrypted), base64-encoded. */
  exportArchive: call<ArchiveDownload>()(none, { whileLocked: true }),

  /**
   * Replaces the data folder with an archive made by `exportArchive` (`file`: the id its upload
   * returned). The archive is checked whole first; only then is the current data backed up (that
   * backup is never pruned) and replaced. Refused while locked; encrypted data is replaced only with
   * its passphrase. An encrypted archive opens locked, with its own passphrase. Settings that decide
   * where data goes or what is trusted keep the person's values; the archive's differing ones wait
   * in `EngineState.importedSettings` until `settleImportedSettings`.
   */
  importArchive: call<EngineState>()(
    z
      .object({ file: uploadIdSchema, currentPassphrase: z.string().max(limits.passphrase).optional() })
      .strict(),
    { whileLocked: true },
  ),

  /** Takes the imported archive's settings (`adopt: true`) or keeps the current ones; either way the question closes. */
  settleImportedSettings: call<EngineState>()(z.object({ adopt: z.boolean() }).strict(), {
    whileLocked: true,
  }),
} as const;
