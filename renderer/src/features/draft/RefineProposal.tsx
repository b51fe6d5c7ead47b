import type { Loop, Turn } from '../../../../shared/domain';

/** Placeholder: a refine turn's proposed changes as hunks (being built). */
export function RefineProposal(_props: { loop: Loop; turn: Turn }) {
  return null;
}
