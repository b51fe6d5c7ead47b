import type { DraftVersion } from '../../../../shared/domain';

/** Each kind of version, as the history names it. */
const sourceLabels: Record<DraftVersion['source'], string> = {
  saved: 'Saved by you',
  'before-refine': 'Before a refine',
  refine: 'After a refine',
  'before-restore': 'Before a restore',
};

/** Where a version came from, in words ("After a refine: 2 of 3 changes taken"). */
export function draftVersionLabel(version: DraftVersion): string {
  const label = sourceLabels[version.source];
  // The engine notes how many changes a refine took ("2 of 3 changes taken").
  return version.source === 'refine' && version.note ? `${label}: ${version.note}` : label;
}

/** "1 change", "3 changes". */
export function changesCount(count: number): string {
  return count === 1 ? '1 change' : `${count} changes`;
}
