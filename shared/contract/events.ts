/** Every event the engine sends to the workspace (zod-free, for the preload as well). */
import type {
  DueForecast,
  EngineState,
  ModelStatus,
  ModelWarmup,
  PullProgress,
  SourceProgress,
  SyncStatus,
  Turn,
} from '../domain';

/** Every event the engine sends to the workspace. */
export interface KeelEventMap {
  /** An AI move began: the turn exists (status `streaming`) and is saved. */
  'turn.started': { loopId: string; turn: Turn };
  /** More text of a streaming AI turn: `text` and `thinking` are appended to what came before. */
  'turn.delta': { loopId: string; turnId: string; text: string; thinking?: string };
  /** An AI move ended (complete, stopped or failed) and its final turn is saved. */
  'turn.finished': { loopId: string; turn: Turn };
  /** The model connection changed. */
  'model.status': { status: ModelStatus };
  /** A model download moved on (at most a few times a second). */
  'pull.progress': { progress: PullProgress };
  /** A model is loading into memory, or finished loading. */
  'model.warmup': { warmup: ModelWarmup };
  /** The workspace opened, locked, or found a damaged file. */
  'engine.state': { state: EngineState };
  /** A source being added moved on (reading pages, indexing, embedding). */
  'source.progress': { progress: SourceProgress };
  /** Forecasts came due to be resolved (each once a session); the desktop shell may notify. */
  'forecasts.due': { forecasts: DueForecast[] };
  /** A space's sync moved on: its status, and the loops another computer changed (to show them again). */
  'sync.status': { status: SyncStatus; loopIds: string[] };
  /** A space's templates changed on another computer and arrived by sync (to list them again). */
  'templates.changed': { spaceId: string };
}
export type KeelEventType = keyof KeelEventMap;
/** Every event type, as a record so the compiler insists each one of `KeelEventMap` is listed. */
const eventTypeSet: Record<KeelEventType, true> = {
  'turn.started': true,
  'turn.delta': true,
  'turn.finished': true,
  'model.status': true,
  'pull.progress': true,
  'model.warmup': true,
  'engine.state': true,
  'source.progress': true,
  'forecasts.due': true,
  'sync.status': true,
  'templates.changed': true,
};
export const eventTypes = Object.keys(eventTypeSet) as readonly KeelEventType[];
export type KeelEvent = { [T in KeelEventType]: { type: T } & KeelEventMap[T] }[KeelEventType];
export type KeelEventListener = (event: KeelEvent) => void;
