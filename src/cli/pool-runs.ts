/**
 * Runs a grid's tasks on the worker pool until they are done or a signal stops them: the first
 * SIGINT / SIGTERM (Kubernetes and Slurm stop jobs with SIGTERM) stops the workers, and every
 * result stored so far is complete, so the same command resumes. Shared by sweep and study.
 */
import type { DtrainError } from '../errors.js';
import type { PoolHandle, WorkerReply, WorkerTask } from '../sweep/pool.js';

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
