/**
 * A second thread the fast engine may hand half of a round to (issue 14: both cores with one
 * local step). The core never starts threads: a host gives a way to start a helper (Node: a
 * worker thread, src/node/engine-helper.ts); without one the engine runs on its own thread.
 * Every answer is a pure function of its inputs, computed by the same code as the engine's own,
 * so which thread computed what never shows in a number.
 */
import type { EngineTasks } from './engine.js';

/** What the helper trained of a split round: the tasks from `from` on, and their ‖g_i‖. */
export interface HelperClaimed {
  from: number;
  norms: Float64Array;
}

export interface EngineHelper {
  /** `length` float32 values both threads can write (for the U_i of the helper's tasks) */
  sharedValues(length: number): Float32Array;
  /** `length` int32 flags both threads can claim (unit-claims.ts), all 0 */
  sharedFlags(length: number): Int32Array;
  /**
   * ‖g_i‖ of `tasks` trained from θ (as FastEngine.trainLocal), and when `sums` is given
   * (a view from sharedValues) their U_i written task-major into it, row k for tasks[k].
   * A non-finite loss rejects with nonFiniteLoss(k), k indexing `tasks`.
   */
  train(theta: Float32Array, tasks: EngineTasks, sums: Float32Array | null): Promise<Float64Array>;
  /**
   * The helper's side of a split round (FastEngine.trainClaimed): the units of `tasks` it
   * claims in `claims` (from sharedFlags) from the last one down, trained from θ, their U_i
   * written into `sums` (all the round's rows) when given. A non-finite loss rejects with
   * nonFiniteLoss(k), k indexing `tasks`.
   */
  trainClaimed(theta: Float32Array, tasks: EngineTasks, claims: Int32Array, sums: Float32Array | null): Promise<HelperClaimed>;
  /**
   * The helper's side of forming θ_{t+1} (FastEngine.aggregateClaimed): the parameter slices
   * (parameterSlices) it claims in `claims` from the last one down, computed from the U_i of
   * every task (`sums`, task-major, from sharedValues) and their weights as FastEngine computes
   * them (weighted-sum.ts), written into `next` (from sharedValues).
   */
  aggregateClaimed(theta: Float32Array, sums: Float32Array, weights: Float64Array, claims: Int32Array, next: Float32Array): Promise<void>;
  /**
   * Optional: blocks this thread until the helper has done the last trainClaimed or
   * aggregateClaimed, for at most `ms`, and returns true when it has; that request's promise is
   * then already resolved. Its answer travels through shared memory, so the engine, which has
   * nothing else to do meanwhile, goes on as soon as the helper is done rather than when its
   * reply message reaches this thread's event loop (0.15–0.3 ms later on Node). False when the
   * helper failed or took longer: the promise tells.
   */
  finish?(ms: number): boolean;
  dispose(): void;
}

/** Starts a helper for an engine's options (the host knows how); called at most once per engine. */
export type HelperStarter = () => Promise<EngineHelper>;
