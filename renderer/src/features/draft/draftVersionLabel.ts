import type { DraftVersion } from '../../../../shared/domain';
import { missingCase } from '../../../../shared/errors';

/** Where a version came from, in words ("After a refine: 2 of 3 changes taken"). */
export function draftVersionLabel(version: DraftVersion): string {
  switch (version.source) {
    case 'saved':
      return 'Saved by you';
    case 'before-refine':
      return 'Before a refine';
    case 'refine':
      // The engine notes how many changes were taken ("2 of 3 changes taken").
      return version.note ? `After a refine: ${version.note}` : 'After a refine';
    case 'before-restore':
      return 'Before a restore';
    default:
      return missingCase(version.source);
  }
}

/** "1 change", "3 changes". */
export function changesCount(count: number): string {
  return count === 1 ? '1 change' : `${count} changes`;
}
