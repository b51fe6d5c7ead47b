/**
 * What every slice of the one store is built from. Each slice file declares its own interface and
 * adds it to `KeelSlices` (TypeScript merges the declarations), so this file imports no slice and
 * no slice imports another: a slice reaches the others only through `get()` at run time.
 */
import type { StateCreator } from 'zustand';
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

/** A slice of the one store, given the engine it talks to. */
export type KeelSliceCreator<T> = StateCreator<KeelState, [], [], T>;

export interface KeelStoreOptions {
  /** Schedules the delta flush; defaults to requestAnimationFrame (setTimeout where there is none). */
  requestFrame?: (callback: () => void) => void;
}

export type { KeelApi };
