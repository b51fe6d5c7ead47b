/**
 * Encryption at rest (opt-in). Every data file is sealed with AES-256-GCM under a random data key,
 * with the file's path inside the data folder as additional authenticated data, so a sealed file
 * cannot be swapped for another. The data key is stored only wrapped (also AES-256-GCM) under a
 * key derived from the person's passphrase with scrypt (random salt, bounded parameters stored).
 * The key file is the only plaintext the vault writes, and it holds no user content.
 *
 * While a key file exists, a file that is not sealed is damaged: someone else put it there. The
 * only exceptions are the changes the vault records itself, sealed in the key file so nobody can
 * forge them: turning encryption on (the plain files of that moment, each by its SHA-256), turning
 * it off (plain files are what it writes), and upgrading a folder sealed by an older Keel (files
 * sealed without their path). A change cut off half-way is finished at the next unlock.
 *
 * Changing the passphrase makes a new data key and re-encrypts every file (and every backup) with
 * it. Until that is done the key file holds the old key too, wrapped under the new passphrase, so a
 * crash half-way through leaves every file readable: there is no window in which data is lost.
 * Then `retire` drops the old key, and the old passphrase opens nothing. A wrong passphrase fails
 * the wrapped key's authentication and changes nothing, and each one in a row makes the next try
 * wait longer.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  randomBytes,
  scrypt as scryptCallback,
  timingSafeEqual,
} from 'node:crypto';
import { readdir, readFile, rm } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { z } from 'zod';
import { KeelError } from '../../../shared/errors';
import { syncFolder, writeFileAtomic } from './atomicWrite';
import type { Codec } from './codec';
import { isNodeError, storageFailure } from './DocumentAdapter';

export const keyFileName = 'keel-encryption.json';
/**
 * Every sealed file starts with a marker, then the key id, the nonce, the tag and the ciphertext.
 * `KEELENC2` files carry their path as authenticated data; `KEELENC1` files (older Keel) do not.
 */
const magic = Buffer.from('KEELENC2', 'ascii');
const legacyMagic = Buffer.from('KEELENC1', 'ascii');
const keyIdBytes = 8;
const nonceBytes = 12;
const tagBytes = 16;

/** scrypt's cost: 2^17 iterations of 8 × 128-byte blocks (128 MiB, well under a second on a laptop). */
export const defaultScryptCost: ScryptCost = { N: 2 ** 17, r: 8, p: 1 };
export interface ScryptCost {
  N: number;
  r: number;
  p: number;
}
/**
 * What a key file may ask of scrypt. A key file is hostile input: unbounded, `p: 16384` keeps a
 * core busy for twenty minutes. The memory scrypt may take is fixed; 128·N·r must fit in it.
 */
const scryptMemory = 2 ** 28;
const scryptMaxmem = scryptMemory + 2 ** 24;
export const scryptBounds = { minN: 2 ** 10, maxN: 2 ** 20, maxR: 16, maxP: 4, memory: scryptMemory };

const sealedSchema = z.object({ nonce: z.string(), tag: z.string(), data: z.string() });
export const kdfSchema = z
  .object({
    name: z.literal('scrypt'),
    salt: z.string().min(16).max(200),
    N: z
      .number()
      .int()
      .min(scryptBounds.minN)
      .max(scryptBounds.maxN)
      .refine((n) => (n & (n - 1)) === 0, 'must be a power of two'),
    r: z.number().int().min(1).max(scryptBounds.maxR),
    p: z.number().int().min(1).max(scryptBounds.maxP),
  })
  .refine((kdf) => 128 * kdf.N * kdf.r <= scryptBounds.memory, 'asks scrypt for too much memory');
const keyFileSchema = z.object({
  /** 1: files sealed without their path (older Keel); 2: every file carries its path. */
  version: z.union([z.literal(1), z.literal(2)]),
  cipher: z.literal('aes-256-gcm'),
  kdf: kdfSchema,
  /** The data key new writes use. */
  current: z.string().regex(/^[0-9a-f]{16}$/),
  /** Every data key a file may be sealed with, wrapped under the passphrase's key. */
  keys: z.array(z.object({ id: z.string().regex(/^[0-9a-f]{16}$/), wrapped: sealedSchema })).max(8),
  /** A change under way (sealed with the current data key, so only Keel can have written it). */
  pending: z
    .string()
    .max(16 * 2 ** 20)
    .optional(),
});
type KeyFile = z.infer<typeof keyFileSchema>;

const pendingSchema = z.discriminatedUnion('kind', [
  /** Encryption being turned on: these plain files (path in the folder → SHA-256) are genuine. */
  z.object({ kind: z.literal('encrypting'), plain: z.record(z.string(), z.string()) }),
  /** Encryption being turned off: files are written plain. */
  z.object({ kind: z.literal('decrypting') }),
  /** A folder of an older Keel being sealed again with paths: files sealed without one are genuine. */
  z.object({ kind: z.literal('upgrading') }),
]);
type Pending = z.infer<typeof pendingSchema>;

export type VaultState = 'plain' | 'locked' | 'unlocked';
/** What the engine must finish after unlocking, because it was cut off or the folder is old. */
export type UnfinishedChange = 'encrypting' | 'decrypting' | 'rekeying' | 'upgrading' | 'weak-passphrase-key';

export interface VaultOptions {
  cost?: ScryptCost;
  /** The wait after a second wrong passphrase in a row; it doubles with each further one (default 1 s). */
  wrongPassphraseDelayMs?: number;
}

export class Vault {
  private keys = new Map<string, Buffer>();
  private currentId: string | undefined;
  private pending: Pending | undefined;
  /** While encryption is being turned off, new writes are plain. */
  private writingPlain = false;
  private wrongInARow = 0;
  private nextTryAt = 0;
  private readonly cost: ScryptCost;
  private readonly wrongDelayMs: number;

  private constructor(
    private readonly dataDir: string,
    private keyFile: KeyFile | undefined,
    options: VaultOptions,
  ) {
    this.cost = options.cost ?? defaultScryptCost;
    this.wrongDelayMs = options.wrongPassphraseDelayMs ?? 1_000;
  }

  static async open(dataDir: string, options: VaultOptions = {}): Promise<Vault> {
    const path = join(dataDir, keyFileName);
    let text: string | undefined;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if (!(isNodeError(error) && error.code === 'ENOENT'))
        throw storageFailure(error, 'read the encryption key file');
    }
    if (text === undefined) return new Vault(dataDir, undefined, options);
    const parsed = keyFileSchema.safeParse(safeJson(text));
    if (!parsed.success || !parsed.data.keys.some((entry) => entry.id === parsed.data.current)) {
      throw new KeelError(
        'storage-corrupt',
        `The encryption key file (${path}) is damaged, so the encrypted data cannot be opened. Restore the data folder from a backup or an archive.`,
      );
    }
    return new Vault(dataDir, parsed.data, options);
  }

  get state(): VaultState {
    if (!this.keyFile) return 'plain';
    return this.currentId ? 'unlocked' : 'locked';
  }

  /** Once unlocked: the change the engine should finish now (every file written again), if any. */
  get unfinished(): UnfinishedChange | undefined {
    const keyFile = this.keyFile;
    if (!keyFile || !this.currentId) return undefined;
    if (this.pending?.kind === 'decrypting') return 'decrypting';
    if (this.pending?.kind === 'encrypting') return 'encrypting';
    if (keyFile.version === 1 || this.pending?.kind === 'upgrading') return 'upgrading';
    if (keyFile.keys.length > 1) return 'rekeying';
    if (keyFile.kdf.N < this.cost.N) return 'weak-passphrase-key';
    return undefined;
  }

  /** The codec every data file goes through: sealing when encryption is on, plain otherwise. */
  readonly codec: Codec = {
    encode: (text, path) => this.encode(Buffer.from(text, 'utf8'), path),
    decode: (bytes, path) => this.decode(bytes, path).toString('utf8'),
  };

  private encode(plain: Buffer, path: string): Buffer | string {
    const id = this.currentId;
    if (!this.keyFile || this.writingPlain) return plain.toString('utf8');
    if (!id) throw new KeelError('locked', 'Keel is locked. Unlock it with your passphrase first.');
    return seal(plain, this.keys.get(id)!, id, aadFor(this.names(path).name));
  }

  private decode(bytes: Buffer, path: string): Buffer {
    const { name, location } = this.names(path);
    const head = bytes.subarray(0, magic.length);
    if (head.equals(magic)) return this.openSealed(bytes, aadFor(name));
    if (!this.keyFile) {
      if (head.equals(legacyMagic)) throw notOurs('is sealed, but encryption is off in this folder');
      return bytes;
    }
    if (head.equals(legacyMagic)) {
      if (this.keyFile.version === 1 || this.pending?.kind === 'upgrading') return this.openSealed(bytes);
      throw notOurs('is sealed without its name, the way no current Keel writes');
    }
    // Plain bytes in an encrypted folder: genuine only while Keel itself is turning encryption on or off.
    if (this.writingPlain) return bytes;
    if (
      this.pending?.kind === 'encrypting' &&
      this.pending.plain[location] !== undefined &&
      timingSafeEqual(Buffer.from(this.pending.plain[location], 'hex'), sha256(bytes))
    ) {
      return bytes;
    }
    throw notOurs('is not encrypted, though this data folder is');
  }

  /** Opens sealed bytes; `aad` is the file's name for current files and absent for old ones. */
  private openSealed(bytes: Buffer, aad?: Buffer): Buffer {
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
    if (aad) decipher.setAAD(aad);
    return Buffer.concat([decipher.update(bytes.subarray(offset)), decipher.final()]);
  }

  /**
   * Seals a file again with the current key (or opens it for good while encryption is turned off).
   * A file moved aside as damaged is only for a person to look at: it is sealed as the bytes it
   * holds, whatever they are, so no plaintext lingers in it.
   */
  reseal(bytes: Buffer, path: string): Buffer | string {
    if (!/\.damaged-\d+$/.test(path)) return this.encode(this.decode(bytes, path), path);
    const { name } = this.names(path);
    let content = bytes;
    if (bytes.subarray(0, magic.length).equals(magic)) content = this.openSealed(bytes, aadFor(name));
    else if (bytes.subarray(0, magic.length).equals(legacyMagic)) content = this.openSealed(bytes);
    if (!this.keyFile || this.writingPlain) return content;
    return seal(content, this.keys.get(this.currentId!)!, this.currentId!, aadFor(name));
  }

  /**
   * Where a file is (its path in the data folder, for recorded plain files) and its name (the
   * authenticated data): a backup's copy and a moved-aside copy carry the name of the original.
   */
  private names(path: string): { name: string; location: string } {
    const location = relative(this.dataDir, path).split(sep).join('/');
    const name = location.replace(/^backups\/[^/]+\//, '').replace(/\.damaged-\d+$/, '');
    return { name, location };
  }

  /** Unlocks with the passphrase; a wrong one is said plainly, changes nothing and slows the next. */
  async unlock(passphrase: string): Promise<void> {
    const keyFile = this.keyFile;
    if (!keyFile) return;
    const keys = await this.unwrapAll(passphrase, keyFile, 'passphrase');
    this.keys = keys;
    this.currentId = keyFile.current;
    this.pending = undefined;
    if (keyFile.pending !== undefined) {
      try {
        const opened = this.openSealed(Buffer.from(keyFile.pending, 'base64'), pendingAad);
        this.pending = pendingSchema.parse(JSON.parse(opened.toString('utf8')));
      } catch (error) {
        // Not written by Keel: no change is recorded, so plain files stay refused.
        console.error('Keel: the recorded encryption change could not be read', error);
      }
    }
    this.writingPlain = this.pending?.kind === 'decrypting';
  }

  /** Forgets the keys: until the passphrase is given again, nothing can be read or written. */
  lock(): void {
    for (const key of this.keys.values()) key.fill(0);
    this.keys = new Map();
    this.currentId = undefined;
    this.pending = undefined;
    this.writingPlain = false;
  }

  /**
   * Turns encryption on (from plain) or moves to a new passphrase (when unlocked): a new data key
   * becomes current; the key file keeps the older ones until `retire`, called once every file was
   * sealed again with the new key. Turning on records the plain files of this moment, so they
   * stay readable if the change is cut off.
   */
  async begin(passphrase: string): Promise<void> {
    if (this.keyFile && !this.currentId)
      throw new KeelError('locked', 'Unlock Keel before changing its passphrase.');
    const pending: Pending | undefined = this.keyFile
      ? this.pending
      : { kind: 'encrypting', plain: await this.plainFiles() };
    await this.rekey(passphrase, pending);
    this.writingPlain = false;
  }

  /**
   * Brings a folder of an older Keel up to date with the passphrase just given: files sealed without
   * their path are sealed again under a new data key (the engine rewrites them, then `retire`), and a
   * key file with a cheaper scrypt gets today's cost.
   */
  async upgrade(passphrase: string): Promise<void> {
    const keyFile = this.keyFile;
    if (!keyFile || !this.currentId) return;
    if (keyFile.version === 1) {
      await this.rekey(passphrase, { kind: 'upgrading' });
      return;
    }
    // Only the wrapping changes: same data keys, new salt and cost.
    const { kdf, kek } = await this.newPassphraseKey(passphrase);
    await this.save({ ...keyFile, kdf, keys: this.wrapAll(kek) });
  }

  private async rekey(passphrase: string, pending: Pending | undefined): Promise<void> {
    const { kdf, kek } = await this.newPassphraseKey(passphrase);
    const id = randomBytes(keyIdBytes).toString('hex');
    const previous = this.keys;
    this.keys = new Map(previous);
    this.keys.set(id, randomBytes(32));
    const keyFile: KeyFile = {
      version: 2,
      cipher: 'aes-256-gcm',
      kdf,
      current: id,
      keys: this.wrapAll(kek),
    };
    if (pending)
      keyFile.pending = seal(
        Buffer.from(JSON.stringify(pending)),
        this.keys.get(id)!,
        id,
        pendingAad,
      ).toString('base64');
    try {
      await this.save(keyFile);
    } catch (error) {
      this.keys = previous;
      throw error;
    }
    this.currentId = id;
    this.pending = pending;
  }

  /** Drops every key but the current one and the recorded change, once nothing on disk needs them. */
  async retire(): Promise<void> {
    const keyFile = this.keyFile;
    if (!keyFile) return;
    const { pending: _pending, ...rest } = keyFile;
    await this.save({ ...rest, keys: keyFile.keys.filter((entry) => entry.id === keyFile.current) });
    this.pending = undefined;
    for (const [id, key] of this.keys) {
      if (id !== keyFile.current) {
        key.fill(0);
        this.keys.delete(id);
      }
    }
  }

  /** Starts turning encryption off: recorded in the key file, then new writes are plain. */
  async startPlain(): Promise<void> {
    const keyFile = this.keyFile;
    if (!keyFile || !this.currentId) throw new KeelError('locked', 'Unlock Keel first.');
    const pending: Pending = { kind: 'decrypting' };
    const id = this.currentId;
    await this.save({
      ...keyFile,
      pending: seal(Buffer.from(JSON.stringify(pending)), this.keys.get(id)!, id, pendingAad).toString(
        'base64',
      ),
    });
    this.pending = pending;
    this.writingPlain = true;
  }

  async finishPlain(): Promise<void> {
    await rm(join(this.dataDir, keyFileName), { force: true });
    await syncFolder(this.dataDir);
    this.lock();
    this.keyFile = undefined;
  }

  /** The key file's bytes, for backups (undefined while encryption is off or being turned off). */
  keyFileBytes(): string | undefined {
    return this.keyFile && !this.writingPlain ? `${JSON.stringify(this.keyFile, null, 2)}\n` : undefined;
  }

  /** Checks a passphrase against the key file without changing anything. */
  async verify(passphrase: string, field: 'passphrase' | 'currentPassphrase' = 'passphrase'): Promise<void> {
    const keyFile = this.keyFile;
    if (!keyFile) return;
    const keys = await this.unwrapAll(passphrase, keyFile, field);
    const key = keys.get(keyFile.current)!;
    const known = this.keys.get(keyFile.current);
    const matches = !known || timingSafeEqual(known, key);
    for (const value of keys.values()) value.fill(0);
    if (!matches) this.wrongPassphrase(field);
  }

  /** Derives the passphrase's key and unwraps every data key, slowing down a run of wrong ones. */
  private async unwrapAll(
    passphrase: string,
    keyFile: KeyFile,
    field: 'passphrase' | 'currentPassphrase',
  ): Promise<Map<string, Buffer>> {
    const waitMs = this.nextTryAt - Date.now();
    if (waitMs > 0) {
      throw new KeelError(
        'invalid-input',
        `Too many wrong passphrases in a row. Wait ${Math.ceil(waitMs / 1000)} seconds, then try again.`,
        { field },
      );
    }
    const kek = await derive(passphrase, keyFile.kdf);
    const keys = new Map<string, Buffer>();
    try {
      for (const { id, wrapped } of keyFile.keys)
        keys.set(id, unwrap(wrapped, kek, keyFile.version === 1 ? undefined : keyAad(id)));
    } catch {
      this.wrongPassphrase(field);
    } finally {
      kek.fill(0);
    }
    this.wrongInARow = 0;
    this.nextTryAt = 0;
    return keys;
  }

  private wrongPassphrase(field: 'passphrase' | 'currentPassphrase'): never {
    this.wrongInARow += 1;
    // One slip of the fingers costs nothing; from the second wrong one in a row, 1 s, 2 s, 4 s … up to 5 minutes.
    if (this.wrongInARow >= 2)
      this.nextTryAt = Date.now() + Math.min(this.wrongDelayMs * 2 ** (this.wrongInARow - 2), 300_000);
    throw new KeelError(
      'invalid-input',
      field === 'passphrase'
        ? 'That passphrase is not right. Nothing was changed; try again.'
        : 'That is not your current passphrase. Nothing was changed.',
      { field },
    );
  }

  private async newPassphraseKey(passphrase: string): Promise<{ kdf: KeyFile['kdf']; kek: Buffer }> {
    const kdf = { name: 'scrypt' as const, salt: randomBytes(16).toString('base64'), ...this.cost };
    return { kdf, kek: await derive(passphrase, kdf) };
  }

  private wrapAll(kek: Buffer): KeyFile['keys'] {
    return [...this.keys].map(([id, value]) => ({ id, wrapped: wrap(value, kek, keyAad(id)) }));
  }

  /**
   * The plain files of the folder now (backups and moved-aside files included), by their path in
   * the folder, with their SHA-256: what turning encryption on may still find plain after a crash.
   */
  private async plainFiles(): Promise<Record<string, string>> {
    const found: Record<string, string> = {};
    const walk = async (folder: string): Promise<void> => {
      const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        if (entry.name.startsWith('.') || entry.name === keyFileName) continue;
        const path = join(folder, entry.name);
        if (entry.isDirectory()) await walk(path);
        else if (entry.isFile() && /\.json$/.test(entry.name)) {
          const bytes = await readFile(path);
          const head = bytes.subarray(0, magic.length);
          if (!head.equals(magic) && !head.equals(legacyMagic))
            found[this.names(path).location] = sha256(bytes).toString('hex');
        }
      }
    };
    try {
      await walk(this.dataDir);
    } catch (error) {
      throw storageFailure(error, 'read the data folder before encrypting it');
    }
    return found;
  }

  private async save(keyFile: KeyFile): Promise<void> {
    try {
      await writeFileAtomic(join(this.dataDir, keyFileName), `${JSON.stringify(keyFile, null, 2)}\n`);
    } catch (error) {
      throw storageFailure(error, 'save the encryption key file');
    }
    this.keyFile = keyFile;
  }
}

const pendingAad = Buffer.from('keel-pending-change', 'utf8');
const aadFor = (name: string) => Buffer.from(`keel-file:${name}`, 'utf8');
const keyAad = (id: string) => Buffer.from(`keel-data-key-2:${id}`, 'utf8');

function notOurs(what: string): KeelError {
  return new KeelError('storage-corrupt', `The file ${what}: Keel did not write it this way.`);
}

function sha256(bytes: Buffer): Buffer {
  return createHash('sha256').update(bytes).digest();
}

function seal(plain: Buffer, key: Buffer, id: string, aad: Buffer): Buffer {
  const nonce = randomBytes(nonceBytes);
  const cipher = createCipheriv('aes-256-gcm', key, nonce);
  cipher.setAAD(aad);
  const data = Buffer.concat([cipher.update(plain), cipher.final()]);
  return Buffer.concat([magic, Buffer.from(id, 'ascii'), nonce, cipher.getAuthTag(), data]);
}

function wrap(key: Buffer, kek: Buffer, aad: Buffer): z.infer<typeof sealedSchema> {
  const nonce = randomBytes(nonceBytes);
  const cipher = createCipheriv('aes-256-gcm', kek, nonce);
  cipher.setAAD(aad);
  const data = Buffer.concat([cipher.update(key), cipher.final()]);
  return {
    nonce: nonce.toString('base64'),
    tag: cipher.getAuthTag().toString('base64'),
    data: data.toString('base64'),
  };
}

function unwrap(wrapped: z.infer<typeof sealedSchema>, kek: Buffer, aad: Buffer | undefined): Buffer {
  const decipher = createDecipheriv('aes-256-gcm', kek, Buffer.from(wrapped.nonce, 'base64'));
  decipher.setAuthTag(Buffer.from(wrapped.tag, 'base64'));
  if (aad) decipher.setAAD(aad);
  return Buffer.concat([decipher.update(Buffer.from(wrapped.data, 'base64')), decipher.final()]);
}

/** scrypt on libuv's thread pool (never the sync form), within the bounds and the fixed memory. */
export function derive(passphrase: string, kdf: KeyFile['kdf']): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scryptCallback(
      passphrase.normalize('NFKC'),
      Buffer.from(kdf.salt, 'base64'),
      32,
      { N: kdf.N, r: kdf.r, p: kdf.p, maxmem: scryptMaxmem },
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
