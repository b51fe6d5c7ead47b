import { fromMarkdown } from 'mdast-util-from-markdown';
import { describe, expect, it } from 'vitest';
import { hasCitations, splitCitations } from './citations';
import { remarkPassageCitations } from './remarkPassageCitations';

describe('splitCitations', () => {
  it('finds single and grouped markers, and gives the text back whole', () => {
    const text = 'Churn fell [P1]. Prices rose [P2, P3]; see also [P4; P10] and [P5][P6].';
    const pieces = splitCitations(text);
    expect(pieces.filter((piece) => 'marker' in piece)).toEqual([
      { marker: '[P1]', labels: ['P1'] },
      { marker: '[P2, P3]', labels: ['P2', 'P3'] },
      { marker: '[P4; P10]', labels: ['P4', 'P10'] },
      { marker: '[P5]', labels: ['P5'] },
      { marker: '[P6]', labels: ['P6'] },
    ]);
    expect(pieces.map((piece) => ('text' in piece ? piece.text : piece.marker)).join('')).toBe(text);
  });

  it('leaves other brackets alone', () => {
    expect(splitCitations('[E1] [p1] [P] [Page 2] [P1 and P2]')).toEqual([
      { text: '[E1] [p1] [P] [Page 2] [P1 and P2]' },
    ]);
    expect(hasCitations('no markers here')).toBe(false);
    expect(hasCitations('one [P12]')).toBe(true);
  });
});

describe('remarkPassageCitations', () => {
  it('turns markers in prose into cite elements with their labels, but not in code or links', () => {
    const tree = fromMarkdown('Churn fell [P1, P3]. **Bold [P2]** `[P4]` [a link [P5]](https://example.com)');
    remarkPassageCitations()(tree);
    const paragraph = tree.children[0];
    if (paragraph?.type !== 'paragraph') throw new Error('expected a paragraph');
    const cites = JSON.stringify(paragraph).match(/"dataLabels":"[^"]*"/g);
    expect(cites).toEqual(['"dataLabels":"P1 P3"', '"dataLabels":"P2"']);
    expect(paragraph.children[0]).toEqual({ type: 'text', value: 'Churn fell ' });
    expect(paragraph.children[1]).toMatchObject({
      type: 'text',
      value: '[P1, P3]',
      data: { hName: 'cite' },
    });
  });
});
