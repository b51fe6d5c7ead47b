/** What counts as the person being there: a key, the mouse, a touch, the wheel. */
export const activityEvents = ['keydown', 'pointerdown', 'pointermove', 'wheel', 'touchstart'] as const;

export interface IdleWatchOptions {
  /** Where activity is heard (the window). */
  target: EventTarget;
  /** How long without activity counts as idle. */
  idleMs: number;
  /** Called once when the person has been idle that long. */
  onIdle: () => void;
  now?: () => number;
  /** How often the time is checked; the check runs on time even after the computer slept. */
  checkEveryMs?: number;
}

/**
 * Calls `onIdle` once after `idleMs` without activity on `target`. Time is measured against the
 * clock rather than by one long timer, so a computer that slept or a throttled background window
 * still locks as soon as it checks. Returns the function that stops watching.
 */
export function watchIdle({ target, idleMs, onIdle, now = Date.now, checkEveryMs }: IdleWatchOptions) {
  let last = now();
  let fired = false;
  const onActivity = () => {
    last = now();
  };
  const check = () => {
    if (fired || now() - last < idleMs) return;
    fired = true;
    onIdle();
  };
  for (const type of activityEvents) {
    target.addEventListener(type, onActivity, { capture: true, passive: true });
  }
  target.addEventListener('focus', check);
  const timer = setInterval(check, checkEveryMs ?? Math.min(idleMs, 10_000));
  return () => {
    clearInterval(timer);
    for (const type of activityEvents) target.removeEventListener(type, onActivity, { capture: true });
    target.removeEventListener('focus', check);
  };
}
