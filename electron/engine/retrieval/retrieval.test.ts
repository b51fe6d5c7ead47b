import { describe, expect, it } from 'vitest';
import { FullTextIndex } from './FullTextIndex';
import { RankFusion } from './fusion';
import { maxQueryTerms, queryTerms } from './query';
import { estimateTokens } from './tokens';
import { cosine, mostSimilar } from './vectors';

describe('retrieval', () => {
  it('searches by the distinct content words of a request, at most 24 of them', () => {
    expect(queryTerms('What is the price of the pricing, the price?')).toEqual(['price', 'pricing']);
    const long = Array.from({ length: 40 }, (_, at) => `word${at}`).join(' ');
    expect(queryTerms(long)).toHaveLength(maxQueryTerms);
    expect(queryTerms('the and of')).toEqual([]);
  });

  it('fuses rankings by rank: a document high in both beats one first in only one', () => {
    const fused = new RankFusion().add(['a', 'b', 'c']).add(['b', 'c']).scores;
    expect([...fused.entries()].sort((x, y) => y[1] - x[1]).map(([id]) => id)).toEqual(['b', 'c', 'a']);
    expect(fused.get('a')).toBeCloseTo(1 / 60);
  });

  it('ranks by meaning, leaving out unrelated and mismatched vectors', () => {
    expect(cosine([1, 0], [1, 0])).toBeCloseTo(1);
    expect(cosine([1, 0], [1, 0, 0])).toBe(0);
    expect(cosine([1, 0], undefined)).toBe(0);
    const keys = mostSimilar(
      [1, 0],
      [
        { key: 'unrelated', vector: [0, 1] },
        { key: 'close', vector: [0.9, 0.1] },
        { key: 'same', vector: [2, 0] },
        { key: 'none', vector: undefined },
      ],
    );
    expect(keys).toEqual(['same', 'close']);
  });

  it('finds documents by stemmed words, only among those it may', () => {
    const index = new FullTextIndex({ fields: ['text'] });
    index.addAll([
      { id: 'm1', text: 'Prices rose in March' },
      { id: 'm2', text: 'The price of tea' },
      { id: 'm3', text: 'Nothing to see' },
    ]);
    const hits = index.search(queryTerms('price'), { keep: (id) => id !== 'm2' });
    expect(hits.map((hit) => hit.id)).toEqual(['m1']);
    index.discard('m1');
    expect(index.search(queryTerms('price'), { keep: () => true }).map((hit) => hit.id)).toEqual(['m2']);
    expect(index.search([], { keep: () => true })).toEqual([]);
  });

  it('estimates about four characters a token', () => {
    expect(estimateTokens('')).toBe(4);
    expect(estimateTokens('x'.repeat(40))).toBe(14);
  });
});
