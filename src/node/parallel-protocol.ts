/**
 * Messages between the main thread's engines (parallel-engine.ts, engine-helper.ts) and their
 * worker threads (engine-worker.ts). Types only. Float32Arrays over a SharedArrayBuffer travel
 * as views of the same memory: the worker writes the U_i where the main thread reads them.
 */
import type { EngineOptions, EvalResult, PackedTasks } from '../train/engine.js';

/** workerData: the engine options (data copied once per worker, shared when already shared) and the backend to start. */
export interface WorkerSetup {
  options: EngineOptions;
  backend: string;
}

export type WorkerRequest =
  | {
      id: number;
      kind: 'train';
      /** θ_t, flat (fast-layout.ts order) */
      theta: Float32Array;
      tasks: PackedTasks;
      /** where to write the tasks' U_i (task-major, row k for tasks[k]; shared memory), or null for norms only */
      sums: Float32Array | null;
    }
  | {
      id: number;
      kind: 'claim';
      theta: Float32Array;
      /** all the round's tasks */
      tasks: PackedTasks;
      /** one flag per unit of the round (shared memory): the worker claims from the last one down */
      claims: Int32Array;
      /** where to write the U_i of the tasks it trains (all the round's rows; shared memory), or null */
      sums: Float32Array | null;
      /** where the answer goes too (shared memory): [state, from] (HELPER_DONE or HELPER_FAILED, then Atomics.notify), and the norms from `from` on */
      answer?: { signal: Int32Array; norms: Float64Array };
    }
  | {
      id: number;
      kind: 'aggregate';
      theta: Float32Array;
      /** the U_i of every task of the round, task-major (shared memory) */
      sums: Float32Array;
      weights: Float64Array;
      /** one flag per parameter slice of θ_{t+1} (shared memory): the worker claims from the last one down */
      claims: Int32Array;
      /** θ_{t+1}, where the worker writes the slices it claims (shared memory) */
      next: Float32Array;
      /** [state] (shared memory): HELPER_DONE or HELPER_FAILED once the slices are written, then Atomics.notify */
      signal?: Int32Array;
    }
  | { id: number; kind: 'evaluate'; theta: Float32Array };

/** A request's state in its `signal`: 0 while the worker works on it. */
export const HELPER_DONE = 1;
export const HELPER_FAILED = 2;

export interface WorkerError {
  message: string;
  /** a non-finite loss: the failing task's index among the request's tasks */
  task?: number | null;
  code?: string;
  exitCode?: number;
  hint?: string;
}

/** id 0 is the start-up reply (with `backend`); others answer the request of the same id. */
export interface WorkerReply {
  id: number;
  ok: boolean;
  backend?: string;
  norms?: Float64Array;
  /** a claim request's first task trained: `norms` are those of tasks from … on */
  from?: number;
  evaluation?: EvalResult;
  error?: WorkerError;
}
