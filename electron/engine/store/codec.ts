/**
 * How a document's text becomes bytes on disk. Plain UTF-8 today; the encryption at rest plugs in
 * here as a second codec, so every file the store writes passes through one place.
 */
export interface Codec {
  encode(text: string): Uint8Array | string;
  decode(bytes: Buffer): string;
}

export const plainCodec: Codec = {
  encode: (text) => text,
  decode: (bytes) => bytes.toString('utf8'),
};
