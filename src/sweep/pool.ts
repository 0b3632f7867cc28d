/**
 * Runs sweep and study tasks on worker threads (issue 5: `--jobs N`). Each worker takes the next task
 * when it has posted the last one's result, so N runs are in flight at a time. Results come
 * back in completion order; whoever stores them keys them by run, so the order of completion
 * never shows in the outputs. A known error in a run (a diverging loss, say) is that run's
 * result, and so is a worker that exits during it; a crash of a worker (an uncaught error)
 * is a bug and rejects the whole pool.
 */
import { dirname } from 'node:path';
import { Worker } from 'node:worker_threads';
import { removeWorkerTemps } from '../output-file.js';
import type { BackendPreference, EngineName } from '../index.js';
import type { Scenario } from '../scenario/types.js';
import type { RunColumns } from '../report/run-columns.js';
import type { RunOutcome } from './run-report.js';

export interface WorkerTask {
  key: string;
  scenario: Scenario;
  backend: BackendPreference;
  engine: EngineName;
  /** dtrain's version, for the report */
  version: string;
  /**
   * Where the run's JSON report is written, round by round, and committed once the run is done
   * (a sweep's report; a study's with --store full). The run keeps no node records and its
   * report is never one string: a run of 131,072 nodes × 10 rounds is some 950 MiB of JSON.
   */
  reportFile?: string;
  /** a study's: the run's columns (its record), built as the run goes */
  columns?: { localSteps: number };
}

export type WorkerReply =
  | { key: string; outcome: RunOutcome; columns?: RunColumns }
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
  // a worker stopped mid-run leaves its report's temporary file behind: removed once it is gone
  const reportDirs = new Set(tasks.flatMap((task) => (task.reportFile === undefined ? [] : [dirname(task.reportFile)])));
  const finish = (error?: Error): void => {
    if (settled) return;
    settled = true;
    void Promise.allSettled(workers.map((worker) => worker.terminate())).then(() => {
      for (const dir of reportDirs) removeWorkerTemps(dir);
      if (error === undefined) resolveDone();
      else rejectDone(error);
    });
  };
  // the task each worker is running, so that a worker that exits can fail it alone
  const current = new Map<Worker, WorkerTask>();
  const feed = (worker: Worker): void => {
    const task = queue.shift();
    if (task === undefined) {
      if (running === 0) finish();
      return;
    }
    running += 1;
    current.set(worker, task);
    worker.postMessage(task);
  };
  const answer = (worker: Worker, reply: WorkerReply): boolean => {
    running -= 1;
    current.delete(worker);
    try {
      options.onResult(reply);
    } catch (error) {
      finish(error as Error);
      return false;
    }
    return true;
  };
  const url = options.workerUrl ?? new URL('./worker.js', import.meta.url);
  const count = Math.max(1, Math.min(options.jobs, tasks.length));
  const start = (): void => {
    const worker = new Worker(url, { workerData: { plugins: [...(options.plugins ?? [])] } });
    workers.push(worker);
    worker.on('message', (reply: WorkerReply) => {
      // after stop() a worker may still post the run it was finishing: the stop's message
      // has counted the runs stored until then, so later ones are not stored either
      if (settled) return;
      if (answer(worker, reply)) feed(worker);
    });
    worker.on('error', (error) => finish(error));
    // A worker that exits on its own (a plug-in calling process.exit() in its thread) is no bug
    // of dtrain's: the run it had fails, as a run whose plug-in throws does, and a new worker
    // takes the next one.
    worker.on('exit', (code) => {
      if (settled) return;
      const task = current.get(worker);
      if (task === undefined) {
        if (running === 0 && queue.length === 0) finish();
        return;
      }
      const reply: WorkerReply = { key: task.key, error: { code: 'sweep.workerExited', message: `its worker thread exited with code ${code} during the run (a plug-in calling process.exit() does this)` } };
      if (!answer(worker, reply)) return;
      if (queue.length > 0) start();
      else if (running === 0) finish();
    });
    feed(worker);
  };
  if (tasks.length === 0) finish();
  for (let i = 0; i < count && tasks.length > 0; i++) start();
  return { done, stop: (reason) => finish(reason) };
}
