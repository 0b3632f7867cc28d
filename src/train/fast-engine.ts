/**
 * The fast training engine (issue 3): the TrainEngine contract of engine.ts, computing the
 * same numbers as the reference engine (SPEC §2 S4) with far fewer tfjs ops.
 *
 * Per round, for tasks i = 1 … n with batches b_i:
 * 1. step 1 of all tasks in passes over their concatenated batches (fast-concat-pass.ts, in
 *    chunks of ~4k rows): they all start from θ_t, so one forward/backward gives every row's
 *    deltas;
 * 2. per node, its gradient G_i = Σ_l Ãᵀ·D as plain 2-D matMuls (fast-node-grads.ts), and
 *    steps 2 … K node by node (fast-node-step.ts);
 * 3. in JS: U_i = Σ_steps G_i^(s) (float32), so θ_i = θ_t − lr·U_i and
 *    ‖g_i‖ = ‖θ_t − θ_i‖ / (lr · K) = ‖U_i‖ / K (float64); at aggregate()
 *    θ_{t+1} = Σ w_i θ_i = (Σ w_i)·θ_t − lr · Σ w_i U_i, accumulated in float64 and rounded
 *    once to float32.
 * The parameters live in JS as one flat vector (fast-layout.ts); tensors exist only within a
 * call, except the test split and the current round's batches (fast-batches.ts).
 */
import { currentBackend, initBackend, loadTf, type Tf } from './backend.js';
import { nonFiniteLoss, type EngineFactory, type EngineOptions, type EngineTask, type EvalResult, type TrainEngine } from './engine.js';
import { BatchStore, type StepBatch } from './fast-batches.js';
import { runConcatPass, type ConcatPass } from './fast-concat-pass.js';
import { TestSet } from './fast-evaluate.js';
import { describeModel, flattenParams, unflattenParams, type ModelLayout } from './fast-layout.js';
import { concatNodeGradient } from './fast-node-grads.js';
import { nodeStepGradient } from './fast-node-step.js';
import { addInto, aggregateParams, largestMagnitude, staysFinite, stepAway, sumOfSquares } from './fast-vector-math.js';

/** Exported for the worker threads of node/parallel-engine.ts, which also need setTheta / pendingSums. */
export class FastEngine implements TrainEngine {
  readonly backend: string;
  readonly paramCount: number;
  private readonly layout: ModelLayout;
  private theta: Float32Array;
  /** U_i of the last trainLocal, task-major [n, paramCount]; null when none is pending */
  private pending: { sums: Float32Array; tasks: number } | null = null;
  /** storage of the U_i, reused from round to round (trainLocal overwrites it entirely) */
  private sumsBuffer = new Float32Array(0);
  private readonly batches: BatchStore;
  private readonly testSet: TestSet;
  /** a node's parameters and one step's gradient during steps 2 … K */
  private readonly scratch: { local: Float32Array; gradient: Float32Array };

  constructor(private readonly tf: Tf, private readonly options: EngineOptions) {
    const { train, hidden, initialParams } = options;
    if (!Number.isInteger(options.localSteps) || options.localSteps < 1) throw new Error(`localSteps must be a positive integer, got ${options.localSteps}`);
    this.layout = describeModel(train.featureCount, hidden, train.classCount);
    this.theta = flattenParams(this.layout, initialParams);
    this.backend = tf.getBackend();
    this.paramCount = this.layout.paramCount;
    this.batches = new BatchStore(tf, train, options.localSteps);
    this.testSet = new TestSet(tf, options.test);
    this.scratch = { local: new Float32Array(this.paramCount), gradient: new Float32Array(this.paramCount) };
  }

  async trainLocal(tasks: EngineTask[]): Promise<Float64Array> {
    this.pending = null;
    const count = this.layout.paramCount;
    if (this.sumsBuffer.length < tasks.length * count) this.sumsBuffer = new Float32Array(tasks.length * count);
    const sums = this.sumsBuffer.subarray(0, tasks.length * count);
    const norms = new Float64Array(tasks.length);
    if (tasks.length > 0) {
      try {
        await this.trainTasks(tasks, sums, norms);
      } catch (error) {
        this.batches.dispose(); // a failed run stops here: hold no tensors for it
        throw error;
      }
      if (this.options.keepBatches !== true) this.batches.dispose();
    }
    this.pending = { sums, tasks: tasks.length };
    return norms;
  }

  /** Fills U_i (task-major in `sums`) and ‖g_i‖ = ‖U_i‖ / K for every task, chunk by chunk. */
  private async trainTasks(tasks: readonly EngineTask[], sums: Float32Array, norms: Float64Array): Promise<void> {
    const batches = this.batches.prepare(tasks);
    const thetaMagnitude = largestMagnitude(this.theta);
    for (const chunk of batches.chunks) {
      const pass = await runConcatPass(this.tf, this.layout, this.theta, chunk);
      for (let j = 0; j < chunk.tasks; j++) {
        const i = chunk.firstTask + j;
        const sum = sums.subarray(i * this.layout.paramCount, (i + 1) * this.layout.paramCount);
        this.trainTask(batches.steps[i]!, pass, chunk.offsets[j]!, sum);
        // A non-finite loss makes the softmax, hence the gradient, NaN (the softmax is
        // max-shifted, so finite logits always give a finite loss); so does a non-finite
        // parameter in a later step. What is left to check is θ_i = θ_t − lr·U_i in float32.
        const squares = sumOfSquares(sum);
        if (!staysFinite(this.theta, sum, this.options.learningRate, squares, thetaMagnitude)) throw nonFiniteLoss(i);
        norms[i] = Math.sqrt(squares) / this.options.localSteps;
      }
    }
  }

  /** U_i of one task: step 1 from the concatenated pass (its rows start at `start`), then steps 2 … K. */
  private trainTask(steps: readonly StepBatch[], pass: ConcatPass, start: number, sum: Float32Array): void {
    const { tf, layout, theta, scratch } = this;
    concatNodeGradient(tf, layout, pass, start, steps[0]!.inputsT, sum);
    for (let s = 1; s < steps.length; s++) {
      stepAway(theta, sum, this.options.learningRate, scratch.local);
      nodeStepGradient(tf, layout, scratch.local, steps[s]!, scratch.gradient);
      addInto(sum, scratch.gradient);
    }
  }

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

  /** Replaces θ (flat, fast-layout.ts order); node/parallel-engine.ts's workers get θ_t this way. */
  setTheta(theta: Float32Array): void {
    if (theta.length !== this.paramCount) throw new Error(`setTheta() got ${theta.length} values for ${this.paramCount} parameters`);
    this.theta = Float32Array.from(theta);
    this.pending = null;
  }

  /** U_i of the last trainLocal, task-major [n, paramCount] (a view: valid until the next trainLocal), or null. */
  pendingSums(): Float32Array | null {
    return this.pending?.sums ?? null;
  }

  evaluate(): Promise<EvalResult> {
    return this.testSet.evaluate(this.layout, this.theta);
  }

  getParams(): Float32Array[] {
    return unflattenParams(this.layout, this.theta);
  }

  dispose(): void {
    this.batches.dispose();
    this.testSet.dispose();
    this.pending = null;
  }
}

/** Uses the backend chosen by `initBackend` (or chooses `auto` if none was chosen yet). */
export const createFastEngine: EngineFactory = async (options) => {
  const tf = await loadTf();
  if (currentBackend() === null) await initBackend('auto');
  return new FastEngine(tf, options);
};
