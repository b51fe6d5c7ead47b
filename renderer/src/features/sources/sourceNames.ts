import type { KeelState } from '../../store';

/**
 * The name of a source a turn of the open loop cites: a string once its space's sources are
 * listed, null when they are listed and it is not among them (removed since), undefined while not
 * known yet. A primitive, so a turn reading it re-renders only when the name itself changes.
 */
export function citedSourceName(
  state: KeelState,
  loopId: string,
  sourceId: string,
): string | null | undefined {
  const spaceId = state.openLoop?.id === loopId ? state.openLoop.spaceId : undefined;
  const list = spaceId ? state.sources[spaceId] : undefined;
  if (!list) return undefined;
  return list.find((source) => source.id === sourceId)?.name ?? null;
}
