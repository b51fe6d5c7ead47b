import { describe, expect, it } from 'vitest';
import { filterCommands } from './filterCommands';

const entries = [
  { id: 'explore', label: 'Explore', keywords: 'options angles' },
  { id: 'challenge', label: 'Challenge', keywords: 'pushback' },
  { id: 'loop-1', label: 'Go to loop: Pricing review', keywords: 'Acme Corp' },
  { id: 'export', label: 'Export as Markdown' },
];

describe('filtering the command palette', () => {
  it('lists everything when nothing is typed', () => {
    expect(filterCommands(entries, '  ').map((entry) => entry.id)).toEqual([
      'explore',
      'challenge',
      'loop-1',
      'export',
    ]);
  });

  it('finds by every word typed, in label or keywords, in any case', () => {
    expect(filterCommands(entries, 'acme pricing').map((entry) => entry.id)).toEqual(['loop-1']);
    expect(filterCommands(entries, 'PUSHBACK').map((entry) => entry.id)).toEqual(['challenge']);
    expect(filterCommands(entries, 'nothing like this')).toEqual([]);
  });

  it('puts labels that start with what was typed first', () => {
    expect(filterCommands(entries, 'ex').map((entry) => entry.id)).toEqual(['explore', 'export']);
    expect(filterCommands(entries, 'mark').map((entry) => entry.id)).toEqual(['export']);
  });
});
