import type { SpaceKind } from '../../../../shared/domain';

/** How each kind of space is named on screen. */
export const spaceKindLabels: Record<SpaceKind, string> = {
  client: 'Client',
  plan: 'Plan',
  journal: 'Journal',
  general: 'General',
};
