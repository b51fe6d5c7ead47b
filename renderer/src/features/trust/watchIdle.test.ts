import { afterEach, describe, expect, it, vi } from 'vitest';
import { watchIdle } from './watchIdle';

afterEach(() => {
  vi.useRealTimers();
});

describe('watchIdle', () => {
  it('calls onIdle once after the idle time without activity', () => {
    vi.useFakeTimers();
    const target = new EventTarget();
    const onIdle = vi.fn();
    const stop = watchIdle({ target, idleMs: 60_000, onIdle, checkEveryMs: 1_000 });
    vi.advanceTimersByTime(59_000);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(2_000);
    expect(onIdle).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(120_000);
    expect(onIdle).toHaveBeenCalledTimes(1);
    stop();
  });

  it('starts counting again at each key, pointer or touch', () => {
    vi.useFakeTimers();
    const target = new EventTarget();
    const onIdle = vi.fn();
    const stop = watchIdle({ target, idleMs: 60_000, onIdle, checkEveryMs: 1_000 });
    for (const type of ['keydown', 'pointermove', 'touchstart']) {
      vi.advanceTimersByTime(50_000);
      target.dispatchEvent(new Event(type));
    }
    vi.advanceTimersByTime(50_000);
    expect(onIdle).not.toHaveBeenCalled();
    vi.advanceTimersByTime(11_000);
    expect(onIdle).toHaveBeenCalledTimes(1);
    stop();
  });

  it('stops listening when stopped', () => {
    vi.useFakeTimers();
    const onIdle = vi.fn();
    const stop = watchIdle({ target: new EventTarget(), idleMs: 1_000, onIdle });
    stop();
    vi.advanceTimersByTime(10_000);
    expect(onIdle).not.toHaveBeenCalled();
  });
});
