import { describe, expect, it } from 'vitest';
import type { AiTurn, PersonTurn, Turn } from './domain';
import { insertTurn, mergeTimeline, placeTurn } from './turnPlacement';

const aiTurn = (id: string, extra: Partial<AiTurn> = {}): AiTurn => ({
  id,
  loopId: 'loop-1',
  author: 'ai',
  move: 'explore',
  text: `text of ${id}`,
  status: 'complete',
  createdAt: '2025-01-01T10:02:00.000Z',
  updatedAt: '2025-01-01T10:02:00.000Z',
  ...extra,
});

const explore = aiTurn('turn-a', { text: 'Options' });
const note: PersonTurn = {
  id: 'turn-b',
  loopId: 'loop-1',
  author: 'person',
  move: 'say',
  text: 'My note',
  status: 'complete',
  createdAt: '2025-01-01T10:02:00.000Z',
  updatedAt: '2025-01-01T10:02:00.000Z',
};
const ids = (turns: readonly Turn[]) => turns.map((turn) => turn.id);

describe('insertTurn', () => {
  it('puts a new version right after the last version of its move', () => {
    const second = aiTurn('turn-a2', { versionOf: 'turn-a' });
    const version = aiTurn('turn-a3', { versionOf: 'turn-a' });
    expect(ids(insertTurn([explore, second, note], version))).toEqual([
      'turn-a',
      'turn-a2',
      'turn-a3',
      'turn-b',
    ]);
  });

  it('a new version becomes the one shown: the version kept before no longer counts', () => {
    const kept = { ...explore, chosenVersion: 'turn-a' };
    const version = aiTurn('turn-a3', { versionOf: 'turn-a' });
    const turns = insertTurn([kept, note], version);
    expect(ids(turns)).toEqual(['turn-a', 'turn-a3', 'turn-b']);
    expect(turns[0]?.chosenVersion).toBeUndefined();
  });

  it('inserts turns without a group at the end', () => {
    expect(ids(insertTurn([explore], note))).toEqual(['turn-a', 'turn-b']);
    const orphan = aiTurn('turn-x', { versionOf: 'turn-gone' });
    expect(ids(insertTurn([explore], orphan))).toEqual(['turn-a', 'turn-x']);
  });
});

describe('placeTurn', () => {
  const streaming = aiTurn('turn-s', { text: 'Three options so far', status: 'streaming' });

  it('adds a turn it does not know, in either mode', () => {
    for (const how of ['replace', 'insert-only'] as const) {
      expect(placeTurn([explore], streaming, how)).toEqual({ turns: [explore, streaming], added: true });
    }
  });

  it('never replaces a known turn in insert-only mode', () => {
    expect(placeTurn([streaming], { ...streaming, text: '' }, 'insert-only')).toBeNull();
  });

  it('keeps text that already streamed in when a shorter streaming copy arrives', () => {
    const placed = placeTurn([streaming], { ...streaming, text: 'Three' }, 'replace');
    expect(placed?.added).toBe(false);
    expect(placed?.turns[0]?.text).toBe('Three options so far');
  });

  it('takes the finished turn whole, even when shorter', () => {
    const finished = { ...streaming, text: 'Three', status: 'stopped' as const };
    expect(placeTurn([streaming], finished, 'replace')?.turns).toEqual([finished]);
  });

  it('never lets a streaming copy replace a finished turn', () => {
    expect(placeTurn([explore], { ...explore, status: 'streaming' }, 'replace')).toBeNull();
  });
});

describe('mergeTimeline', () => {
  it('keeps streamed text and turns the engine did not know of yet', () => {
    const streaming = aiTurn('turn-s', { text: 'Streamed so far', status: 'streaming' });
    const started = aiTurn('turn-new', { status: 'streaming', text: '' });
    const merged = mergeTimeline([note, streaming, started], [note, { ...streaming, text: 'Str' }]);
    expect(ids(merged)).toEqual(['turn-b', 'turn-s', 'turn-new']);
    expect(merged[1]?.text).toBe('Streamed so far');
  });

  it('takes the engine’s text once the turn is no longer streaming', () => {
    const streaming = aiTurn('turn-s', { text: 'Streamed so far', status: 'streaming' });
    const done = { ...streaming, text: 'Done', status: 'complete' as const };
    expect(mergeTimeline([streaming], [done])).toEqual([done]);
  });
});
