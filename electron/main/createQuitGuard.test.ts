import { afterEach, describe, expect, it, vi } from 'vitest';
import { createQuitGuard } from './createQuitGuard';

const quitEvent = () => ({ preventDefault: vi.fn() });

describe('createQuitGuard', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('holds the first quit until the engine is closed, then quits', async () => {
    let finishClose = () => {};
    const close = vi.fn(() => new Promise<void>((resolve) => (finishClose = resolve)));
    const quit = vi.fn();
    const guard = createQuitGuard(close, quit);
    const first = quitEvent();
    guard(first);
    expect(first.preventDefault).toHaveBeenCalledOnce();
    expect(close).toHaveBeenCalledOnce();
    expect(quit).not.toHaveBeenCalled();
    finishClose();
    await vi.waitFor(() => expect(quit).toHaveBeenCalledOnce());
  });

  it('closes the engine only once when quit is asked for again while closing', async () => {
    let finishClose = () => {};
    const close = vi.fn(() => new Promise<void>((resolve) => (finishClose = resolve)));
    const quit = vi.fn();
    const guard = createQuitGuard(close, quit);
    guard(quitEvent());
    const again = quitEvent();
    guard(again);
    expect(again.preventDefault).toHaveBeenCalledOnce();
    finishClose();
    await vi.waitFor(() => expect(quit).toHaveBeenCalledOnce());
    expect(close).toHaveBeenCalledOnce();
  });

  it('lets the quit that follows the close through', async () => {
    const close = vi.fn(async () => {});
    const quit = vi.fn();
    const guard = createQuitGuard(close, quit);
    guard(quitEvent());
    await vi.waitFor(() => expect(quit).toHaveBeenCalledOnce());
    const final = quitEvent();
    guard(final);
    expect(final.preventDefault).not.toHaveBeenCalled();
    expect(close).toHaveBeenCalledOnce();
  });

  it('still quits when closing fails', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const quit = vi.fn();
    const guard = createQuitGuard(() => Promise.reject(new Error('disk gone')), quit);
    guard(quitEvent());
    await vi.waitFor(() => expect(quit).toHaveBeenCalledOnce());
    expect(console.error).toHaveBeenCalled();
  });

  it('gives up on a close that never ends', async () => {
    vi.useFakeTimers();
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const quit = vi.fn();
    const guard = createQuitGuard(() => new Promise<void>(() => {}), quit, 5_000);
    guard(quitEvent());
    await vi.advanceTimersByTimeAsync(4_999);
    expect(quit).not.toHaveBeenCalled();
    await vi.advanceTimersByTimeAsync(1);
    expect(quit).toHaveBeenCalledOnce();
  });
});
