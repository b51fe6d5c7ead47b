/**
 * Encryption at rest (opt-in). Every data file is sealed with AES-256-GCM under a random data key;
 * the data key is stored only wrapped (also AES-256-GCM) under a key derived from the person's
 * passphrase with scrypt (random salt, parameters stored). The key file is the only plaintext the
 * vault writes, and it holds no user content.
 *
 * Changing the passphrase makes a new data key and re-encrypts every file (and every backup) with
 * it. Until that is done the key file holds the old key too, wrapped under the new passphrase, so a
 * crash half-way through leaves every file readable: there is no window in which data is lost.
 * Then `retire` drops the old key, and the old passphrase opens nothing. A wrong passphrase fails
 * the wrapped key's authentication and changes nothing.
 */
import {
  createCipheriv,
  createDecipheriv,
  randomBytes,
  scrypt as scryptCallback,
  timingSafeEqual,
} from 'node:crypto';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { KeelError } from '../../../shared/errors';
import { syncFolder, writeFileAtomic } from './atomicWrite';
import type { Codec } from './codec';
import { isNodeError, storageFailure } from './DocumentAdapter';

export const keyFileName = 'keel-encryption.json';
/** Every sealed file starts with these bytes, then the key id, the nonce, the tag and the ciphertext. */
const magic = Buffer.from('KEELENC1', 'ascii');
const keyIdBytes = 8;
const nonceBytes = 12;
const tagBytes = 16;

/** scrypt's cost: 2^15 iterations of 8 × 128-byte blocks (32 MiB, about a tenth of a second). */
export const defaultScryptCost: ScryptCost = { N: 2 ** 15, r: 8, p: 1 };
export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}

const sealedSchema = z.object({ nonce: z.string(), tag: z.string(), data: z.string() });
const keyFileSchema = z.object({
  version: z.literal(1),
  cipher: z.literal('aes-256-gcm'),
  kdf: z.object({
    name: z.literal('scrypt'),
    salt: z.string(),
    N: z.number().int(),
    r: z.number().int(),
    p: z.number().int(),
  }),
  /** The data key new writes use. */
  current: z.string(),
  /** Every data key a file may be sealed with, wrapped under the passphrase's key. */
  keys: z.array(z.object({ id: z.string(), wrapped: sealedSchema })),
});
type KeyFile = z.infer<typeof keyFileSchema>;

export type VaultState = 'plain' | 'locked' | 'unlocked';

export class Vault {
  private keys = new Map<string, Buffer>();
  private currentId: string | undefined;
  /** While encryption is being turned off, new writes are plain. */
  private writingPlain = false;

  private constructor(
    private readonly dataDir: string,
    private keyFile: KeyFile | undefined,
    private readonly cost: ScryptCost,
  ) {}

  static async open(dataDir: string, cost: ScryptCost = defaultScryptCost): Promise<Vault> {
    const path = join(dataDir, keyFileName);
    let text: string | undefined;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if (!(isNodeError(error) && error.code === 'ENOENT'))
        throw storageFailure(error, 'read the encryption key file');
    }
    if (text === undefined) return new Vault(dataDir, undefined, cost);
    const parsed = keyFileSchema.safeParse(safeJson(text));
    if (!parsed.success) {
      throw new KeelError(
        'storage-corrupt',
        `The encryption key file (${path}) is damaged, so the encrypted data cannot be opened. Restore the data folder from a backup or an archive.`,
      );
    }
    return new Vault(dataDir, parsed.data, cost);
  }

  get state(): VaultState {
    if (!this.keyFile) return 'plain';
    return this.currentId ? 'unlocked' : 'locked';
  }

  /** The codec every data file goes through: sealing when encryption is on, plain otherwise. */
  readonly codec: Codec = {
    encode: (text) => {
      const id = this.currentId;
      if (!this.keyFile || this.writingPlain) return text;
      if (!id) throw new KeelError('locked', 'Keel is locked. Unlock it with your passphrase first.');
      return seal(Buffer.from(text, 'utf8'), this.keys.get(id)!, id);
    },
    decode: (bytes) => {
      if (!bytes.subarray(0, magic.length).equals(magic)) {
        // Files written before encryption was turned on are read as they are, then sealed on save.
        return bytes.toString('utf8');
      }
      return this.open(bytes).toString('utf8');
    },
  };

  /** Opens sealed bytes (a data file or a backup). */
  open(bytes: Buffer): Buffer {
    const id = bytes.subarray(magic.length, magic.length + keyIdBytes * 2).toString('ascii');
    const key = this.keys.get(id);
    if (!key) {
      throw new KeelError(
        this.keyFile && !this.currentId ? 'locked' : 'storage-corrupt',
        this.keyFile && !this.currentId
          ? 'Keel is locked. Unlock it with your passphrase first.'
          : 'A file is sealed with a key this data folder does not have.',
      );
    }
    let offset = magic.length + keyIdBytes * 2;
    const nonce = bytes.subarray(offset, (offset += nonceBytes));
    const tag = bytes.subarray(offset, (offset += tagBytes));
    const decipher = createDecipheriv('aes-256-gcm', key, nonce);
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(bytes.subarray(offset)), decipher.final()]);
  }

  /** Unlocks with the passphrase; a wrong one is said plainly and changes nothing. */
  async unlock(passphrase: string): Promise<void> {
    const keyFile = this.keyFile;
    if (!keyFile) return;
    const kek = await derive(passphrase, keyFile.kdf);
    const keys = new Map<string, Buffer>();
    try {
      for (const { id, wrapped } of keyFile.keys) keys.set(id, unwrap(wrapped, kek));
    } catch {
      throw new KeelError('invalid-input', 'That passphrase is not right. Nothing was changed; try again.', {
        field: 'passphrase',
      });
    }
    this.keys = keys;
    this.currentId = keyFile.current;
  }

  /** Forgets the keys: until the passphrase is given again, nothing can be read or written. */
  lock(): void {
    for (const key of this.keys.values()) key.fill(0);
    this.keys = new Map();
    this.currentId = undefined;
  }

  /**
   * Turns encryption on (from plain) or moves to a new passphrase (when unlocked): a new data key
   * becomes current; the key file keeps the older ones until `retire`, called once every file was
   * sealed again with the new key.
   */
  async begin(passphrase: string): Promise<void> {
    if (this.keyFile && !this.currentId)
      throw new KeelError('locked', 'Unlock Keel before changing its passphrase.');
    const kdf = { name: 'scrypt' as const, salt: randomBytes(16).toString('base64'), ...this.cost };
    const kek = await derive(passphrase, kdf);
    const id = randomBytes(keyIdBytes).toString('hex');
    const keys = new Map(this.keys);
    keys.set(id, randomBytes(32));
    const keyFile: KeyFile = {
      version: 1,
      cipher: 'aes-256-gcm',
      kdf,
      current: id,
      keys: [...keys].map(([keyId, value]) => ({ id: keyId, wrapped: wrap(value, kek) })),
    };
    await this.writeKeyFile(keyFile);
    this.keyFile = keyFile;
    this.keys = keys;
    this.currentId = id;
    this.writingPlain = false;
  }

  /** Drops every key but the current one, once nothing on disk uses them any more. */
  async retire(): Promise<void> {
    const keyFile = this.keyFile;
    if (!keyFile) return;
    const kept: KeyFile = { ...keyFile, keys: keyFile.keys.filter((entry) => entry.id === keyFile.current) };
    await this.writeKeyFile(kept);
    this.keyFile = kept;
    for (const [id, key] of this.keys) {
      if (id !== keyFile.current) {
        key.fill(0);
        this.keys.delete(id);
      }
    }
  }

  /** Starts turning encryption off: new writes are plain; `finishPlain` removes the key file after. */
  startPlain(): void {
    if (this.keyFile && !this.currentId) throw new KeelError('locked', 'Unlock Keel first.');
    this.writingPlain = true;
  }

  async finishPlain(): Promise<void> {
    await rm(join(this.dataDir, keyFileName), { force: true });
    await syncFolder(this.dataDir);
    this.lock();
    this.keyFile = undefined;
    this.writingPlain = false;
  }

  /** The key file's bytes, for backups (undefined while encryption is off). */
  keyFileBytes(): string | undefined {
    return this.keyFile && !this.writingPlain ? `${JSON.stringify(this.keyFile, null, 2)}\n` : undefined;
  }

  /** Checks a passphrase against the key file without changing anything. */
  async verify(passphrase: string): Promise<void> {
    const keyFile = this.keyFile;
    if (!keyFile) return;
    const kek = await derive(passphrase, keyFile.kdf);
    const current = keyFile.keys.find((entry) => entry.id === keyFile.current);
    try {
      const key = unwrap(current!.wrapped, kek);
      const known = this.keys.get(keyFile.current);
      if (known && !timingSafeEqual(known, key)) throw new Error('mismatch');
    } catch {
      throw new KeelError('invalid-input', 'That passphrase is not right. Nothing was changed; try again.', {
        field: 'passphrase',
      });
    }
  }

  private async writeKeyFile(keyFile: KeyFile): Promise<void> {
    try {
      await writeFileAtomic(join(this.dataDir, keyFileName), `${JSON.stringify(keyFile, null, 2)}\n`);
    } catch (error) {
      throw storageFailure(error, 'save the encryption key file');
    }
  }
}

function seal(plain: Buffer, key: Buffer, id: string): Buffer {
  const nonce = randomBytes(nonceBytes);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  const data = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([magic, Buffer.from(id, 'ascii'), nonce, cipher.getAuthTag(), data]);
}

function wrap(key: Buffer, kek: Buffer): z.infer<typeof sealedSchema> {
  const nonce = randomBytes(nonceBytes);
  const cipher = createCipheriv('aes-256-gcm', kek, nonce);
  const data = Buffer.concat([cipher.update(key), cipher.final()]);
  return {
    nonce: nonce.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

function unwrap(wrapped: z.infer<typeof sealedSchema>, kek: Buffer): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(wrapped.nonce, 'base64'));
  decipher.setAuthTag(Buffer.from(wrapped.tag, 'base64'));
  return Buffer.concat([decipher.update(Buffer.from(wrapped.data, 'base64')), decipher.final()]);
}

function derive(passphrase: string, kdf: KeyFile['kdf']): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(
      passphrase.normalize('NFKC'),
      Buffer.from(kdf.salt, 'base64'),
      32,
      { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: 256 * kdf.N * kdf.r },
      (error, key) => (error ? reject(error) : resolve(key)),
    );
  });
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
