import type { Result } from '../../../shared/errors';
import { settle } from './settle';

/**
 * Runs a call that changes one item the store keeps (see `settle`): the item as the engine returns it
 * is kept, and one the engine no longer has (`not-found`) is dropped, so no screen goes on showing it.
 */
export async function settleItem<T>(
  call: () => Promise<Result<T>>,
  keep: (value: T) => void,
  drop: () => void,
): Promise<Result<T>> {
  const result = await settle(call);
  if (result.ok) keep(result.value);
  else if (result.error.code === 'not-found') drop();
  return result;
}

/** Runs a call that removes one item (see `settle`): gone now or gone already, the store drops it. */
export async function settleRemoval<T>(call: () => Promise<Result<T>>, drop: () => void): Promise<Result<T>> {
  const result = await settle(call);
  if (result.ok || result.error.code === 'not-found') drop();
  return result;
}
