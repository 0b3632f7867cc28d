/**
 * Runs a grid's tasks on the worker pool until they are done or a signal stops them: the first
 * SIGINT / SIGTERM (Kubernetes and Slurm stop jobs with SIGTERM) stops the workers, and every
 * result stored so far is complete, so the same command resumes. Shared by sweep and study,
 * which differ only in what they keep of each run's report.
 */
import type { DtrainError } from '../errors.js';
import type { BackendPreference, EngineName } from '../index.js';
import type { SweepPlan } from '../sweep/grid.js';
import type { ManifestRun } from '../sweep/manifest.js';
import type { PoolHandle, WorkerAnswer, WorkerReply, WorkerTask } from '../sweep/pool.js';
import { escapeForTerminal } from '../text/terminal-escape.js';
import { VERSION } from '../version.js';

export interface PoolRunOptions {
  jobs: number;
  /** plug-in files each worker loads into its own registry (a registry cannot cross threads) */
  plugins: readonly string[];
  onResult: (reply: WorkerReply) => void;
  /** the error the command ends with when a signal stops it (exit 130, how to resume) */
  interrupted: () => DtrainError;
}

export async function runTasksUntilStopped(tasks: WorkerTask[], options: PoolRunOptions): Promise<void> {
  let stopped: DtrainError | undefined;
  let pool: PoolHandle | undefined;
  const interrupt = (): void => {
    stopped ??= options.interrupted();
    pool?.stop(stopped);
  };
  process.on('SIGINT', interrupt);
  process.on('SIGTERM', interrupt);
  try {
    const { runOnWorkers } = await import('../sweep/pool.js');
    if (stopped !== undefined) throw stopped;
    pool = runOnWorkers(tasks, { jobs: options.jobs, onResult: options.onResult, plugins: [...options.plugins] });
    await pool.done;
  } finally {
    process.off('SIGINT', interrupt);
    process.off('SIGTERM', interrupt);
  }
}

/** What sweep and study do with each run's report; the rest of running a grid is shared. */
export interface GridRunOptions {
  plan: SweepPlan;
  jobs: number;
  flags: { backend: BackendPreference; engine: EngineName; plugin?: string[] };
  /** how many runs were complete before this one arrived (stored ones included) */
  completed: () => number;
  total: number;
  /**
   * Keeps a run's answer (its outcome, a study's columns); the progress status to print, or
   * undefined when the answer is not what was asked for (a failure, nothing kept).
   */
  keep: (run: ManifestRun, answer: WorkerAnswer) => string | undefined;
  /** what each run's worker writes and answers with besides the outcome (its report file, a study's columns) */
  output: (run: ManifestRun) => Pick<WorkerTask, 'reportFile' | 'columns'>;
  progressLine: (done: number, total: number, run: ManifestRun, status: string) => string;
  interrupted: () => DtrainError;
}

/** Runs `todo` on the workers, storing each report as it arrives; returns the failures. */
export async function runGridOnPool(todo: readonly ManifestRun[], options: GridRunOptions): Promise<string[]> {
  const { plan, flags, total, progressLine } = options;
  const failures: string[] = [];
  const byKey = new Map(todo.map((run) => [run.key, run]));
  const scenarios = new Map(plan.runs.map((run) => [run.key, run.scenario]));
  const tasks: WorkerTask[] = todo.map((run) => {
    return { key: run.key, scenario: scenarios.get(run.key)!, backend: flags.backend, engine: flags.engine, version: VERSION, ...options.output(run) };
  });
  const onResult = (reply: WorkerReply): void => {
    const run = byKey.get(reply.key)!;
    const done = options.completed() + failures.length + 1;
    if ('error' in reply) {
      failures.push(`${run.report}: ${reply.error.message}`);
      process.stderr.write(progressLine(done, total, run, `failed: ${escapeForTerminal(reply.error.message)}`));
      return;
    }
    // not ours to keep: a worker that answered with something else than this run asked for
    const status = options.keep(run, reply);
    if (status === undefined) {
      failures.push(`${run.report}: the worker's answer was not the run's`);
      process.stderr.write(progressLine(done, total, run, 'failed: the worker\'s answer was not the run\'s'));
      return;
    }
    process.stderr.write(progressLine(done, total, run, status));
  };
  // Ctrl-C, or SIGTERM from Kubernetes or Slurm: stop the workers; every report written so far
  // is complete (atomic), so a re-run resumes.
  await runTasksUntilStopped(tasks, { jobs: options.jobs, onResult, plugins: flags.plugin ?? [], interrupted: options.interrupted });
  return failures;
}
