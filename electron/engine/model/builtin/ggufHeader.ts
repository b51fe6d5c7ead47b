/**
 * Reads the header of a file the person says is a GGUF model, before Keel accepts it: the magic, the
 * version, the counts, and the metadata (architecture, name, context length). Every length in the
 * file is checked against a limit before anything is read or allocated, so a hostile file gets a
 * clear "not a model" and never a hang or a huge allocation. The layout follows ggml's docs/gguf.md.
 */
import { open, type FileHandle } from 'node:fs/promises';
import { KeelError } from '../../../../shared/errors';

export interface GgufHeader {
  version: number;
  tensorCount: number;
  architecture: string;
  name?: string;
  contextLength?: number;
  bytes: number;
}

const limits = {
  tensors: 100_000,
  keys: 100_000,
  keyBytes: 65_536,
  stringBytes: 16 * 1024 * 1024,
  /** Vocabularies run to a few hundred thousand tokens and merges. */
  arrayItems: 5_000_000,
  /** Real models carry vocabularies of a few MB; far more than this is not a model's header. */
  metadataBytes: 256 * 1024 * 1024,
};

// ggml's `enum gguf_type`, and the byte size of each fixed-size one.
const fixedSizes: Record<number, number> = {
  0: 1,
  1: 1,
  2: 2,
  3: 2,
  4: 4,
  5: 4,
  6: 4,
  7: 1,
  10: 8,
  11: 8,
  12: 8,
};
const STRING = 8;
const ARRAY = 9;

class NotGguf extends Error {}

/** Reads forward through the file in large chunks, never past its end or the metadata limit. */
class Reader {
  private buffer = Buffer.alloc(0);
  private start = 0;
  private offset = 0;
  constructor(
    private readonly file: FileHandle,
    private readonly size: number,
  ) {}

  get position(): number {
    return this.start + this.offset;
  }

  private async need(count: number): Promise<void> {
    if (this.position + count > this.size) throw new NotGguf('the file ends inside its header');
    if (this.position + count > limits.metadataBytes) throw new NotGguf('its header is far too large');
    if (this.offset + count <= this.buffer.length) return;
    const at = this.position;
    const length = Math.min(Math.max(count, 1024 * 1024), this.size - at);
    const chunk = Buffer.alloc(length);
    const { bytesRead } = await this.file.read(chunk, 0, length, at);
    if (bytesRead < count) throw new NotGguf('the file ends inside its header');
    this.buffer = chunk;
    this.start = at;
    this.offset = 0;
  }

  async bytes(count: number): Promise<Buffer> {
    await this.need(count);
    const slice = this.buffer.subarray(this.offset, this.offset + count);
    this.offset += count;
    return slice;
  }

  async skip(count: number): Promise<void> {
    if (this.position + count > this.size) throw new NotGguf('the file ends inside its header');
    if (this.position + count > limits.metadataBytes) throw new NotGguf('its header is far too large');
    if (this.offset + count <= this.buffer.length) {
      this.offset += count;
      return;
    }
    const to = this.position + count;
    this.buffer = Buffer.alloc(0);
    this.start = to;
    this.offset = 0;
  }

  async u32(): Promise<number> {
    return (await this.bytes(4)).readUInt32LE(0);
  }

  async u64(): Promise<number> {
    const value = (await this.bytes(8)).readBigUInt64LE(0);
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new NotGguf('a length in its header is impossible');
    return Number(value);
  }

  async string(max: number): Promise<string> {
    const length = await this.u64();
    if (length > max) throw new NotGguf('a text in its header is far too long');
    return (await this.bytes(length)).toString('utf8');
  }
}

async function readValue(reader: Reader, type: number): Promise<unknown> {
  if (type === STRING) return reader.string(limits.stringBytes);
  const size = fixedSizes[type];
  if (size !== undefined) {
    const raw = await reader.bytes(size);
    switch (type) {
      case 4:
        return raw.readUInt32LE(0);
      case 5:
        return raw.readInt32LE(0);
      case 10:
        return Number(raw.readBigUInt64LE(0));
      case 11:
        return Number(raw.readBigInt64LE(0));
      default:
        return undefined;
    }
  }
  if (type === ARRAY) {
    const itemType = await reader.u32();
    const count = await reader.u64();
    if (count > limits.arrayItems) throw new NotGguf('a list in its header is far too long');
    const itemSize = fixedSizes[itemType];
    if (itemSize !== undefined) {
      await reader.skip(itemSize * count);
    } else if (itemType === STRING) {
      for (let i = 0; i < count; i++) {
        const length = await reader.u64();
        if (length > limits.stringBytes) throw new NotGguf('a text in its header is far too long');
        await reader.skip(length);
      }
    } else {
      // Nested arrays are allowed by the format but no model Keel runs uses them.
      throw new NotGguf('its header holds a kind of list Keel does not read');
    }
    return undefined;
  }
  throw new NotGguf(`its header holds a value of unknown type ${type}`);
}

/**
 * The header of a GGUF file, or a `KeelError` in plain words when the file is missing, unreadable,
 * or not a GGUF model.
 */
export async function readGgufHeader(path: string): Promise<GgufHeader> {
  let file: FileHandle;
  try {
    file = await open(path, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'there is no file there'
        : code === 'EACCES' || code === 'EPERM'
          ? 'Keel is not allowed to read it'
          : code === 'EISDIR'
            ? 'it is a folder'
            : `it could not be opened (${code ?? 'unknown error'})`;
    throw new KeelError('invalid-input', `Keel cannot use ${path}: ${why}.`, { field: 'path' });
  }
  try {
    const stats = await file.stat();
    if (!stats.isFile()) {
      throw new KeelError('invalid-input', `Keel cannot use ${path}: it is not a file.`, { field: 'path' });
    }
    const reader = new Reader(file, stats.size);
    const magic = await reader.bytes(4);
    if (magic.toString('latin1') !== 'GGUF') throw new NotGguf('it does not start the way a GGUF file does');
    const version = await reader.u32();
    if (version !== 2 && version !== 3)
      throw new NotGguf(`it is GGUF version ${version}, which Keel cannot read`);
    const tensorCount = await reader.u64();
    const keyCount = await reader.u64();
    if (tensorCount === 0) throw new NotGguf('it holds no weights');
    if (tensorCount > limits.tensors || keyCount > limits.keys)
      throw new NotGguf('its counts are impossible');
    const metadata = new Map<string, unknown>();
    for (let i = 0; i < keyCount; i++) {
      const key = await reader.string(limits.keyBytes);
      const type = await reader.u32();
      metadata.set(key, await readValue(reader, type));
    }
    const architecture = metadata.get('general.architecture');
    if (typeof architecture !== 'string' || !/^[a-z0-9_-]{1,64}$/i.test(architecture)) {
      throw new NotGguf('it does not say which kind of model it is (general.architecture)');
    }
    const name = metadata.get('general.name');
    const contextLength = metadata.get(`${architecture}.context_length`);
    return {
      version,
      tensorCount,
      architecture,
      ...(typeof name === 'string' && name.trim() ? { name: name.trim().slice(0, 200) } : {}),
      ...(typeof contextLength === 'number' && contextLength > 0 ? { contextLength } : {}),
      bytes: stats.size,
    };
  } catch (error) {
    if (error instanceof NotGguf) {
      throw new KeelError('invalid-input', `${path} is not a model Keel can use: ${error.message}.`, {
        field: 'path',
      });
    }
    throw error;
  } finally {
    await file.close();
  }
}
