import { useEffect, useRef, useState } from 'react';
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

  /** A width not kept yet because it has not rested: kept at once if the person leaves the loop. */
  const restingWidth = useRef<{ loopId: string; draftWidth: number | null } | null>(null);

  useEffect(() => {
    const change = changeFrom(layout, kept ?? {});
    restingWidth.current = null;
    if (!change) return;
    const { draftWidth, ...parts } = change;
    // Anything else changing (the draft hidden, the intent folded) means the width rests: it goes too.
    if (Object.keys(parts).length > 0 || draftWidth === undefined) {
      void setLoopLayout(loopId, change);
      return;
    }
    restingWidth.current = { loopId, draftWidth };
    const timer = setTimeout(() => {
      restingWidth.current = null;
      void setLoopLayout(loopId, { draftWidth });
    }, widthSaveDelay);
    return () => clearTimeout(timer);
  }, [layout, kept, loopId, setLoopLayout]);

  // Another loop opened, or the loop closed, before the width rested: it is kept now, not lost.
  useEffect(
    () => () => {
      const left = restingWidth.current;
      restingWidth.current = null;
      if (left) void setLoopLayout(left.loopId, { draftWidth: left.draftWidth });
    },
    [loopId, setLoopLayout],
  );

  return {
    layout,
    changeLayout: (change) =>
      setLocal((state) => (state.loopId === loopId ? { loopId, layout: change(state.layout) } : state)),
  };
}
