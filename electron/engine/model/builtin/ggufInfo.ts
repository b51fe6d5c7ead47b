/**
 * What Keel needs to know about a GGUF model file before handing it to llama.cpp: its architecture,
 * context length and what it can do. Read by Keel itself, within limits, because the file is hostile
 * until checked (a bogus header can make node-llama-cpp's own reader hang or grow without end).
 *
 * Layout: ggml's docs/gguf.md (magic "GGUF", version 2 or 3, tensor count, key count, then the keys).
 */
import { open } from 'node:fs/promises';

export interface GgufInfo {
  architecture: string;
  contextLength: number | undefined;
  capabilities: string[];
}

/** The most of the file read for its keys (the vocabulary of a large model fits). */
const HEADER_BYTES = 48 * 2 ** 20;
const MAX_KEYS = 100_000;
const MAX_STRING = 16 * 2 ** 20;

/** Architectures that only turn text into vectors. */
const embeddingArchitectures = new Set([
  'bert',
  'nomic-bert',
  'nomic-bert-moe',
  'jina-bert-v2',
  'jina-bert-v3',
  'neo-bert',
  'modern-bert',
  't5encoder',
]);

class Truncated extends Error {}

export async function readGgufInfo(path: string): Promise<GgufInfo> {
  const file = await open(path, 'r');
  let bytes: Buffer;
  try {
    const buffer = Buffer.alloc(Math.min(HEADER_BYTES, (await file.stat()).size));
    const { bytesRead } = await file.read(buffer, 0, buffer.length, 0);
    bytes = buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
  if (bytes.length < 24 || bytes.toString('latin1', 0, 4) !== 'GGUF') {
    throw new Error('This is not a GGUF model file.');
  }
  const version = bytes.readUInt32LE(4);
  if (version !== 2 && version !== 3) throw new Error(`GGUF version ${version} is not one Keel reads.`);
  const keys = new Map<string, unknown>();
  let at = 8;
  const need = (n: number) => {
    if (at + n > bytes.length) throw new Truncated();
  };
  const u64 = () => {
    need(8);
    const value = bytes.readBigUInt64LE(at);
    at += 8;
    if (value > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error('The GGUF header holds an impossible size.');
    return Number(value);
  };
  const string = () => {
    const length = u64();
    if (length > MAX_STRING) throw new Error('The GGUF header holds an impossibly long text.');
    need(length);
    const value = bytes.toString('utf8', at, at + length);
    at += length;
    return value;
  };
  const sizes: Record<number, number> = {
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
  const value = (type: number): unknown => {
    switch (type) {
      case 4:
        need(4);
        return bytes.readUInt32LE((at += 4) - 4);
      case 5:
        need(4);
        return bytes.readInt32LE((at += 4) - 4);
      case 10:
      case 11:
        return u64();
      case 8:
        return string();
      case 9: {
        need(4);
        const of = bytes.readUInt32LE(at);
        at += 4;
        const count = u64();
        if (of === 8) {
          for (let i = 0; i < count; i++) string();
        } else {
          const size = sizes[of];
          if (size === undefined) throw new Error('The GGUF header holds an unknown kind of list.');
          need(count * size);
          at += count * size;
        }
        return undefined;
      }
      default: {
        const size = sizes[type];
        if (size === undefined) throw new Error('The GGUF header holds an unknown kind of value.');
        need(size);
        at += size;
        return undefined;
      }
    }
  };
  try {
    u64(); // tensor count
    const keyCount = u64();
    if (keyCount > MAX_KEYS) throw new Error('The GGUF header holds too many keys.');
    for (let i = 0; i < keyCount; i++) {
      const key = string();
      need(4);
      const type = bytes.readUInt32LE(at);
      at += 4;
      keys.set(key, value(type));
    }
  } catch (error) {
    // A header longer than what was read still tells what came before (the architecture comes first).
    if (!(error instanceof Truncated)) throw error;
  }
  const architecture = keys.get('general.architecture');
  if (typeof architecture !== 'string')
    throw new Error('The GGUF file does not say what kind of model it is.');
  const contextLength = keys.get(`${architecture}.context_length`);
  const pooling = keys.get(`${architecture}.pooling_type`);
  const template = keys.get('tokenizer.chat_template');
  const embeds = embeddingArchitectures.has(architecture) || (typeof pooling === 'number' && pooling > 0);
  const capabilities = embeds
    ? ['embedding']
    : ['completion', ...(typeof template === 'string' && template.includes('<think>') ? ['thinking'] : [])];
  return {
    architecture,
    contextLength: typeof contextLength === 'number' ? contextLength : undefined,
    capabilities,
  };
}
