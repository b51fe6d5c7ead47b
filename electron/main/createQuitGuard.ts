/**
 * Quitting waits for the engine to finish its writes and release the data folder. Electron does not
 * wait for async `before-quit` listeners, so the first quit is cancelled, the engine closed, and the
 * quit asked for again.
 */

/** How long a quit waits for the engine before giving up on it, so a stuck close cannot keep Keel open. */
export const engineCloseTimeoutMs = 10_000;

/**
 * A `before-quit` listener that closes the engine once, then quits. Quit requests that arrive while
 * the engine is closing are swallowed (the quit that follows covers them); once closed, quits pass.
 */
export function createQuitGuard(
  closeEngine: () => Promise<void>,
  quit: () => void,
  timeoutMs: number = engineCloseTimeoutMs,
): (event: { preventDefault(): void }) => void {
  let state: 'running' | 'closing' | 'closed' = 'running';
  return (event) => {
    if (state === 'closed') return;
    event.preventDefault();
    if (state === 'closing') return;
    state = 'closing';
    void closeWithin(closeEngine, timeoutMs)
      .catch((error: unknown) => {
        console.error('Keel could not close its engine cleanly:', error);
      })
      .finally(() => {
        state = 'closed';
        quit();
      });
  };
}

async function closeWithin(close: () => Promise<void>, timeoutMs: number): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`engine.close() took longer than ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([close(), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
