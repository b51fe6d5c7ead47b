import { useEffect, useState } from 'react';
import type { Loop, LoopLayout, LoopLayoutChange } from '../../../../shared/domain';
import { useKeel } from '../../store/KeelStoreProvider';

/** A width being dragged or stepped changes many times a second: it is kept once it rests. */
const widthSaveDelay = 400;

/** The parts of `next` that differ from what the engine keeps, as a change for it (or null). */
function changeFrom(next: LoopLayout, kept: LoopLayout): LoopLayoutChange | null {
  const change: LoopLayoutChange = {};
  if ((next.draftWidth ?? null) !== (kept.draftWidth ?? null)) change.draftWidth = next.draftWidth ?? null;
  if ((next.draftCollapsed ?? false) !== (kept.draftCollapsed ?? false))
    change.draftCollapsed = next.draftCollapsed ?? false;
  if ((next.intentExpanded ?? false) !== (kept.intentExpanded ?? false))
    change.intentExpanded = next.intentExpanded ?? false;
  return Object.keys(change).length > 0 ? change : null;
}

/**
 * The open loop's layout as the screen shows it, and a way to change it. A change shows at once and
 * is then kept in the loop's file through the engine (a width once it rests), so the loop opens the
 * same way after a reload. Another loop starts from its own kept layout.
 */
export function useLoopLayout(loop: Loop): {
  layout: LoopLayout;
  changeLayout: (change: (layout: LoopLayout) => LoopLayout) => void;
} {
  const setLoopLayout = useKeel((state) => state.setLoopLayout);
  const [local, setLocal] = useState({ loopId: loop.id, layout: loop.layout ?? {} });
  let current = local;
  if (local.loopId !== loop.id) {
    current = { loopId: loop.id, layout: loop.layout ?? {} };
    setLocal(current);
  }
  const layout = current.layout;
  const kept = loop.layout;
  const loopId = loop.id;

  useEffect(() => {
    const change = changeFrom(layout, kept ?? {});
    if (!change) return;
    const { draftWidth, ...parts } = change;
    if (Object.keys(parts).length > 0) void setLoopLayout(loopId, parts);
    if (draftWidth === undefined) return;
    const timer = setTimeout(() => void setLoopLayout(loopId, { draftWidth }), widthSaveDelay);
    return () => clearTimeout(timer);
  }, [layout, kept, loopId, setLoopLayout]);

  return {
    layout,
    changeLayout: (change) =>
      setLocal((state) => (state.loopId === loopId ? { loopId, layout: change(state.layout) } : state)),
  };
}
