/**
 * Keel reads a GGUF file's kind, context length and capabilities itself, within limits, before
 * llama.cpp sees it: real (tiny) models are read right, and hostile headers fail fast in words.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { writeTinyGguf } from '../../../../tests/fixtures/tinyGguf';
import { readGgufInfo } from './ggufInfo';

let folder: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'keel-gguf-info-'));
});

afterAll(async () => {
  if (folder) await rm(folder, { recursive: true, force: true });
});

function header(version: number, keyCount: bigint, rest: Buffer = Buffer.alloc(0)): Buffer {
  const head = Buffer.alloc(24);
  head.write('GGUF', 0, 'latin1');
  head.writeUInt32LE(version, 4);
  head.writeBigUInt64LE(0n, 8);
  head.writeBigUInt64LE(keyCount, 16);
  return Buffer.concat([head, rest]);
}

async function fileWith(name: string, bytes: Buffer): Promise<string> {
  const path = join(folder, name);
  await writeFile(path, bytes);
  return path;
}

describe('reading a GGUF header', () => {
  it('tells a chat model from an embedding model, with its context length', async () => {
    const chat = await writeTinyGguf(join(folder, 'chat.gguf'), { contextLength: 4096 });
    expect(await readGgufInfo(chat.path)).toEqual({
      architecture: 'llama',
      contextLength: 4096,
      capabilities: ['completion'],
    });
    const embed = await writeTinyGguf(join(folder, 'embed.gguf'), { embeddingModel: true });
    expect(await readGgufInfo(embed.path)).toMatchObject({ capabilities: ['embedding'] });
  });

  it('calls a model whose chat template writes <think> a thinking model', async () => {
    const thinking = await writeTinyGguf(join(folder, 'think.gguf'), {
      scripted: { thought: 'Why?', answer: 'Yes.' },
    });
    expect(await readGgufInfo(thinking.path)).toMatchObject({ capabilities: ['completion', 'thinking'] });
  });

  it('refuses what is not a GGUF file', async () => {
    await expect(
      readGgufInfo(await fileWith('text.gguf', Buffer.from('just some text, no model'))),
    ).rejects.toThrow('This is not a GGUF model file.');
  });

  it('refuses a GGUF version it does not know (the header node-llama-cpp reads on and on)', async () => {
    await expect(readGgufInfo(await fileWith('v9.gguf', header(9, 1n)))).rejects.toThrow(/GGUF version 9/);
  });

  it('refuses impossible counts and lengths instead of allocating them', async () => {
    await expect(readGgufInfo(await fileWith('keys.gguf', header(3, 2n ** 62n)))).rejects.toThrow(
      /impossible size|too many keys/,
    );
    const hugeString = Buffer.alloc(8);
    hugeString.writeBigUInt64LE(2n ** 40n);
    await expect(readGgufInfo(await fileWith('string.gguf', header(3, 1n, hugeString)))).rejects.toThrow(
      /impossibly long text/,
    );
  });

  it('says when a header ends before it names the kind of model', async () => {
    const key = Buffer.alloc(8);
    key.writeBigUInt64LE(20n);
    await expect(
      readGgufInfo(
        await fileWith('cut.gguf', header(3, 5n, Buffer.concat([key, Buffer.from('general.arch')]))),
      ),
    ).rejects.toThrow('The GGUF file does not say what kind of model it is.');
  });
});
