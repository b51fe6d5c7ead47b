import { describe, expect, it } from 'vitest';
import { TextIndex } from './TextIndex';

const all = () => true;

function sample(): TextIndex<{ kind: string }> {
  const index = new TextIndex<{ kind: string }>();
  index.add({ id: 'a', text: 'Pricing for small accounts, churn is rising', meta: { kind: 'turn' } });
  index.add({ id: 'b', text: 'Churn churn churn: the board memo on churn', meta: { kind: 'draft' } });
  index.add({ id: 'c', text: 'A partner channel in Germany', meta: { kind: 'turn' } });
  return index;
}

describe('the text index', () => {
  it('finds documents holding every word, the most relevant first, and the last word as a prefix', () => {
    const index = sample();
    expect(index.search('churn', all, 10).map((hit) => hit.id)).toEqual(['b', 'a']);
    expect(index.search('churn pricing', all, 10).map((hit) => hit.id)).toEqual(['a']);
    expect(index.search('pric', all, 10).map((hit) => hit.id)).toEqual(['a']);
    expect(index.search('germ', all, 10)[0]).toMatchObject({ id: 'c', terms: ['germany'] });
    expect(index.search('the', all, 10)).toEqual([]);
    expect(index.search('churn', (meta) => meta.kind === 'turn', 10).map((hit) => hit.id)).toEqual(['a']);
    expect(index.search('churn', all, 1).map((hit) => hit.id)).toEqual(['b']);
  });

  it('forgets removed and replaced documents, and keeps only live ones on disk', () => {
    const index = sample();
    index.discard('b');
    index.add({ id: 'a', text: 'Attrition among small accounts', meta: { kind: 'turn' } });
    expect(index.search('churn', all, 10)).toEqual([]);
    expect(index.search('attrition', all, 10).map((hit) => hit.id)).toEqual(['a']);
    const copy = TextIndex.fromJSON(
      JSON.parse(JSON.stringify(index.toJSON())) as ReturnType<typeof index.toJSON>,
    );
    expect(copy.size).toBe(2);
    expect(copy.has('b')).toBe(false);
    expect(copy.search('attrition', all, 10).map((hit) => hit.id)).toEqual(['a']);
    copy.add({ id: 'd', text: 'Attrition again', meta: { kind: 'turn' } });
    expect(
      copy
        .search('attrition', all, 10)
        .map((hit) => hit.id)
        .sort(),
    ).toEqual(['a', 'd']);
  });
});
