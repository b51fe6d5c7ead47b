/**
 * What every slice of the one store is built from. Each slice file declares its own interface and
 * adds it to `KeelSlices` (TypeScript merges the declarations), so this file imports no slice and
 * no slice imports another: a slice reaches the others only through `get()` at run time.
 */
import type { StoreApi } from 'zustand';
import type { KeelApi } from '../../../shared/contract';

/** Each slice's interface under its name; filled in by the slice files. */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled in by declaration merging
export interface KeelSlices {}

type Intersection<Union> = (Union extends unknown ? (part: Union) => void : never) extends (
  part: infer Whole,
) => void
  ? Whole
  : never;

/** The whole store: every slice's state and actions. */
export type KeelState = Intersection<KeelSlices[keyof KeelSlices]>;

/**
 * A slice of the one store, given the engine it talks to. It reads the whole store but writes only
 * its own fields: another slice's state changes through that slice's actions.
 */
export type KeelSliceCreator<T> = (
  set: (change: Partial<T> | ((state: KeelState) => Partial<T>)) => void,
  get: () => KeelState,
  store: StoreApi<KeelState>,
) => T;

export interface KeelStoreOptions {
  /** Schedules the delta flush; defaults to requestAnimationFrame (setTimeout where there is none). */
  requestFrame?: (callback: () => void) => void;
}

export type { KeelApi };
