import { describe, expect, it } from 'vitest';
import type { AiTurn } from '../../../../shared/domain';
import { createTimelineEntries } from './timelineEntries';

const at = '2024-01-01T00:00:00.000Z';
function turn(id: string, extra: Partial<AiTurn> = {}): AiTurn {
  return {
    id,
    loopId: 'loop-1',
    author: 'ai',
    move: 'explore',
    text: `Text of ${id}`,
    status: 'complete',
    createdAt: at,
    updatedAt: at,
    ...extra,
  };
}

describe('createTimelineEntries', () => {
  it('shows one entry per move, the current version with all its versions', () => {
    const toEntries = createTimelineEntries();
    const entries = toEntries([turn('a'), turn('b'), turn('b2', { versionOf: 'b' }), turn('c')]);
    expect(entries.map((entry) => [entry.group, entry.turn.id, entry.versions?.length])).toEqual([
      ['a', 'a', undefined],
      ['b', 'b2', 2],
      ['c', 'c', undefined],
    ]);
  });

  it('reuses every entry whose turns did not change, so their views skip rendering', () => {
    const toEntries = createTimelineEntries();
    const turns = [turn('a'), turn('b'), turn('b2', { versionOf: 'b' }), turn('c', { status: 'streaming' })];
    const before = toEntries(turns);
    // A streamed word: the last turn is a new object, every other turn the same one.
    const streamed = [...turns.slice(0, 3), { ...turns[3]!, text: 'More' }];
    const after = toEntries(streamed);
    expect(after[0]).toBe(before[0]);
    expect(after[1]).toBe(before[1]);
    expect(after[1]?.versions).toBe(before[1]?.versions);
    expect(after[2]).not.toBe(before[2]);
    expect(after[2]?.turn.text).toBe('More');
  });

  it('gives a regenerated move a new list of versions when a version changes or is added', () => {
    const toEntries = createTimelineEntries();
    const turns = [turn('b'), turn('b2', { versionOf: 'b', status: 'streaming' })];
    const before = toEntries(turns);
    const streamed = toEntries([turns[0]!, { ...turns[1]!, text: 'Longer' }]);
    expect(streamed[0]).not.toBe(before[0]);
    expect(streamed[0]?.versions?.[1]?.text).toBe('Longer');
    const added = toEntries([...streamed[0]!.versions!, turn('b3', { versionOf: 'b' })]);
    expect(added[0]?.turn.id).toBe('b3');
    expect(added[0]?.versions).toHaveLength(3);
  });

  it('follows the version the person kept', () => {
    const toEntries = createTimelineEntries();
    const entries = toEntries([turn('b', { chosenVersion: 'b' }), turn('b2', { versionOf: 'b' })]);
    expect(entries[0]?.turn.id).toBe('b');
  });
});
