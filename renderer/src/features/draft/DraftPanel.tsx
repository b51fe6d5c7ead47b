import type { Loop } from '../../../../shared/domain';

/** Placeholder: the draft editor (being built). */
export function DraftPanel(_props: { loop: Loop }) {
  return null;
}
