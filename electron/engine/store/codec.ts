/**
 * How a document's text becomes bytes on disk. Plain UTF-8 today; the encryption at rest plugs in
 * here as a second codec, so every file the store writes passes through one place.
 */
export interface Codec {
  /** `path` is where the bytes go: a sealed file is bound to its place in the data folder. */
  encode(text: string, path: string): Uint8Array | string;
  /** Throws when the bytes are not what Keel would have written at `path`. */
  decode(bytes: Buffer, path: string): string;
}

export const plainCodec: Codec = {
  encode: (text) => text,
  decode: (bytes) => bytes.toString('utf8'),
};
