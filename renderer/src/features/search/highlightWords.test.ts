import { describe, expect, it } from 'vitest';
import { highlightWords, queryWords } from './highlightWords';

const marked = (snippet: string, query: string) =>
  highlightWords(snippet, query)
    .filter((part) => part.marked)
    .map((part) => part.text);

describe('highlightWords', () => {
  it('marks whole words that start with a query word, ignoring case and accents', () => {
    expect(marked('Our Pricing is priced per seat; price lists follow.', 'pric')).toEqual([
      'Pricing',
      'priced',
      'price',
    ]);
    expect(marked('Lunch at the Café near the office', 'cafe office')).toEqual(['Café', 'office']);
  });

  it('gives the snippet back whole, with nothing marked when nothing matches', () => {
    const snippet = '… the budget is thin, and Sweden is crowded …';
    const parts = highlightWords(snippet, 'budget');
    expect(parts.map((part) => part.text).join('')).toBe(snippet);
    expect(highlightWords(snippet, 'zebra')).toEqual([{ text: snippet, marked: false }]);
    expect(highlightWords(snippet, '  ')).toEqual([{ text: snippet, marked: false }]);
  });

  it('does not mark a word only containing a query word in its middle', () => {
    expect(marked('Unpriced options', 'price')).toEqual([]);
  });

  it('splits the query into words at punctuation', () => {
    expect(queryWords('Q1 board-pack, "memos"')).toEqual(['q1', 'board', 'pack', 'memos']);
  });
});
