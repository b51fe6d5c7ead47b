/**
 * Memories between a newer and an older Keel: what an older one sends (`source`) is read as
 * today's item (`origin`), what this one sends still says `source` for an older one to read, and
 * an item nobody can read stops the merge with words instead of being written.
 */
import { describe, expect, it } from 'vitest';
import type { MemoryItem } from '../../../shared/domain';
import { memoriesForSync, memoriesFromSync, sharedMemories } from './syncedMemories';

const item: MemoryItem = {
  id: 'mm-1111-2222',
  kind: 'lesson',
  text: 'Ask about churn before price',
  scope: { type: 'space', spaceId: 'sp-1111-2222' },
  origin: { type: 'learn', loopId: 'lp-1111-2222', turnIds: ['tn-1111-2222'] },
  createdAt: '2026-12-01T10:00:00.000Z',
  revisedAt: '2026-12-01T10:00:00.000Z',
  useCount: 2,
  pinned: true,
  history: [{ text: 'Ask about churn', until: '2026-12-01T10:00:00.000Z', change: 'edited' }],
  notRelevant: [],
  usedIn: [{ loopId: 'lp-1111-2222', turnId: 'tn-3333-4444', at: '2026-12-01T11:00:00.000Z' }],
};
const { origin, ...rest } = item;
/** The item as an older Keel writes and sends it. */
const older = { ...rest, source: origin };

describe('memories carried by sync', () => {
  it('sends each item as an older Keel reads it, with source and nothing else changed', () => {
    expect(memoriesForSync([item])).toEqual([older]);
  });

  it('reads an older Keel’s item (source) and a newer one’s (origin) as the same item', () => {
    expect(memoriesFromSync([older])).toEqual([item]);
    expect(memoriesFromSync([item])).toEqual([item]);
    expect(memoriesFromSync(memoriesForSync([item]))).toEqual([item]);
  });

  it('refuses in words an item it cannot read (no origin, an origin it does not know, not a list)', () => {
    expect(() => memoriesFromSync([rest])).toThrow(/cannot read/);
    expect(() => memoriesFromSync([{ ...older, source: { type: 'dreamt' } }])).toThrow(/Update Keel/);
    expect(() => memoriesFromSync({ items: [older] })).toThrow(/cannot read/);
  });

  it('takes a last shared copy it cannot read as none, so the merge drops nothing', () => {
    expect(sharedMemories(undefined)).toBeUndefined();
    expect(sharedMemories([older])).toEqual([item]);
    expect(sharedMemories([{ id: 'broken' }])).toBeUndefined();
  });
});
