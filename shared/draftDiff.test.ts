import { describe, expect, it } from 'vitest';
import { applyHunks, applyHunksTo, draftHunks } from './draftDiff';

const base = '# Plan\n\nWe enter Germany.\n\nPrice high.\n\nHire locally.\n';
const proposal =
  '# Plan\n\nWe enter Germany and Austria.\n\nPrice high.\n\nHire a local team.\n\nReview in Q3.\n';

describe('draft hunks', () => {
  it('numbers each run of changed lines with what goes, what comes and where it sits', () => {
    expect(draftHunks(base, proposal)).toEqual([
      {
        index: 0,
        removed: 'We enter Germany.\n',
        added: 'We enter Germany and Austria.\n',
        before: '# Plan',
      },
      {
        index: 1,
        removed: 'Hire locally.\n',
        added: 'Hire a local team.\n\nReview in Q3.\n',
        before: 'Price high.',
      },
    ]);
    expect(draftHunks(base, base)).toEqual([]);
  });

  it('takes all, some or none of them', () => {
    expect(applyHunks(base, proposal, [0, 1])).toBe(proposal);
    expect(applyHunks(base, proposal, [])).toBe(base);
    expect(applyHunks(base, proposal, [1])).toBe(
      '# Plan\n\nWe enter Germany.\n\nPrice high.\n\nHire a local team.\n\nReview in Q3.\n',
    );
  });

  it('writes a first draft into an empty one as a single change', () => {
    expect(draftHunks('', 'A first draft.\n')).toEqual([
      { index: 0, removed: '', added: 'A first draft.\n', before: '' },
    ]);
    expect(applyHunks('', 'A first draft.\n', [0])).toBe('A first draft.\n');
  });

  it('carries taken changes onto a draft edited elsewhere, or says they no longer fit', () => {
    const edited = base.replace('# Plan', '# The plan');
    expect(applyHunksTo(edited, base, proposal, [0])).toBe(
      '# The plan\n\nWe enter Germany and Austria.\n\nPrice high.\n\nHire locally.\n',
    );
    expect(applyHunksTo('Something else.\n', base, proposal, [0])).toBeUndefined();
  });
});
