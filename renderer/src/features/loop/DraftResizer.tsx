import { useRef, type KeyboardEvent, type PointerEvent } from 'react';

/** How far one arrow key press moves the edge; with Shift, a bigger step. */
const step = 16;
const bigStep = 80;

/** The draft's width now, and the narrowest and widest it may be, in pixels. */
type DraftWidths = Record<'width' | 'min' | 'max', number>;

/**
 * The edge between the timeline and the draft column, as a window splitter: drag it, or focus it and
 * use the arrow keys (Home and End for the narrowest and widest); Enter or a double-click puts the
 * default width back. Its value is the draft's width in pixels.
 */
export function DraftResizer({
  width,
  min,
  max,
  controls,
  onResize,
  onReset,
}: DraftWidths & {
  /** The id of the draft column it resizes. */
  controls: string;
  onResize: (width: number) => void;
  onReset: () => void;
}) {
  const drag = useRef<{ startX: number; startWidth: number } | null>(null);
  const clamp = (value: number) => Math.round(Math.min(max, Math.max(min, value)));

  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    event.preventDefault();
    event.currentTarget.setPointerCapture(event.pointerId);
    event.currentTarget.focus();
    drag.current = { startX: event.clientX, startWidth: width };
  };

  const onPointerMove = (event: PointerEvent<HTMLDivElement>) => {
    const start = drag.current;
    if (!start) return;
    // The draft is on the right: moving the edge left makes it wider.
    onResize(clamp(start.startWidth + start.startX - event.clientX));
  };

  const endDrag = () => {
    drag.current = null;
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    const by = event.shiftKey ? bigStep : step;
    let next: number | null = null;
    if (event.key === 'ArrowLeft') next = width + by;
    else if (event.key === 'ArrowRight') next = width - by;
    else if (event.key === 'Home') next = min;
    else if (event.key === 'End') next = max;
    else if (event.key === 'Enter') {
      event.preventDefault();
      onReset();
      return;
    }
    if (next === null) return;
    event.preventDefault();
    onResize(clamp(next));
  };

  return (
    <div
      role="separator"
      aria-orientation="vertical"
      aria-label="Draft width"
      aria-controls={controls}
      aria-valuenow={width}
      aria-valuemin={min}
      aria-valuemax={max}
      aria-valuetext={`${width} pixels`}
      tabIndex={0}
      className="draft-resizer"
      title="Drag to resize the draft, or use the arrow keys; double-click or Enter for the default width"
      onPointerDown={onPointerDown}
      onPointerMove={onPointerMove}
      onPointerUp={endDrag}
      onPointerCancel={endDrag}
      onLostPointerCapture={endDrag}
      onDoubleClick={onReset}
      onKeyDown={onKeyDown}
    />
  );
}
