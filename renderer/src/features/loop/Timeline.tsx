import { useLayoutEffect, useMemo, useRef } from 'react';
import type { Turn } from '../../../../shared/domain';
import { currentVersionIds, versionGroupOf } from '../../../../shared/loopLogic';
import { TurnView } from './TurnView';

/**
 * One entry per move: the current version of each, with all its versions when it was regenerated
 * (the list of versions only changes identity for those, so other turns skip re-rendering).
 */
function timelineEntries(turns: Turn[]): { group: string; turn: Turn; versions?: Turn[] }[] {
  const current = currentVersionIds(turns);
  const groups = new Map<string, Turn[]>();
  for (const turn of turns) {
    const group = versionGroupOf(turn);
    const list = groups.get(group);
    if (list) list.push(turn);
    else groups.set(group, [turn]);
  }
  return turns
    .filter((turn) => current.has(turn.id))
    .map((turn) => {
      const group = versionGroupOf(turn);
      const versions = groups.get(group) ?? [turn];
      return versions.length > 1 ? { group, turn, versions } : { group, turn };
    });
}

/** How close to the bottom still counts as "at the bottom", in pixels. */
const stickThreshold = 48;

/**
 * The loop's turns, oldest first. While the AI writes it follows the text down, unless the person
 * has scrolled up to read; sending something brings them back to the bottom.
 */
export function Timeline({ turns }: { turns: Turn[] }) {
  const ref = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);
  const turnCount = useRef(turns.length);
  const entries = useMemo(() => timelineEntries(turns), [turns]);

  // The view also changes size under the person (a notice appears, the window is resized, a table
  // lays out): stay at the bottom through that too.
  useLayoutEffect(() => {
    const element = ref.current;
    if (!element || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (stickToBottom.current) element.scrollTop = element.scrollHeight;
    });
    observer.observe(element);
    if (element.firstElementChild) observer.observe(element.firstElementChild);
    return () => observer.disconnect();
  }, []);

  useLayoutEffect(() => {
    const element = ref.current;
    if (!element) return;
    const last = turns[turns.length - 1];
    if (turns.length > turnCount.current && last?.author === 'person') stickToBottom.current = true;
    turnCount.current = turns.length;
    if (stickToBottom.current) element.scrollTop = element.scrollHeight;
  }, [turns]);

  return (
    <div
      ref={ref}
      role="log"
      aria-label="Timeline"
      className="timeline"
      tabIndex={0}
      onScroll={(event) => {
        const element = event.currentTarget;
        stickToBottom.current =
          element.scrollHeight - element.scrollTop - element.clientHeight < stickThreshold;
      }}
    >
      <div className="timeline-inner">
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
          entries.map(({ group, turn, versions }) => <TurnView key={group} turn={turn} versions={versions} />)
        )}
      </div>
    </div>
  );
}
