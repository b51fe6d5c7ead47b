import { useEffect } from 'react';
import { useKeel } from '../../store/KeelStoreProvider';
import { watchIdle } from './watchIdle';

/**
 * With encryption on and "Lock after idle minutes" above 0, locks Keel once the person has not
 * touched the keyboard, mouse or screen for that long.
 */
export function useIdleLock() {
  const minutes = useKeel((state) =>
    state.engineState?.status === 'open' && state.engineState.encrypted
      ? (state.settings?.lockAfterMinutes ?? 0)
      : 0,
  );
  const lockNow = useKeel((state) => state.lockNow);

  useEffect(() => {
    if (minutes <= 0) return;
    return watchIdle({ target: window, idleMs: minutes * 60_000, onIdle: () => void lockNow() });
  }, [minutes, lockNow]);
}
