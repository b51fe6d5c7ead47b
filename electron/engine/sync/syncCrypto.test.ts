import { describe, expect, it } from 'vitest';
import {
  deriveSyncKey,
  newDocumentId,
  newSyncKdf,
  openValue,
  passphraseCheck,
  sealValue,
  verifyPassphrase,
} from './syncCrypto';

const cheap = { N: 2 ** 10, r: 8, p: 1 };

describe('sync encryption', () => {
  it('seals with a fresh nonce per revision, opens only under the same id, and hides the text and its size', async () => {
    const kdf = newSyncKdf(cheap);
    const key = await deriveSyncKey('correct horse', kdf);
    const id = newDocumentId();
    const value = { title: 'Acme pricing', text: 'raise prices by 4%' };
    const first = sealValue(key, id, value);
    const second = sealValue(key, id, value);
    expect(first.equals(second)).toBe(false);
    expect(first.subarray(1, 13).equals(second.subarray(1, 13))).toBe(false);
    expect(first.toString('latin1')).not.toContain('Acme');
    expect(first.length).toBe(sealValue(key, id, { text: 'x' }).length);
    expect(openValue(key, id, first)).toEqual(value);
    expect(() => openValue(key, newDocumentId(), first)).toThrow(/could not be opened/);
    const altered = Buffer.from(first);
    altered[altered.length - 1] = altered.at(-1)! ^ 1;
    expect(() => openValue(key, id, altered)).toThrow(/could not be opened/);
  });

  it('gives each space its own key from the same passphrase', async () => {
    const one = await deriveSyncKey('same words', newSyncKdf(cheap));
    const other = await deriveSyncKey('same words', newSyncKdf(cheap));
    expect(one.key.equals(other.key)).toBe(false);
    const id = newDocumentId();
    expect(() => openValue(other, id, sealValue(one, id, 'hello'))).toThrow();
  });

  it('refuses a wrong passphrase in words', async () => {
    const kdf = newSyncKdf(cheap);
    const right = await deriveSyncKey('right one', kdf);
    const check = passphraseCheck(right, 'keel-sync');
    expect(() => verifyPassphrase(right, 'keel-sync', check)).not.toThrow();
    const wrong = await deriveSyncKey('wrong one', kdf);
    expect(() => verifyPassphrase(wrong, 'keel-sync', check)).toThrow(
      /does not open this space on the server\. Nothing was changed/,
    );
  });

  it('refuses key settings from the server outside the vault’s bounds', async () => {
    await expect(
      deriveSyncKey('x', { name: 'scrypt', salt: 'a'.repeat(24), N: 2 ** 24, r: 8, p: 1 }),
    ).rejects.toThrow(/key settings Keel does not accept/);
    await expect(
      deriveSyncKey('x', { name: 'scrypt', salt: 'a'.repeat(24), N: 1024, r: 8, p: 99 }),
    ).rejects.toThrow();
  });
});
