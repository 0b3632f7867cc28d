/**
 * Messages between the parallel engine (parallel-engine.ts) and its worker threads
 * (engine-worker.ts). Types only.
 */
import type { EngineOptions, EngineTask, EvalResult } from '../train/engine.js';

/** workerData: the engine options (data copied once per worker) and the backend to start. */
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
      /** this worker's share: global tasks firstTask … firstTask + tasks.length − 1 */
      tasks: EngineTask[];
      firstTask: number;
      /** U_i of every task of the round, task-major float32 [n, paramCount]; the worker fills its rows */
      sums: SharedArrayBuffer;
    }
  | { id: number; kind: 'evaluate'; theta: Float32Array };

export interface WorkerError {
  message: string;
  /** a non-finite loss: the failing task's index among all the tasks of the request */
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
  evaluation?: EvalResult;
  error?: WorkerError;
}
