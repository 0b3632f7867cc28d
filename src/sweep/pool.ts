/**
 * Runs sweep tasks on worker threads (issue 5: `--jobs N`). Each worker takes the next task
 * when it has posted the last one's result, so N runs are in flight at a time. Results come
 * back in completion order; whoever stores them keys them by run, so the order of completion
 * never shows in the outputs. A known error in a run (a diverging loss, say) is that run's
 * result; a crash of a worker is a bug and rejects the whole pool.
 */
import { Worker } from 'node:worker_threads';
import type { BackendPreference, EngineName } from '../index.js';
import type { Scenario } from '../scenario/types.js';
import type { RunColumns } from '../report/run-columns.js';

export interface WorkerTask {
  key: string;
  scenario: Scenario;
  backend: BackendPreference;
  engine: EngineName;
  /** dtrain's version, for the report */
  version: string;
  /**
   * What to answer with. Absent: the run's JSON report, as one string (a sweep). `record`: the
   * run's columns (a study's record), built as the run goes without keeping its node records; with
   * `reportFile`, the JSON report is also written there round by round (--store full), so
   * neither is ever one string (a run of 131,072 nodes × 10 rounds is some 950 MiB of JSON).
   */
  record?: { localSteps: number; reportFile?: string };
}

export type WorkerReply =
  | { key: string; json: string }
  | { key: string; record: RunColumns }
  | { key: string; error: { code: string; message: string } };

/** A run's answer that is not a failure. */
export type WorkerAnswer = Exclude<WorkerReply, { error: unknown }>;

export interface PoolOptions {
  jobs: number;
  /** called on the main thread for every finished task; a throw stops the pool */
  onResult: (reply: WorkerReply) => void;
  /** the worker script (default: worker.js beside this module, in dist/) */
  workerUrl?: URL;
  /** --plugin files each worker loads before its first run */
  plugins?: readonly string[];
}

export interface PoolHandle {
  done: Promise<void>;
  /** stop every worker now; `done` rejects with `reason` */
  stop(reason: Error): void;
}

export function runOnWorkers(tasks: readonly WorkerTask[], options: PoolOptions): PoolHandle {
  const queue = [...tasks];
  const workers: Worker[] = [];
  let settled = false;
  let resolveDone!: () => void;
  let rejectDone!: (error: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    resolveDone = resolve;
    rejectDone = reject;
  });
  let running = 0;
  const finish = (error?: Error): void => {
    if (settled) return;
    settled = true;
    for (const worker of workers) void worker.terminate();
    if (error === undefined) resolveDone();
    else rejectDone(error);
  };
  const feed = (worker: Worker): void => {
    const task = queue.shift();
    if (task === undefined) {
      if (running === 0) finish();
      return;
    }
    running += 1;
    worker.postMessage(task);
  };
  const url = options.workerUrl ?? new URL('./worker.js', import.meta.url);
  const count = Math.max(1, Math.min(options.jobs, tasks.length));
  if (tasks.length === 0) finish();
  for (let i = 0; i < count && tasks.length > 0; i++) {
    const worker = new Worker(url, { workerData: { plugins: [...(options.plugins ?? [])] } });
    workers.push(worker);
    worker.on('message', (reply: WorkerReply) => {
      // after stop() a worker may still post the run it was finishing: the stop's message
      // has counted the runs stored until then, so later ones are not stored either
      if (settled) return;
      running -= 1;
      try {
        options.onResult(reply);
      } catch (error) {
        finish(error as Error);
        return;
      }
      feed(worker);
    });
    worker.on('error', (error) => finish(error));
    worker.on('exit', (code) => {
      if (!settled) finish(new Error(`a sweep worker stopped unexpectedly (exit code ${code})`));
    });
    feed(worker);
  }
  return { done, stop: (reason) => finish(reason) };
}
