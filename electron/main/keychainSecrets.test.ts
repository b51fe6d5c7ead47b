import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { removeDir, tempDataDir } from '../../tests/helpers/tempDir';
import { keychainSecrets, type SafeStorage } from './keychainSecrets';

/** Electron's safeStorage, mocked: a reversible scramble stands in for the keychain's cipher. */
function fakeSafeStorage(backend = 'gnome_libsecret', available = true): SafeStorage {
  const scramble = (bytes: Buffer) => Buffer.from(bytes.map((byte) => byte ^ 0x5a));
  return {
    isEncryptionAvailable: vi.fn(() => available),
    getSelectedStorageBackend: vi.fn(() => backend),
    encryptString: vi.fn((text: string) => scramble(Buffer.from(text, 'utf8'))),
    decryptString: vi.fn((sealed: Buffer) => scramble(sealed).toString('utf8')),
  };
}

const spaceId = 'sp-12345678-1234-4123-8123-123456789abc';
let folder: string;
beforeEach(async () => {
  folder = join(await tempDataDir(), 'sync-secrets');
});
afterEach(async () => {
  await removeDir(join(folder, '..'));
});

describe('sync credentials in the keychain (desktop)', () => {
  it('keeps a space’s credentials sealed by safeStorage, never in clear, and forgets them on leave', async () => {
    const safeStorage = fakeSafeStorage();
    const store = keychainSecrets(safeStorage, folder)!;
    await store.set(spaceId, { username: 'ada', password: 'hunter2', key: 'a2V5' });
    expect(safeStorage.encryptString).toHaveBeenCalledTimes(1);
    const stored = await readFile(join(folder, `${spaceId}.bin`));
    expect(stored.toString('latin1')).not.toContain('hunter2');
    expect(await store.get(spaceId)).toEqual({ username: 'ada', password: 'hunter2', key: 'a2V5' });
    await store.delete(spaceId);
    expect(await readdir(folder)).toEqual([]);
    expect(await store.get(spaceId)).toBeUndefined();
  });

  it('gives nothing where there is no real keychain, so the engine seals them in the data folder instead', () => {
    expect(keychainSecrets(fakeSafeStorage('gnome_libsecret', false), folder)).toBeUndefined();
    if (process.platform === 'linux')
      expect(keychainSecrets(fakeSafeStorage('basic_text'), folder)).toBeUndefined();
  });

  it('refuses a file name that is not a space id', async () => {
    const store = keychainSecrets(fakeSafeStorage(), folder)!;
    await expect(store.set('../../etc/passwd', { key: 'x' })).rejects.toThrow(/Not a space id/);
  });
});
