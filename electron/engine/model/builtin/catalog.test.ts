import { describe, expect, it } from 'vitest';
import {
  builtinCatalog,
  catalogEntryFor,
  parseCatalogSource,
  recommendModels,
  type CatalogEntry,
} from './catalog';

const GB = 1024 ** 3;
const entries = builtinCatalog.entries;
const pick = (memoryGb: number, gpu: Parameters<typeof recommendModels>[0]['gpu'] = null) =>
  recommendModels({ memoryBytes: memoryGb * GB, gpu }, entries);

describe('the model catalog', () => {
  it('holds a chat model of about 1 B, one of 3–4 B, one of 7–8 B, a thinking model and an embedding model', () => {
    const ids = entries.map((entry) => entry.id);
    expect(ids).toEqual(
      expect.arrayContaining([
        'llama-3.2-1b-instruct',
        'llama-3.2-3b-instruct',
        'llama-3.1-8b-instruct',
        'qwen3-4b',
        'nomic-embed-text-v1.5',
      ]),
    );
    expect(entries.filter((entry) => entry.kind === 'thinking')).toHaveLength(1);
    expect(entries.filter((entry) => entry.kind === 'embedding')).toHaveLength(1);
  });

  it('pins every download to a fixed revision on Hugging Face, over https, with an exact size and hash', () => {
    const parsed = parseCatalogSource(builtinCatalog);
    for (const entry of parsed.entries) {
      const url = new URL(entry.url);
      expect(url.protocol).toBe('https:');
      expect(url.hostname).toBe('huggingface.co');
      expect(url.pathname).toMatch(/\/resolve\/[0-9a-f]{40}\//);
      expect(url.pathname.endsWith(`/${entry.fileName}`)).toBe(true);
      expect(entry.sha256).toMatch(/^[0-9a-f]{64}$/);
      // A file never takes less memory to run than its own size.
      expect(entry.memoryBytes).toBeGreaterThan(entry.bytes);
    }
  });

  it('refuses a catalog whose download sits on a host it does not name, or whose file name is a path', () => {
    const entry: CatalogEntry = { ...builtinCatalog.entries[0]! };
    expect(() => parseCatalogSource({ entries: [entry], origins: ['https://example.org'] })).toThrow(
      /does not name/,
    );
    expect(() =>
      parseCatalogSource({ entries: [{ ...entry, fileName: '../x.gguf' }], origins: builtinCatalog.origins }),
    ).toThrow();
  });
});

it('names a downloaded file by its catalog entry, and knows nothing of a file the person added', () => {
  expect(catalogEntryFor('nomic-embed-text-v1.5.Q8_0.gguf')?.kind).toBe('embedding');
  expect(catalogEntryFor('my-own-model.gguf')).toBeUndefined();
});

describe('the recommended model', () => {
  it('gives a processor-only 16 GB machine the 3 B model, not the slow 8 B one, and says why', () => {
    const recommendation = pick(16);
    expect(recommendation.chat).toBe('llama-3.2-3b-instruct');
    expect(recommendation.embedding).toBe('nomic-embed-text-v1.5');
    expect(recommendation.reason).toContain('Fits in your 16 GB');
    expect(recommendation.reason).toContain('No graphics processor was found');
  });

  it('gives an 8 GB machine the 3 B model and a 4 GB machine the 1 B model', () => {
    expect(pick(8).chat).toBe('llama-3.2-3b-instruct');
    expect(pick(8).reason).toContain('Fits in your 8 GB');
    expect(pick(4).chat).toBe('llama-3.2-1b-instruct');
    expect(pick(4).reason).toBe('Fits in your 4 GB with room for your other apps.');
  });

  it('gives a 2 GB machine the smallest model and says memory is tight', () => {
    const recommendation = pick(2);
    expect(recommendation.chat).toBe('llama-3.2-1b-instruct');
    expect(recommendation.reason).toMatch(/smallest model.*2 GB.*tight/);
  });

  it('gives a 16 GB Mac the 8 B model, since its graphics processor shares the memory', () => {
    const recommendation = pick(16, { kind: 'metal' });
    expect(recommendation.chat).toBe('llama-3.1-8b-instruct');
    expect(recommendation.reason).toContain("your Mac's graphics processor shares");
  });

  it('picks by the graphics card’s own memory when it has enough', () => {
    const recommendation = pick(8, { kind: 'cuda', vramBytes: 8 * GB });
    expect(recommendation.chat).toBe('llama-3.1-8b-instruct');
    expect(recommendation.reason).toBe(
      "Fits in your graphics card's 8 GB (NVIDIA CUDA), so it answers quickly.",
    );
    // A small card: the model runs from the machine's memory instead.
    expect(pick(8, { kind: 'vulkan', vramBytes: 1 * GB }).chat).toBe('llama-3.2-3b-instruct');
  });

  it('never recommends the thinking model as the first chat model', () => {
    for (const memory of [2, 4, 8, 16, 32, 64]) expect(pick(memory).chat).not.toBe('qwen3-4b');
  });
});
