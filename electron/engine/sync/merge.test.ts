import { describe, expect, it } from 'vitest';
import type { AiTurn, MemoryItem } from '../../../shared/domain';
import { mergeLoop, mergeMemories, mergeText, mergeTurns, type LoopValue } from './merge';

const at = (minute: number) => `2026-12-02T10:${String(minute).padStart(2, '0')}:00.000Z`;

function turn(id: string, minute: number, extra: Partial<AiTurn> = {}): AiTurn {
  return {
    id,
    loopId: 'lp-1',
    author: 'ai',
    move: 'explore',
    text: `text of ${id}`,
    status: 'complete',
    createdAt: at(minute),
    updatedAt: at(minute),
    ...extra,
  };
}

function loop(document: Partial<LoopValue['document']> = {}): LoopValue {
  return {
    title: 'Pricing',
    archived: false,
    createdAt: at(0),
    document: {
      version: 3,
      id: 'lp-1',
      intent: { goal: 'goal', context: '', constraints: '', goodLooksLike: '' },
      turns: [],
      draft: '',
      draftVersions: [],
      pastDecisions: [],
      ...document,
    },
  };
}

describe('merging two computers’ copies', () => {
  it('carries a change of other lines over, and reports a change of the same line as a conflict', () => {
    const base = 'one\ntwo\nthree\nfour\nfive\n';
    expect(mergeText(base, 'ONE\ntwo\nthree\nfour\nfive\n', 'one\ntwo\nthree\nfour\nFIVE\n')).toEqual({
      text: 'ONE\ntwo\nthree\nfour\nFIVE\n',
      conflict: false,
    });
    expect(
      mergeText(base, 'one\ntwo\nTHREE here\nfour\nfive\n', 'one\ntwo\nTHREE there\nfour\nfive\n').conflict,
    ).toBe(true);
  });

  it('merges turns by id, keeps both sides’ new turns in order and keeps the later steering with both in its history', () => {
    const base = [turn('a', 1), turn('b', 2)];
    const local = [
      turn('a', 1),
      turn('b', 2, { steering: { state: 'pinned', at: at(5) }, updatedAt: at(5) }),
      turn('c', 3),
    ];
    const remote = [
      turn('a', 1),
      turn('b', 2, { steering: { state: 'set-aside', reason: 'too generic', at: at(6) }, updatedAt: at(6) }),
      turn('d', 4),
    ];
    const merged = mergeTurns(base, local, remote);
    expect(merged.map((t) => t.id)).toEqual(['a', 'b', 'd', 'c']);
    const b = merged[1]!;
    expect(b.steering).toEqual({ state: 'set-aside', reason: 'too generic', at: at(6) });
    expect(b.steeringHistory).toEqual([{ state: 'pinned', at: at(5) }]);
  });

  it('keeps this computer’s turn object, so a turn still streaming goes on writing into the file', () => {
    const streaming = turn('s', 1, { status: 'streaming', text: 'partial' });
    const merged = mergeTurns([], [streaming], [turn('s', 1, { text: 'old' })]);
    expect(merged[0]).toBe(streaming);
  });

  it('keeps both drafts as versions on a true conflict, and both decisions made while apart', () => {
    const decision = (choice: string, minute: number) => ({
      choice,
      rationale: '',
      optionsSetAside: [],
      confidence: 60,
      prediction: '',
      reviewDate: '2027-01-01',
      decidedAt: at(minute),
      forecasts: [],
    });
    const base = loop({ draft: 'Plan: A\n' });
    const local = loop({ draft: 'Plan: B\n', decision: decision('Go', 3) as never });
    const remote = loop({ draft: 'Plan: C\n', decision: decision('Wait', 4) as never });
    const { value, conflicts } = mergeLoop(base, local, remote, at(9));
    expect(value.document.draft).toBe('Plan: B\n');
    expect(value.document.draftVersions.map((v) => v.text)).toEqual(['Plan: C\n', 'Plan: B\n']);
    expect(value.document.decision?.choice).toBe('Go');
    expect(value.document.pastDecisions.map((d) => d.choice)).toEqual(['Wait']);
    expect(conflicts.map((c) => c.what).sort()).toEqual(['decision', 'draft']);
  });

  it('drops a memory forgotten on one side and keeps the later revision with the other text in its history', () => {
    const item = (id: string, text: string, minute: number): MemoryItem => ({
      id,
      kind: 'context',
      text,
      scope: { type: 'space', spaceId: 'sp-1' },
      origin: { type: 'said' },
      createdAt: at(0),
      revisedAt: at(minute),
      useCount: 0,
      pinned: false,
      history: [],
      notRelevant: [],
      usedIn: [],
    });
    const base = [item('m1', 'CFO is Ann', 0), item('m2', 'fiscal year ends June', 0)];
    const local = [item('m1', 'CFO is Ann Lee', 2)];
    const remote = [
      item('m1', 'CFO is Bob', 3),
      item('m2', 'fiscal year ends June', 0),
      item('m3', 'new', 3),
    ];
    const merged = mergeMemories(base, local, remote);
    expect(merged.map((m) => m.id)).toEqual(['m1', 'm3']);
    expect(merged[0]!.text).toBe('CFO is Bob');
    expect(merged[0]!.history.map((h) => h.text)).toEqual(['CFO is Ann Lee']);
  });
});
