/**
 * Zip archives written and read as streams, off the main thread: deflate and inflate run in Node's
 * zlib thread pool and move a file at a time (writing) or a chunk at a time (reading), so a large
 * library never freezes the engine and no whole archive is ever held in memory.
 *
 * Reading trusts nothing in the file: the central directory is read and checked (names, methods,
 * declared sizes, the total) by the caller before a single byte is inflated, and each entry is then
 * inflated with a hard stop at its declared size (a bomb that lies about its size is cut off at
 * the lie) and its checksum compared at the end. Only plain zip (no zip64, no encryption, stored or
 * deflated) is read: that is all Keel writes.
 */
import { createReadStream, createWriteStream } from 'node:fs';
import { open, readFile, writeFile, type FileHandle } from 'node:fs/promises';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';
import { crc32, createInflateRaw, deflateRaw } from 'node:zlib';

const deflate = promisify(deflateRaw);

const localHeaderSignature = 0x04034b50;
const centralHeaderSignature = 0x02014b50;
const endSignature = 0x06054b50;
/** Zip's 32-bit fields: a value this large means zip64, which Keel neither writes nor reads. */
const zip32Max = 0xffffffff;

export interface ZipEntry {
  name: string;
  /** 0 stored, 8 deflated. */
  method: number;
  /** What the central directory declares; the bytes are checked against it while inflating. */
  size: number;
  compressedSize: number;
  crc: number;
  /** Where the entry's local header starts. */
  offset: number;
}

/** Why a file could not be read as a zip, for the caller to turn into words. */
export class NotAZip extends Error {}

/** The central directory of the zip at `path`, without reading anything else. */
export async function readZipDirectory(path: string, maxEntries: number): Promise<ZipEntry[]> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    // The end record is the last 22 bytes, or sits before a comment of at most 65,535 bytes.
    const tailLength = Math.min(size, 22 + 0xffff);
    const tail = await readAt(file, size - tailLength, tailLength);
    let end = -1;
    for (let at = tail.length - 22; at >= 0; at -= 1) {
      if (tail.readUInt32LE(at) === endSignature && at + 22 + tail.readUInt16LE(at + 20) === tail.length) {
        end = at;
        break;
      }
    }
    if (end < 0) throw new NotAZip('no end of central directory');
    const disk = tail.readUInt16LE(end + 4);
    const count = tail.readUInt16LE(end + 10);
    const directorySize = tail.readUInt32LE(end + 12);
    const directoryOffset = tail.readUInt32LE(end + 16);
    if (disk !== 0 || count === 0xffff || directoryOffset === zip32Max) throw new NotAZip('zip64 or split');
    if (count > maxEntries) throw new NotAZip('too many entries');
    if (directoryOffset + directorySize > size - tailLength + end)
      throw new NotAZip('directory out of range');
    const directory = await readAt(file, directoryOffset, directorySize);
    const entries: ZipEntry[] = [];
    let at = 0;
    for (let n = 0; n < count; n += 1) {
      if (at + 46 > directory.length || directory.readUInt32LE(at) !== centralHeaderSignature) {
        throw new NotAZip('bad central header');
      }
      const flags = directory.readUInt16LE(at + 8);
      const nameLength = directory.readUInt16LE(at + 28);
      const extraLength = directory.readUInt16LE(at + 30);
      const commentLength = directory.readUInt16LE(at + 32);
      if (at + 46 + nameLength > directory.length) throw new NotAZip('bad central header');
      const entry: ZipEntry = {
        name: directory.toString('utf8', at + 46, at + 46 + nameLength),
        method: directory.readUInt16LE(at + 10),
        crc: directory.readUInt32LE(at + 16),
        compressedSize: directory.readUInt32LE(at + 20),
        size: directory.readUInt32LE(at + 24),
        offset: directory.readUInt32LE(at + 42),
      };
      // Encrypted entries (bit 0) and strong encryption (bit 6) are not Keel's.
      if ((flags & 0x41) !== 0) throw new NotAZip('encrypted entry');
      if (entry.method !== 0 && entry.method !== 8) throw new NotAZip('unknown compression');
      if (entry.size === zip32Max || entry.compressedSize === zip32Max || entry.offset === zip32Max) {
        throw new NotAZip('zip64 entry');
      }
      if (entry.method === 0 && entry.size !== entry.compressedSize) throw new NotAZip('stored size differs');
      entries.push(entry);
      at += 46 + nameLength + extraLength + commentLength;
    }
    // Entries that share bytes (a classic way to make a small file unpack to a huge one) are refused:
    // each entry's data must end before the next one starts, and before the directory.
    const byOffset = [...entries].sort((a, b) => a.offset - b.offset);
    for (let n = 0; n < byOffset.length; n += 1) {
      const entry = byOffset[n]!;
      const end = entry.offset + 30 + Buffer.byteLength(entry.name) + entry.compressedSize;
      const next = byOffset[n + 1]?.offset ?? directoryOffset;
      if (end > next) throw new NotAZip('overlapping entries');
    }
    return entries;
  } finally {
    await file.close();
  }
}

/**
 * Inflates one entry of the zip at `path` into the file `to`, stopping with `NotAZip` as soon as it
 * yields more than its declared size, and failing when it yields less or its checksum differs.
 */
export async function extractZipEntry(path: string, entry: ZipEntry, to: string): Promise<void> {
  const file = await open(path, 'r');
  let start: number;
  try {
    const header = await readAt(file, entry.offset, 30);
    if (header.length < 30 || header.readUInt32LE(0) !== localHeaderSignature) {
      throw new NotAZip('bad local header');
    }
    start = entry.offset + 30 + header.readUInt16LE(26) + header.readUInt16LE(28);
    if (start + entry.compressedSize > (await file.stat()).size) throw new NotAZip('entry out of range');
  } finally {
    await file.close();
  }
  if (entry.compressedSize === 0) {
    if (entry.size !== 0) throw new NotAZip('entry has no data');
    await writeFile(to, '', { mode: 0o600 });
    return;
  }
  const limit = new SizeAndChecksum(entry.size);
  const raw = createReadStream(path, {
    start,
    end: start + entry.compressedSize - 1,
    highWaterMark: 64 * 1024,
  });
  const out = createWriteStream(to, { mode: 0o600 });
  try {
    if (entry.method === 8) await pipeline(raw, createInflateRaw({ chunkSize: 64 * 1024 }), limit, out);
    else await pipeline(raw, limit, out);
  } catch (error) {
    if (error instanceof NotAZip) throw error;
    if (error instanceof Error && 'code' in error && String(error.code).startsWith('Z_')) {
      throw new NotAZip('damaged compressed data');
    }
    throw error;
  }
  if (limit.seen !== entry.size || limit.crc !== entry.crc) throw new NotAZip('size or checksum differs');
}

/** Passes bytes on while counting them and their CRC-32; errors past `max`. */
class SizeAndChecksum extends Transform {
  seen = 0;
  crc = 0;
  constructor(private readonly max: number) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: TransformCallback): void {
    this.seen += chunk.length;
    if (this.seen > this.max) {
      done(new NotAZip('entry larger than declared'));
      return;
    }
    this.crc = crc32(chunk, this.crc);
    done(null, chunk);
  }
}

/**
 * Writes a zip of `files` (the name in the archive and where to read it, or its bytes) to `to`,
 * one file in memory at a time, deflated in the thread pool.
 */
export async function writeZip(
  to: string,
  files: Iterable<{ name: string; path?: string; bytes?: Uint8Array }>,
): Promise<void> {
  const out = await open(to, 'w', 0o600);
  const central: Buffer[] = [];
  let offset = 0;
  let count = 0;
  try {
    for (const file of files) {
      const data = file.bytes ?? (await readFile(file.path!));
      const crc = crc32(data);
      const packed = await deflate(data, { level: 6 });
      const name = Buffer.from(file.name, 'utf8');
      if (data.length >= zip32Max || offset + packed.length + 30 + name.length >= zip32Max) {
        throw new RangeError('The data folder is too large for one archive (over 4 GB).');
      }
      const local = Buffer.alloc(30);
      local.writeUInt32LE(localHeaderSignature, 0);
      local.writeUInt16LE(20, 4);
      local.writeUInt16LE(0x800, 6); // names are UTF-8
      local.writeUInt16LE(8, 8);
      local.writeUInt32LE(crc, 14);
      local.writeUInt32LE(packed.length, 18);
      local.writeUInt32LE(data.length, 22);
      local.writeUInt16LE(name.length, 26);
      await out.write(Buffer.concat([local, name]));
      await out.write(packed);
      const header = Buffer.alloc(46);
      header.writeUInt32LE(centralHeaderSignature, 0);
      header.writeUInt16LE(20, 4);
      header.writeUInt16LE(20, 6);
      header.writeUInt16LE(0x800, 8);
      header.writeUInt16LE(8, 10);
      header.writeUInt32LE(crc, 16);
      header.writeUInt32LE(packed.length, 20);
      header.writeUInt32LE(data.length, 24);
      header.writeUInt16LE(name.length, 28);
      header.writeUInt32LE(offset, 42);
      central.push(header, name);
      offset += 30 + name.length + packed.length;
      count += 1;
    }
    const directory = Buffer.concat(central);
    if (count >= 0xffff || offset + directory.length >= zip32Max) {
      throw new RangeError('The data folder is too large for one archive.');
    }
    const end = Buffer.alloc(22);
    end.writeUInt32LE(endSignature, 0);
    end.writeUInt16LE(count, 8);
    end.writeUInt16LE(count, 10);
    end.writeUInt32LE(directory.length, 12);
    end.writeUInt32LE(offset, 16);
    await out.write(Buffer.concat([directory, end]));
    await out.sync();
  } finally {
    await out.close();
  }
}

async function readAt(file: FileHandle, position: number, length: number): Promise<Buffer> {
  const buffer = Buffer.alloc(length);
  const { bytesRead } = await file.read(buffer, 0, length, position);
  return buffer.subarray(0, bytesRead);
}
