import { useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { Turn } from '../../../../shared/domain';
import { versionGroupOf } from '../../../../shared/loopLogic';
import { useKeel } from '../../store/KeelStoreProvider';
import { createTimelineEntries } from './timelineEntries';
import { TurnView } from './TurnView';
import { useVirtualTurns } from './useVirtualTurns';

/**
 * The latest request to show a turn that was served. Requests only grow, and one is served once:
 * opening the same loop again later starts at the end, not at a turn asked for long ago.
 */
let servedFocusRequest = 0;

/**
 * Room for turns that are not rendered. Its height is set through the CSSOM, which the Content
 * Security Policy (style-src 'self') allows, unlike a `style` attribute. It is never the node the
 * browser anchors scrolling to: its height changes as turns are measured.
 */
function Spacer({ height }: { height: number }) {
  const ref = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    element.style.height = `${Math.max(0, height)}px`;
    element.style.overflowAnchor = 'none';
  }, [height]);
  return <div ref={ref} aria-hidden="true" className="timeline-spacer" />;
}

/**
 * The loop's turns, oldest first. While the AI writes it follows the text down, unless the person
 * has scrolled up to read; sending something brings them back to the bottom.
 *
 * A loop can hold thousands of turns, so only the turns within a few screens of the viewport are
 * in the DOM (see `useVirtualTurns`); the space of the others is kept so the scrollbar stays true.
 * For assistive technology the log therefore holds the rendered turns: a screen reader moves
 * through those, and scrolling (or Home/End on the focused log) brings others in. The turn that
 * holds focus stays rendered wherever the person scrolls, so focus (and a half-written edit) is
 * never lost; a turn opened from elsewhere (a memory's "used in", search) is scrolled to and focused.
 */
export function Timeline({ loopId, turns }: { loopId: string; turns: Turn[] }) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const turnCount = useRef(turns.length);
  /** The row whose article takes focus once rendered (after a jump to it). */
  const pendingFocus = useRef<string | null>(null);
  const [toEntries] = useState(createTimelineEntries);
  const entries = useMemo(() => toEntries(turns), [toEntries, turns]);
  const keys = useMemo(() => entries.map((entry) => entry.group), [entries]);
  const [focusedKey, setFocusedKey] = useState<string | null>(null);
  const { snapshot, controls } = useVirtualTurns({ keys, scrollRef, listRef, keepKey: focusedKey });
  const focus = useKeel((state) => (state.turnFocus?.loopId === loopId ? state.turnFocus : null));

  useLayoutEffect(() => {
    const last = turns[turns.length - 1];
    const added = turns.length > turnCount.current;
    turnCount.current = turns.length;
    if (added && last?.author === 'person') controls.followBottom();
    else controls.settle();
  }, [turns, controls]);

  // Asked to show a turn: scroll its row into the middle first (it may not be rendered yet).
  useLayoutEffect(() => {
    if (!focus || focus.request <= servedFocusRequest) return;
    servedFocusRequest = focus.request;
    const turn = turns.find((candidate) => candidate.id === focus.turnId);
    const index = turn ? keys.indexOf(versionGroupOf(turn)) : -1;
    if (index < 0) return;
    pendingFocus.current = keys[index]!;
    controls.scrollToIndex(index, 'center');
  }, [focus, turns, keys, controls]);

  // Then, once the row is rendered, move focus to its article.
  useLayoutEffect(() => {
    const key = pendingFocus.current;
    if (key === null) return;
    const row = listRef.current?.querySelector(`[data-row-key="${CSS.escape(key)}"]`);
    const article = row?.querySelector('article');
    if (!(article instanceof HTMLElement)) return;
    pendingFocus.current = null;
    article.tabIndex = -1;
    article.focus({ preventScroll: true });
  });

  return (
    <div
      ref={scrollRef}
      role="log"
      aria-label="Timeline"
      // A log is a polite live region by default, which would read an answer out as its words arrive;
      // AnswerAnnouncer says once that one started and once that it ended instead.
      aria-live="off"
      className="timeline"
      tabIndex={0}
      onFocus={(event) => {
        const row = event.target instanceof Element ? event.target.closest('[data-row-key]') : null;
        setFocusedKey(row?.getAttribute('data-row-key') ?? null);
      }}
      onBlur={(event) => {
        const next = event.relatedTarget;
        if (next instanceof Node && !event.currentTarget.contains(next)) setFocusedKey(null);
      }}
    >
      <div ref={listRef} className="timeline-inner">
        {turns.length === 0 ? (
          <div className="timeline-empty">
            <h2>Start with your own thinking</h2>
            <p>
              Write what you are thinking: the situation, the question, what is at stake. Then ask the AI for
              a move: to <strong>explore</strong> options, <strong>challenge</strong> your assumptions,{' '}
              <strong>synthesize</strong> the threads, <strong>ask</strong> you sharper questions, or{' '}
              <strong>refine</strong> a draft.
            </p>
            <p className="muted">You lead. The AI only moves when you ask it to.</p>
          </div>
        ) : (
          snapshot.rows.flatMap((row, position) => {
            const entry = entries[row.index];
            if (!entry) return [];
            const rowView = (
              <div key={row.key} ref={controls.measureRef} data-row-key={row.key} className="timeline-row">
                <TurnView turn={entry.turn} versions={entry.versions} />
              </div>
            );
            const last = position === snapshot.rows.length - 1;
            return [
              row.spaceBefore > 0 ? (
                <Spacer
                  key={position === 0 ? 'space-top' : `space-${row.key}`}
                  height={row.spaceBefore - snapshot.gap}
                />
              ) : null,
              rowView,
              last && snapshot.spaceAfter > 0 ? (
                <Spacer key="space-end" height={snapshot.spaceAfter - snapshot.gap} />
              ) : null,
            ];
          })
        )}
      </div>
    </div>
  );
}
