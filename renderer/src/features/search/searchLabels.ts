import type { SearchKind } from '../../../../shared/domain';

/** What a result is, as its badge says. */
export const searchKindLabels: Record<SearchKind, string> = {
  loop: 'Loop',
  turn: 'Turn',
  draft: 'Draft',
  decision: 'Decision',
  memory: 'Memory',
  source: 'Source',
};

/** The kinds as the filter's checkboxes name them. */
export const searchKindPlurals: Record<SearchKind, string> = {
  loop: 'Loops',
  turn: 'Turns',
  draft: 'Drafts',
  decision: 'Decisions',
  memory: 'Memories',
  source: 'Sources',
};
