import type {
  LessonProposal,
  LoopSummary,
  MemoryItem,
  MemoryKind,
  MemoryScope,
  MemoryOrigin,
  Space,
} from '../../../../shared/domain';

export const memoryKindLabels: Record<MemoryKind, string> = {
  preference: 'Preference',
  principle: 'Principle',
  context: 'Context',
  lesson: 'Lesson',
  decision: 'Decision',
};

/** How a memory came to be, in the person's words. */
export const memoryOriginLabels: Record<MemoryOrigin, string> = {
  said: 'You said it',
  learn: 'Learn',
  review: 'Decision review',
  steering: 'Your steering',
  pattern: 'Journal pattern',
};

export const historyChangeLabels: Record<MemoryItem['history'][number]['change'], string> = {
  merged: 'merged',
  superseded: 'superseded',
  edited: 'edited',
};

export const lessonScopeLabels: Record<LessonProposal['scope'], string> = {
  everywhere: 'Everywhere',
  space: 'This space',
  loop: 'This loop only',
};

/** Where a memory applies, named after its space or loop. */
export function scopeLabel(
  scope: MemoryScope,
  spaces: readonly Space[],
  loops: readonly LoopSummary[],
): string {
  if (scope.type === 'everywhere') return 'Everywhere';
  const space =
    spaces.find((candidate) => candidate.id === scope.spaceId)?.name ?? 'A space no longer listed';
  if (scope.type === 'space') return space;
  const loop = loops.find((candidate) => candidate.id === scope.loopId)?.title ?? 'a loop';
  return `${space} · ${loop}`;
}

/** A scope as one select value: `everywhere`, `space:<id>` or `loop:<spaceId>:<loopId>`. */
export function scopeValue(scope: MemoryScope): string {
  if (scope.type === 'everywhere') return 'everywhere';
  if (scope.type === 'space') return `space:${scope.spaceId}`;
  return `loop:${scope.spaceId}:${scope.loopId}`;
}

export function parseScopeValue(value: string): MemoryScope {
  const [type, spaceId, loopId] = value.split(':');
  if (type === 'space' && spaceId) return { type: 'space', spaceId };
  if (type === 'loop' && spaceId && loopId) return { type: 'loop', spaceId, loopId };
  return { type: 'everywhere' };
}

const dateOnly = new Intl.DateTimeFormat(undefined, { day: 'numeric', month: 'short', year: 'numeric' });

export function formatDate(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateOnly.format(date);
}

/** `YYYY-MM-DD` of a date in the person's own time zone. */
export function isoDay(date: Date): string {
  const month = String(date.getMonth() + 1).padStart(2, '0');
  const day = String(date.getDate()).padStart(2, '0');
  return `${date.getFullYear()}-${month}-${day}`;
}
