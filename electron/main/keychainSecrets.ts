/**
 * Where the desktop app keeps each synced space's credentials and key: sealed with Electron's
 * safeStorage (the operating system's keychain: Keychain on macOS, DPAPI on Windows, the Secret
 * Service or KWallet on Linux), in files of Chromium's profile folder beside the data folder, so
 * they are in no backup or archive. Where safeStorage has no real keychain (Linux without one falls
 * back to a key written into Electron itself), this gives nothing and the engine seals them in the
 * data folder like its other files instead.
 */
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { mkdirPrivate, writeFileAtomic } from '../engine/store/atomicWrite';
import { syncSecretSchema, type SyncSecret, type SyncSecretStore } from '../engine/sync/syncDocuments';

/** The part of Electron's `safeStorage` used here. */
export interface SafeStorage {
  isEncryptionAvailable(): boolean;
  getSelectedStorageBackend?(): string;
  encryptString(plainText: string): Buffer;
  decryptString(encrypted: Buffer): string;
}

const spaceIdPattern = /^sp-[0-9a-f-]{36}$/;

export function keychainSecrets(safeStorage: SafeStorage, folder: string): SyncSecretStore | undefined {
  if (!safeStorage.isEncryptionAvailable()) return undefined;
  if (process.platform === 'linux' && safeStorage.getSelectedStorageBackend?.() === 'basic_text')
    return undefined;
  const path = (spaceId: string) => {
    // The id names a file: only Keel's own id shape is accepted.
    if (!spaceIdPattern.test(spaceId)) throw new Error('Not a space id.');
    return join(folder, `${spaceId}.bin`);
  };
  return {
    async get(spaceId) {
      const sealed = await readFile(path(spaceId)).catch(() => undefined);
      if (!sealed) return undefined;
      try {
        const parsed = syncSecretSchema.safeParse(JSON.parse(safeStorage.decryptString(sealed)));
        return parsed.success ? parsed.data : undefined;
      } catch {
        // Sealed under another keychain (the profile copied to another account): set up sync again.
        return undefined;
      }
    },
    async set(spaceId, secret: SyncSecret) {
      await mkdirPrivate(folder);
      await writeFileAtomic(path(spaceId), safeStorage.encryptString(JSON.stringify(secret)));
    },
    async delete(spaceId) {
      await rm(path(spaceId), { force: true });
    },
  };
}
