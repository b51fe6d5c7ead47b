import { describe, expect, it } from 'vitest';
import { chunkBlocks } from './chunk';

describe('chunkBlocks', () => {
  it('joins neighbours at the same place and starts a new passage where the place changes', () => {
    const chunks = chunkBlocks([
      { page: 1, text: 'One.' },
      { page: 1, text: 'Two.' },
      { page: 2, text: 'Three.' },
      { page: 2, section: 'Pricing', text: 'Four.' },
    ]);
    expect(chunks).toEqual([
      { page: 1, text: 'One.\n\nTwo.' },
      { page: 2, text: 'Three.' },
      { page: 2, section: 'Pricing', text: 'Four.' },
    ]);
  });

  it('cuts a long block between sentences, and an endless word where it must', () => {
    const sentence = 'Restaurants value quiet machines above speed. ';
    const chunks = chunkBlocks([{ section: 'Pilot', text: sentence.repeat(10).trim() }], 100);
    expect(chunks.length).toBeGreaterThan(3);
    for (const chunk of chunks) {
      expect(chunk.text.length).toBeLessThanOrEqual(100);
      expect(chunk.text.endsWith('speed.')).toBe(true);
      expect(chunk.section).toBe('Pilot');
    }
    const blob = chunkBlocks([{ text: `see ${'x'.repeat(250)} end` }], 100);
    expect(blob.map((chunk) => chunk.text.length).every((length) => length <= 100)).toBe(true);
    expect(blob.map((chunk) => chunk.text).join('')).toContain('end');
  });
});
