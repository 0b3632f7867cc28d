/**
 * The parallel engine (issue 3, opt-in `--engine parallel`): the fast engine's maths on two
 * worker threads. tfjs-wasm is single-threaded in Node (PERF-NOTES fact 4), so the second core
 * is reached through worker_threads, each with its own TF.js and FastEngine (engine-worker.ts).
 *
 * The main thread owns θ (flat, fast-layout.ts order) and loads no TF.js at all. Per round:
 * tasks [0, ⌈n/2⌉) go to worker 0 and the rest to worker 1 — fixed by index, never by timing,
 * so results are deterministic; both start from θ_t, write their U_i into one shared buffer
 * (task-major, as FastEngine keeps them) and return their norms. aggregate() is then
 * FastEngine's: θ_{t+1} = (Σ w_i)·θ_t − lr · Σ w_i U_i in float64, rounded once to float32
 * (SPEC §2 S4), so the parameters equal the fast engine's.
 *
 * The worker entry resolves to dist/train/engine-worker.js: this engine runs only from dist/.
 */
import { currentBackend } from '../train/backend.js';
import { isNonFiniteLoss, nonFiniteLoss, type EngineFactory, type EngineOptions, type EngineTasks, type EvalResult, type TrainEngine } from '../train/engine.js';
import { describeModel, flattenParams, unflattenParams, type ModelLayout } from '../train/fast-layout.js';
import { aggregateParams } from '../train/fast-vector-math.js';
import { EngineThread } from './engine-thread.js';
import type { WorkerReply, WorkerSetup } from './parallel-protocol.js';

const WORKERS = 2;

class ParallelEngine implements TrainEngine {
  readonly paramCount: number;
  private theta: Float32Array;
  /** U_i of the last trainLocal, task-major [n, paramCount]; null when none is pending */
  private pending: { sums: Float32Array; tasks: number } | null = null;
  private sumsBuffer = new SharedArrayBuffer(0);

  constructor(
    readonly backend: string,
    private readonly layout: ModelLayout,
    private readonly options: EngineOptions,
    private readonly workers: EngineThread[],
  ) {
    this.paramCount = layout.paramCount;
    this.theta = flattenParams(layout, options.initialParams);
  }

  async trainLocal(tasks: EngineTasks): Promise<Float64Array> {
    this.pending = null;
    const count = this.paramCount;
    if (this.sumsBuffer.byteLength < tasks.count * count * 4) this.sumsBuffer = new SharedArrayBuffer(tasks.count * count * 4);
    const split = Math.ceil(tasks.count / WORKERS);
    const shares = [
      { firstTask: 0, tasks: tasks.slice(0, split) },
      { firstTask: split, tasks: tasks.slice(split, tasks.count) },
    ];
    const replies = await Promise.allSettled(
      shares.map((share, w) =>
        share.tasks.count === 0
          ? Promise.resolve(null)
          : this.workers[w]!.request({ kind: 'train', theta: this.theta, tasks: share.tasks.packed(), sums: new Float32Array(this.sumsBuffer, share.firstTask * count * 4, share.tasks.count * count) }),
      ),
    );
    // the lowest failing task first, as FastEngine, which trains the tasks in order, reports it
    replies.forEach((reply, w) => {
      if (reply.status !== 'rejected') return;
      const error: unknown = reply.reason;
      throw isNonFiniteLoss(error) && error.task !== null ? nonFiniteLoss(shares[w]!.firstTask + error.task) : error;
    });
    const norms = new Float64Array(tasks.count);
    replies.forEach((reply, w) => {
      const value = (reply as PromiseFulfilledResult<WorkerReply | null>).value;
      if (value !== null) norms.set(value.norms!, shares[w]!.firstTask);
    });
    this.pending = { sums: new Float32Array(this.sumsBuffer, 0, tasks.count * count), tasks: tasks.count };
    return norms;
  }

  /** As FastEngine.aggregate, on the U_i the workers wrote. */
  aggregate(weights: Float64Array): void {
    const pending = this.pending;
    if (pending === null) throw new Error('aggregate() called without a preceding trainLocal()');
    if (weights.length !== pending.tasks) throw new Error(`aggregate() got ${weights.length} weights for ${pending.tasks} tasks`);
    this.pending = null;
    if (pending.tasks === 0) return; // SPEC §2 S4: an empty round leaves θ unchanged
    this.theta = aggregateParams(this.theta, pending.sums, weights, this.options.learningRate);
  }

  discardLocal(): void {
    this.pending = null;
  }

  async evaluate(): Promise<EvalResult> {
    return (await this.workers[0]!.request({ kind: 'evaluate', theta: this.theta })).evaluation!;
  }

  getParams(): Float32Array[] {
    return unflattenParams(this.layout, this.theta);
  }

  dispose(): void {
    this.pending = null;
    for (const worker of this.workers) worker.terminate();
  }
}

/** Workers start the backend chosen by `initBackend` on the main thread (`auto` if none was). */
export const createParallelEngine: EngineFactory = async (options) => {
  const { train, hidden } = options;
  if (!Number.isInteger(options.localSteps) || options.localSteps < 1) throw new Error(`localSteps must be a positive integer, got ${options.localSteps}`);
  const layout = describeModel(train.featureCount, hidden, train.classCount);
  flattenParams(layout, options.initialParams); // refuse malformed parameters before starting threads
  const setup: WorkerSetup = { options, backend: currentBackend() ?? 'auto' };
  const workers = Array.from({ length: WORKERS }, () => new EngineThread(setup));
  try {
    const started = await Promise.all(workers.map((worker) => worker.started));
    return new ParallelEngine(started[0]!.backend!, layout, options, workers);
  } catch (error) {
    for (const worker of workers) worker.terminate();
    throw error;
  }
};
