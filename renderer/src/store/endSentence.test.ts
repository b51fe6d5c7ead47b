import { describe, expect, it } from 'vitest';
import { endSentence } from './endSentence';

describe('ending a sentence', () => {
  it('adds a full stop to words without one', () => {
    expect(endSentence('notes.md: The disk is full')).toBe('notes.md: The disk is full.');
  });

  it('never doubles the mark a message already ends with', () => {
    expect(endSentence('a.pdf: Keel is locked. Unlock it with your passphrase first.')).toBe(
      'a.pdf: Keel is locked. Unlock it with your passphrase first.',
    );
    expect(endSentence('Is Ollama running?')).toBe('Is Ollama running?');
    expect(endSentence('Still reading…')).toBe('Still reading…');
    expect(endSentence('It said “try again.”')).toBe('It said “try again.”');
    expect(endSentence('(see the log.)')).toBe('(see the log.)');
  });

  it('drops trailing space before deciding, and leaves nothing as nothing', () => {
    expect(endSentence('Saved. \n')).toBe('Saved.');
    expect(endSentence('Saved ')).toBe('Saved.');
    expect(endSentence('  ')).toBe('');
  });
});
