/**
 * How two computers' copies of a space come together. Each function takes the last copy both had
 * (`base`, absent for something new), this computer's copy and the other one, and returns the
 * merged copy with what could not be merged by itself, for the person to see. Nothing is dropped:
 * where both sides changed the same thing, both are kept.
 *
 * Merged turns keep this computer's objects where this computer's copy wins, so a turn still
 * streaming in (whose object the move runner keeps writing to) stays the one in the file.
 */
import { applyPatch, createPatch } from 'diff';
import type { Decision, DraftVersion, Intent, MemoryItem, Turn } from '../../../shared/domain';
import type { LoopDocument } from '../store/documents';

/** What Keel could not merge by itself and kept both sides of. */
export interface SyncConflict {
  what: 'draft' | 'intent' | 'decision';
  /** Said to the person, e.g. "Both computers changed the draft …". */
  message: string;
}

export type TextMerge = { text: string; conflict: false } | { text: string; conflict: true };

/** Three-way merge of a text: the other side's change carried onto this one, as the draft's refine does. */
export function mergeText(base: string | undefined, local: string, remote: string): TextMerge {
  if (local === remote) return { text: local, conflict: false };
  if (base === undefined) return { text: local, conflict: true };
  if (local === base) return { text: remote, conflict: false };
  if (remote === base) return { text: local, conflict: false };
  const patch = createPatch('text', withNewline(base), withNewline(remote), undefined, undefined, {
    context: 1,
  });
  const patched = applyPatch(withNewline(local), patch);
  if (patched === false) return { text: local, conflict: true };
  return { text: local.endsWith('\n') ? patched : patched.replace(/\n$/, ''), conflict: false };
}

/** Patches line by line; a last line without a newline would otherwise make every edit of it conflict. */
function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

/** The synced part of a loop: the catalog's title and the loop's file (its layout stays on each computer). */
export interface LoopValue {
  title: string;
  archived: boolean;
  createdAt: string;
  document: Omit<LoopDocument, 'layout'>;
}

/** The person-facing copy of a loop's decisions, writable (they are merged, never made up). */
type MergedDocument = Omit<LoopDocument, 'layout' | 'decision' | 'pastDecisions'> & {
  decision?: Decision;
  pastDecisions: Decision[];
};

export function mergeLoop(
  base: LoopValue | undefined,
  local: LoopValue,
  remote: LoopValue,
  at: string,
): { value: LoopValue; conflicts: SyncConflict[] } {
  const conflicts: SyncConflict[] = [];
  const b = base?.document;
  const l = local.document;
  const r = remote.document;
  const intent = { ...l.intent };
  for (const field of Object.keys(l.intent) as (keyof Intent)[]) {
    const merged = mergeText(b?.intent[field], l.intent[field], r.intent[field] ?? '');
    if (merged.conflict) {
      intent[field] = `${l.intent[field]}\n\n— From your other computer —\n${r.intent[field]}`;
      conflicts.push({
        what: 'intent',
        message: `Both computers changed the intent (${field}) in the same place: both texts are kept in it, one under the other.`,
      });
    } else intent[field] = merged.text;
  }
  const draftVersions = unionById<DraftVersion>(b?.draftVersions, l.draftVersions, r.draftVersions);
  const draft = mergeText(b?.draft, l.draft, r.draft);
  if (draft.conflict) {
    draftVersions.push(
      {
        id: `dv-sync-${at.replace(/[^0-9]/g, '')}-other`,
        text: r.draft,
        source: 'saved',
        note: 'The draft on your other computer, kept when both changed the same lines',
        createdAt: at,
      },
      {
        id: `dv-sync-${at.replace(/[^0-9]/g, '')}-here`,
        text: l.draft,
        source: 'saved',
        note: 'The draft on this computer, kept when both changed the same lines',
        createdAt: at,
      },
    );
    conflicts.push({
      what: 'draft',
      message:
        'Both computers changed the same lines of the draft. This computer’s draft stays; both are kept as versions, so you can restore the other or combine them.',
    });
  }
  const decisions = mergeDecisions(b, l, r);
  if (decisions.conflict) {
    conflicts.push({
      what: 'decision',
      message:
        'A decision was recorded on both computers. Both are kept: this computer’s is the current one, the other is in the loop’s earlier decisions for you to choose.',
    });
  }
  const document: MergedDocument = {
    ...(l as MergedDocument),
    intent,
    turns: mergeTurns(b?.turns, l.turns, r.turns),
    draft: draft.text,
    draftVersions: draftVersions.sort((x, y) => x.createdAt.localeCompare(y.createdAt)),
    pastDecisions: decisions.past,
  };
  if (decisions.current) document.decision = decisions.current;
  else delete document.decision;
  return {
    value: {
      title: pick(base?.title, local.title, remote.title),
      archived: pick(base?.archived, local.archived, remote.archived),
      createdAt: local.createdAt,
      document,
    },
    conflicts,
  };
}

/** A value changed on one side only takes that side; changed on both, this computer's. */
function pick<T>(base: T | undefined, local: T, remote: T): T {
  return base !== undefined && local === base ? remote : local;
}

function same(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** JSON with every object's keys in order, so two copies of the same value compare (and hash) alike. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, inner: unknown) =>
    inner && typeof inner === 'object' && !Array.isArray(inner)
      ? Object.fromEntries(Object.entries(inner).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))
      : inner,
  );
}

/**
 * Turns are appended, never removed, and merge by id. A turn changed on one side takes that side;
 * changed on both (steered on both computers), the later change wins and both steerings stay in the
 * turn's steering history. Turns only the other side has go right after the turn before them there.
 */
export function mergeTurns(
  base: readonly Turn[] | undefined,
  local: readonly Turn[],
  remote: readonly Turn[],
): Turn[] {
  const baseById = new Map(base?.map((turn) => [turn.id, turn]));
  const remoteById = new Map(remote.map((turn) => [turn.id, turn]));
  const merged: Turn[] = local.map((turn) => {
    const other = remoteById.get(turn.id);
    if (!other || turn.status === 'streaming' || same(turn, other)) return turn;
    const before = baseById.get(turn.id);
    if (before && same(turn, before)) return structuredClone(other);
    if (before && same(other, before)) return turn;
    return mergeTurn(turn, other);
  });
  const present = new Set(merged.map((turn) => turn.id));
  let after: string | undefined;
  for (const turn of remote) {
    if (!present.has(turn.id)) {
      const at = after === undefined ? -1 : merged.findIndex((candidate) => candidate.id === after);
      merged.splice(at === -1 ? (after === undefined ? 0 : merged.length) : at + 1, 0, structuredClone(turn));
      present.add(turn.id);
    }
    after = turn.id;
  }
  return merged;
}

function mergeTurn(local: Turn, remote: Turn): Turn {
  const later = remote.updatedAt > local.updatedAt ? structuredClone(remote) : local;
  const steerings = [local, remote]
    .flatMap((turn) => [...(turn.steeringHistory ?? []), ...(turn.steering ? [turn.steering] : [])])
    .filter((steering, index, all) => all.findIndex((other) => same(other, steering)) === index)
    .sort((a, b) => a.at.localeCompare(b.at));
  if (local.steering && remote.steering && !same(local.steering, remote.steering)) {
    later.steering = steerings.at(-1);
    later.steeringHistory = steerings.slice(0, -1);
  }
  return later;
}

function unionById<T extends { id: string }>(
  base: readonly T[] | undefined,
  local: readonly T[],
  remote: readonly T[],
): T[] {
  const result = local.map((item) => structuredClone(item) as T);
  const have = new Set(result.map((item) => item.id));
  for (const item of remote) if (!have.has(item.id)) result.push(structuredClone(item) as T);
  void base;
  return result;
}

/**
 * The current decision and the earlier ones. A decision is known by when it was made: one changed
 * on one side only (a forecast updated, a review written) takes that side; two different decisions
 * made while apart are both kept, this computer's current and the other's among the earlier ones.
 */
function mergeDecisions(
  base: LoopValue['document'] | undefined,
  local: LoopValue['document'],
  remote: LoopValue['document'],
): { current?: Decision; past: Decision[]; conflict: boolean } {
  const key = (decision: { decidedAt: string; choice: string }) => `${decision.decidedAt}|${decision.choice}`;
  const copy = (decision: unknown) => structuredClone(decision) as Decision;
  const past = new Map<string, Decision>();
  for (const decision of [...local.pastDecisions, ...remote.pastDecisions]) {
    if (!past.has(key(decision))) past.set(key(decision), copy(decision));
  }
  const l = local.decision;
  const r = remote.decision;
  const b = base?.decision;
  let current: Decision | undefined;
  let conflict = false;
  if (!l || !r) {
    // Missing on one side and unchanged on the other: that side reopened it (it is among the earlier ones).
    const only = l ?? r;
    current = only && !(b && same(only, b)) ? copy(only) : undefined;
  } else if (key(l) === key(r)) {
    current = copy(b && same(l, b) ? r : l);
  } else if (b && same(l, b)) {
    current = copy(r);
  } else if (b && same(r, b)) {
    current = copy(l);
  } else {
    current = copy(l);
    past.set(key(r), copy(r));
    conflict = true;
  }
  if (current) past.delete(key(current));
  return {
    ...(current ? { current } : {}),
    past: [...past.values()].sort((x, y) => x.decidedAt.localeCompare(y.decidedAt)),
    conflict,
  };
}

/**
 * A space's memories: by id. One forgotten on either side is gone (it was in the last shared copy
 * and is missing now); one changed on both sides keeps the later revision, and the earlier texts of
 * both sides stay in its history.
 */
export function mergeMemories(
  base: readonly MemoryItem[] | undefined,
  local: readonly MemoryItem[],
  remote: readonly MemoryItem[],
): MemoryItem[] {
  const baseIds = new Set(base?.map((item) => item.id));
  const baseById = new Map(base?.map((item) => [item.id, item]));
  const localById = new Map(local.map((item) => [item.id, item]));
  const remoteById = new Map(remote.map((item) => [item.id, item]));
  const result: MemoryItem[] = [];
  for (const item of local) {
    const other = remoteById.get(item.id);
    if (!other) {
      if (!baseIds.has(item.id)) result.push(item);
      continue;
    }
    const before = baseById.get(item.id);
    if (same(item, other) || (before && same(other, before))) result.push(item);
    else if (before && same(item, before)) result.push(structuredClone(other));
    else {
      const otherIsLater = other.revisedAt > item.revisedAt;
      const later = structuredClone(otherIsLater ? other : item);
      const earlier = otherIsLater ? item : other;
      const history = [...item.history, ...other.history];
      if (earlier.text !== later.text)
        history.push({ text: earlier.text, until: later.revisedAt, change: 'edited' });
      later.history = history
        .filter((entry, index, all) => all.findIndex((x) => same(x, entry)) === index)
        .sort((x, y) => x.until.localeCompare(y.until));
      result.push(later);
    }
  }
  for (const item of remote) {
    if (!localById.has(item.id) && !baseIds.has(item.id)) result.push(structuredClone(item));
  }
  return result;
}
