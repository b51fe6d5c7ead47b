/**
 * End-to-end encryption of what a space sends to its sync server. The server stores only what this
 * module makes: random document ids, and bodies sealed with AES-256-GCM under a key derived from
 * the sync passphrase with scrypt (the vault's bounds), with a salt of the space's own so every
 * space has a different key. Each revision gets a fresh nonce; the document id is the additional
 * data, so a body moved to another id does not open. The plaintext is padded to a multiple of
 * 4 KiB so a body's size says little about what it holds.
 */
import { createCipheriv, createDecipheriv, randomBytes, randomUUID } from 'node:crypto';
import { z } from 'zod';
import { KeelError } from '../../../shared/errors';
import { defaultScryptCost, derive, kdfSchema, type ScryptCost } from '../store/Vault';

export type SyncKdf = z.infer<typeof kdfSchema>;
export { kdfSchema as syncKdfSchema };

/** The first byte of every sealed body: the layout below, so a later one can be told apart. */
const formatVersion = 1;
const nonceBytes = 12;
const tagBytes = 16;
const padTo = 4096;
/** What the passphrase check opens to: a fixed text, so a wrong passphrase is told apart from damage. */
const checkText = 'keel-sync-passphrase-check';

export interface SyncKey {
  readonly key: Buffer;
}

/** A fresh salt for a space that starts syncing, with the vault's cost (or a test's cheaper one). */
export function newSyncKdf(cost: ScryptCost = defaultScryptCost): SyncKdf {
  return { name: 'scrypt', salt: randomBytes(16).toString('base64'), ...cost };
}

/** The key from the sync passphrase; the parameters come from the server, so they are checked first. */
export async function deriveSyncKey(passphrase: string, kdf: unknown): Promise<SyncKey> {
  const parsed = kdfSchema.safeParse(kdf);
  if (!parsed.success) {
    throw new KeelError('sync-failed', 'The sync server holds key settings Keel does not accept.');
  }
  if (passphrase.length === 0) {
    throw new KeelError('invalid-input', 'Give the sync passphrase.', { field: 'passphrase' });
  }
  return { key: await derive(passphrase, parsed.data) };
}

/** A random document id: it says nothing of what the document holds. */
export function newDocumentId(): string {
  return `k${randomUUID().replaceAll('-', '')}`;
}

/** Seals a value for one document id. A fresh nonce every time: call it once per revision. */
export function sealValue(key: SyncKey, documentId: string, value: unknown): Buffer {
  return sealBytes(key, documentId, Buffer.from(JSON.stringify(value), 'utf8'));
}

/** Seals bytes (a source's original file travels as bytes, not inside the JSON). */
export function sealBytes(key: SyncKey, documentId: string, json: Buffer): Buffer {
  const padded = Buffer.alloc(Math.ceil((json.length + 4) / padTo) * padTo);
  padded.writeUInt32BE(json.length, 0);
  json.copy(padded, 4);
  const nonce = randomBytes(nonceBytes);
  const cipher = createCipheriv('aes-256-gcm', key.key, nonce);
  cipher.setAAD(Buffer.from(documentId, 'utf8'));
  const data = Buffer.concat([cipher.update(padded), cipher.final()]);
  return Buffer.concat([Buffer.from([formatVersion]), nonce, cipher.getAuthTag(), data]);
}

/** Opens a sealed body of one document id; a body that does not open (wrong key, altered, moved) is refused. */
export function openValue(key: SyncKey, documentId: string, sealed: Buffer): unknown {
  return JSON.parse(openBytes(key, documentId, sealed).toString('utf8'));
}

/** Opens sealed bytes of one document id (see `openValue`). */
export function openBytes(key: SyncKey, documentId: string, sealed: Buffer): Buffer {
  if (sealed.length < 1 + nonceBytes + tagBytes || sealed[0] !== formatVersion) {
    throw new KeelError('sync-failed', 'A document on the sync server is not one Keel sealed.');
  }
  const nonce = sealed.subarray(1, 1 + nonceBytes);
  const tag = sealed.subarray(1 + nonceBytes, 1 + nonceBytes + tagBytes);
  let padded: Buffer;
  try {
    const decipher = createDecipheriv('aes-256-gcm', key.key, nonce);
    decipher.setAAD(Buffer.from(documentId, 'utf8'));
    decipher.setAuthTag(tag);
    padded = Buffer.concat([decipher.update(sealed.subarray(1 + nonceBytes + tagBytes)), decipher.final()]);
  } catch {
    throw new KeelError(
      'sync-failed',
      'A document on the sync server could not be opened with this space’s sync passphrase.',
    );
  }
  const length = padded.readUInt32BE(0);
  if (length > padded.length - 4) {
    throw new KeelError('sync-failed', 'A document on the sync server is damaged.');
  }
  return padded.subarray(4, 4 + length);
}

/** What the server keeps to tell a right passphrase from a wrong one (the check text, sealed). */
export function passphraseCheck(key: SyncKey, documentId: string): Buffer {
  return sealValue(key, documentId, checkText);
}

/** Refuses a wrong sync passphrase in words, before anything is written anywhere. */
export function verifyPassphrase(key: SyncKey, documentId: string, check: Buffer): void {
  let opened: unknown;
  try {
    opened = openValue(key, documentId, check);
  } catch {
    opened = undefined;
  }
  if (opened !== checkText) {
    throw new KeelError(
      'invalid-input',
      'That sync passphrase does not open this space on the server. Nothing was changed; check the passphrase and try again.',
      { field: 'passphrase' },
    );
  }
}
