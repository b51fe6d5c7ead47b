/**
 * How far a zip file (a Word document is one) really expands, checked before any reader opens it:
 * a file of a few hundred kilobytes can hold gigabytes of repeated XML, and a reader that unpacks it
 * runs out of memory. Every part listed in the zip's directory is unpacked here, only counting its
 * bytes and stopping at the limit, so sizes the file declares (which may lie) are never trusted.
 */
import { inflateRawSync } from 'node:zlib';

export interface ZipLimits {
  /** The most bytes one part may unpack to. */
  partBytes: number;
  /** The most bytes all parts together may unpack to. */
  totalBytes: number;
  /** The most parts a zip may list. */
  parts: number;
}

/** Why a zip is refused, in words (the caller names the file). */
export class ZipRefusal extends Error {
  override name = 'ZipRefusal';
}

const endOfDirectory = 0x06054b50;
const zip64EndOfDirectory = 0x06064b50;
const zip64Locator = 0x07064b50;
const directoryEntry = 0x02014b50;
const localHeader = 0x04034b50;

/**
 * Throws a `ZipRefusal` when the zip lists too many parts, a part unpacks past `partBytes`, or all
 * together past `totalBytes`; a `ZipRefusal` too when its directory is damaged. Returns the bytes
 * it unpacks to.
 */
export function assertZipExpandsWithin(bytes: Uint8Array, limits: ZipLimits): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const end = findEndOfDirectory(view);
  let count = view.getUint16(end + 10, true);
  let directoryOffset = view.getUint32(end + 16, true);
  if (count === 0xffff || directoryOffset === 0xffffffff) {
    // Zip64: the real figures are in the Zip64 end record the locator before this one points at.
    const locator = end - 20;
    if (locator < 0 || view.getUint32(locator, true) !== zip64Locator) throw damaged();
    const record = Number(view.getBigUint64(locator + 8, true));
    if (record + 56 > view.byteLength || view.getUint32(record, true) !== zip64EndOfDirectory)
      throw damaged();
    count = Number(view.getBigUint64(record + 32, true));
    directoryOffset = Number(view.getBigUint64(record + 48, true));
  }
  if (count > limits.parts) {
    throw new ZipRefusal(`it is made of more than ${limits.parts.toLocaleString('en')} parts`);
  }
  let total = 0;
  let at = directoryOffset;
  for (let part = 0; part < count; part += 1) {
    if (at + 46 > view.byteLength || view.getUint32(at, true) !== directoryEntry) throw damaged();
    const method = view.getUint16(at + 10, true);
    let compressedSize = view.getUint32(at + 20, true);
    const nameLength = view.getUint16(at + 28, true);
    const extraLength = view.getUint16(at + 30, true);
    const commentLength = view.getUint16(at + 32, true);
    let offset = view.getUint32(at + 42, true);
    const extra = at + 46 + nameLength;
    if (compressedSize === 0xffffffff || offset === 0xffffffff) {
      const wide = zip64Fields(view, extra, extraLength, [
        view.getUint32(at + 24, true) === 0xffffffff,
        compressedSize === 0xffffffff,
        offset === 0xffffffff,
      ]);
      if (compressedSize === 0xffffffff) compressedSize = wide[1] ?? throwDamaged();
      if (offset === 0xffffffff) offset = wide[2] ?? throwDamaged();
    }
    at = extra + extraLength + commentLength;

    if (offset + 30 > view.byteLength || view.getUint32(offset, true) !== localHeader) throw damaged();
    const dataStart = offset + 30 + view.getUint16(offset + 26, true) + view.getUint16(offset + 28, true);
    if (dataStart + compressedSize > view.byteLength) throw damaged();
    const data = bytes.subarray(dataStart, dataStart + compressedSize);
    const room = Math.min(limits.partBytes, limits.totalBytes - total);
    let size: number;
    if (method === 0) size = data.length;
    else if (method === 8) size = inflatedSize(data, room);
    else throw new ZipRefusal('it is packed in a way Keel does not unpack');
    if (size > limits.partBytes) {
      throw new ZipRefusal(
        `a part of it expands to more than ${megabytes(limits.partBytes)} MB when unpacked`,
      );
    }
    total += size;
    if (total > limits.totalBytes) {
      throw new ZipRefusal(`it expands to more than ${megabytes(limits.totalBytes)} MB when unpacked`);
    }
  }
  return total;
}

/** The bytes a deflated part unpacks to, or `room + 1` as soon as it passes `room`. */
function inflatedSize(data: Uint8Array, room: number): number {
  try {
    return inflateRawSync(data, { maxOutputLength: Math.max(1, room) }).length;
  } catch (error) {
    if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE') return room + 1;
    throw damaged();
  }
}

/**
 * The 64-bit figures of a Zip64 extra field: the uncompressed size, the compressed size and the
 * offset, each present only when its 32-bit field is full (`present`), in that order.
 */
function zip64Fields(
  view: DataView,
  start: number,
  length: number,
  present: readonly boolean[],
): (number | undefined)[] {
  for (let at = start; at + 4 <= start + length;) {
    const id = view.getUint16(at, true);
    const size = view.getUint16(at + 2, true);
    if (id === 0x0001) {
      let field = at + 4;
      return present.map((isPresent) => {
        if (!isPresent || field + 8 > at + 4 + size) return undefined;
        field += 8;
        return Number(view.getBigUint64(field - 8, true));
      });
    }
    at += 4 + size;
  }
  return [];
}

function findEndOfDirectory(view: DataView): number {
  // The end record is 22 bytes plus a comment of at most 65,535.
  const last = view.byteLength - 22;
  for (let at = last; at >= Math.max(0, last - 0xffff); at -= 1) {
    if (view.getUint32(at, true) === endOfDirectory) return at;
  }
  throw damaged();
}

function damaged(): ZipRefusal {
  return new ZipRefusal('the file is damaged');
}

function throwDamaged(): never {
  throw damaged();
}

function megabytes(bytes: number): string {
  return String(Math.round(bytes / (1024 * 1024)));
}
