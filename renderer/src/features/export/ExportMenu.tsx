import type { Loop } from '../../../../shared/domain';

/** Placeholder: export and print (being built). */
export function ExportMenu(_props: { loop: Loop }) {
  return null;
}
