import { describe, expect, it } from 'vitest';
import type { AiTurn } from './domain';
import { currentVersionIds, reachesModel, versionsOf } from './loopLogic';

const turn = (id: string, extra: Partial<AiTurn> = {}): AiTurn => ({
  id,
  loopId: 'lp-1',
  author: 'ai',
  move: 'explore',
  text: `text of ${id}`,
  status: 'complete',
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...extra,
});

describe('versions of a move', () => {
  it('count the newest until the person keeps one', () => {
    const turns = [
      turn('tn-a'),
      turn('tn-b', { versionOf: 'tn-a' }),
      turn('tn-c', { versionOf: 'tn-a' }),
      turn('tn-d'),
    ];
    expect([...currentVersionIds(turns)].sort()).toEqual(['tn-c', 'tn-d']);
    expect(versionsOf(turns, 'tn-b').map((t) => t.id)).toEqual(['tn-a', 'tn-b', 'tn-c']);
    turns[0] = turn('tn-a', { chosenVersion: 'tn-b' });
    expect([...currentVersionIds(turns)].sort()).toEqual(['tn-b', 'tn-d']);
  });

  it('reach the model only when current, not set aside and not empty', () => {
    const aside = turn('tn-x', { steering: { state: 'set-aside', at: '2026-01-01T00:00:00.000Z' } });
    const empty = turn('tn-y', { text: '  ' });
    const current = currentVersionIds([aside, empty]);
    expect(reachesModel(aside, current)).toBe(false);
    expect(reachesModel(empty, current)).toBe(false);
    expect(reachesModel(turn('tn-z'), currentVersionIds([turn('tn-z')]))).toBe(true);
  });
});
