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
 *    ‖g_i‖ = ‖θ_t − θ_i‖ / (lr · K) = ‖U_i‖ / K (float64); after aggregate()
 *    θ_{t+1} = Σ w_i θ_i = (Σ w_i)·θ_t − lr · Σ w_i U_i, accumulated in float64 in task order
 *    (weighted-sum.ts) and rounded once to float32.
 *
 * Memory (issue 14, SPEC §9): the U_i of a round are kept between trainLocal and aggregate
 * only while n × paramCount ≤ MAX_HELD_VALUES, a property of the scenario, never of the
 * machine. Above it, trainLocal keeps only the norms, and the aggregate recomputes each
 * chunk's U_i with the very same code and adds them in task order as they come: the same
 * float64 operations in the same order, so both modes give the same bytes. Batches are
 * gathered chunk by chunk, never for a whole round (except `keepBatches`, the benchmark's).
 *
 * Two threads (issue 14): given a helper (engine-helper.ts; the Node host starts a worker
 * thread) and a round of n × paramCount ≥ PARALLEL_MIN_VALUES, the two threads claim the
 * round's units of tasks as they go, this one from the first, the helper from the last, until
 * they meet (unit-claims.ts: whichever thread is slower in that round does less), and, where
 * the sum kernel does not run (kernels/sum-kernel.ts: it forms θ_{t+1} faster alone), the
 * parameter slices of θ_{t+1} likewise (each parameter still summed over the tasks in order);
 * with U_i not held, the helper recomputes every other chunk while this thread adds them up in
 * order. A helper that finds every unit or slice of a round taken by this thread is not waited
 * for. Every row of the concatenated pass is computed on its own, so the numbers do not depend
 * on which thread computed which rows, nor on whether or when the helper joined. Whether a large round
 * uses the helper at all is decided round by round from its measured payoff (helper-payoff.ts:
 * on a busy machine it costs more than it brings); that choice never changes a number either.
 *
 * aggregate() only records the weights; θ_{t+1} is formed when next needed (evaluate,
 * trainLocal, getParams), so that a helper can take part without blocking.
 */
import { ArrayArena } from './array-arena.js';
import { currentBackend, initBackend, loadTf, type Tf } from './backend.js';
import { nonFiniteLoss, type EngineFactory, type EngineOptions, type EngineTasks, type EvalResult, type TrainEngine } from './engine.js';
import type { EngineHelper, HelperStarter } from './engine-helper.js';
import { BatchStore, buildChunk, checkTasks, chunkRanges, disposeChunk, type BatchTensors, type ChunkBatches, type StepBatch } from './fast-batches.js';
import { PassBuffers, runConcatPass, runConcatPassSync, type ConcatPass } from './fast-concat-pass.js';
import { TestSet } from './fast-evaluate.js';
import { describeModel, flattenParams, unflattenParams, type ModelLayout } from './fast-layout.js';
import { concatNodeGradient, productInJs } from './fast-node-grads.js';
import { LaterSteps, nodeStepGradient, TFJS_ONLY } from './fast-node-step.js';
import { BOUNDED_CHUNK_VALUES, boundedChunkTasks, MAX_HELD_VALUES, MAX_RESERVED_VALUES, PARALLEL_MIN_VALUES } from './fast-sizes.js';
import { largestMagnitude, staysFinite, sumOfSquares } from './fast-vector-math.js';
import { HelperPayoff } from './helper-payoff.js';
import { GradientKernel } from './kernels/gradient-kernel.js';
import { SumKernel } from './kernels/sum-kernel.js';
import { LaterWorkspace, PlainLaterVectors, type LaterVectors } from './later-workspace.js';
import { claimRest, claimUnits, parameterSlices, unitRanges } from './unit-claims.js';
import { finishSlice, WeightedSum } from './weighted-sum.js';

export { BOUNDED_CHUNK_VALUES, MAX_HELD_VALUES, PARALLEL_MIN_VALUES };

/**
 * How long this thread blocks for the helper to finish its part of a split round or aggregate
 * (EngineHelper.finish) before it awaits the helper's reply instead: its last unit or slice
 * takes far less, unless something else holds the helper's core, and then blocking longer
 * would only keep this thread from its signals.
 */
const FINISH_WAIT_MS = 20;

/** How the engine chooses its mode; the defaults are the constants above, tests force others. */
export interface FastEngineTuning {
  maxHeldValues?: number;
  /** the most values of U_i made room for as the engine starts (MAX_RESERVED_VALUES) */
  maxReservedValues?: number;
  /**
   * n × paramCount from which a round is split with the helper. Given (tests), every such round
   * is; by default (PARALLEL_MIN_VALUES) only one whose model has work for tfjs (splitsPay).
   */
  parallelMinValues?: number;
  /** values of U_i per chunk when not held */
  chunkValues?: number;
  /** how to start a helper thread (the host's); none: one thread */
  startHelper?: HelperStarter;
  /** the clock (ms) that times rounds for the helper's payoff; performance.now by default */
  now?: () => number;
  /** split every large round once the helper has joined, paying or not (tests of its numbers) */
  alwaysSplit?: boolean;
  /** false: the step-1 gradients by tfjs products even where the gradient kernel runs (tests compare the two) */
  gradientKernel?: boolean;
  /** false: θ_{t+1}'s sums in JavaScript even where the sum kernel runs (tests compare the two) */
  sumKernel?: boolean;
  /** false: a later local step's products all by tfjs, as before, not in JS or by a kernel (fast-node-step.ts; tests compare the two) */
  laterStepProducts?: boolean;
  /**
   * false: each chunk's rows and a later step's intermediate arrays made one by one, not taken
   * from an ArrayArena (tests compare the two)
   */
  reusedArrays?: boolean;
}

interface Round {
  tasks: EngineTasks;
  /** U_i task-major [n, paramCount] when held, else null */
  held: Float32Array | null;
  /** the helper this round is split with, training and aggregate (`held` is then in shared memory) */
  helper: EngineHelper | null;
  /** training rows of a round timed for the payoff (helper-payoff.ts), else 0 */
  rows: number;
  /** wall time of its trainLocal (ms) */
  trainMs: number;
}

/** Training rows of all steps of all tasks: what a round's time is compared by. */
function countRows(tasks: EngineTasks): number {
  return tasks.offsets[tasks.offsets.length - 1]! - tasks.offsets[0]!;
}

/** Exported for the worker threads of src/node/ (they call trainShare). */
export class FastEngine implements TrainEngine {
  readonly backend: string;
  readonly paramCount: number;
  private readonly layout: ModelLayout;
  private theta: Float32Array;
  /** the last trainLocal's round, until aggregate() or discardLocal() */
  private pending: Round | null = null;
  /** a round whose weights are known and whose θ_{t+1} is not formed yet */
  private aggregating: (Round & { weights: Float64Array }) | null = null;
  /** storage of held U_i on this thread, reused from round to round (without the sum kernel) */
  private sumsBuffer = new Float32Array(0);
  /** the sum kernel whose memory holds them instead (kernels/sum-kernel.ts), made when first needed */
  private rowsKernel: SumKernel | null = null;
  /** the same in memory shared with the helper, its kernel when it runs, and its two chunk buffers for recomputing */
  private sharedSums: Float32Array | null = null;
  private sharedKernel: SumKernel | null = null;
  private sharedChunks: Float32Array[] | null = null;
  private readonly batches: BatchStore;
  /**
   * kept batches of each unit of a split round this thread trained (keepBatches): a unit's
   * are rebuilt when its tasks change; there are a few dozen units at most (unit-claims.ts)
   */
  private readonly unitBatches = new Map<number, BatchStore>();
  /** which batches are tensors: kept ones (keepBatches), and those built for one chunk */
  private readonly keptTensors: BatchTensors;
  private readonly chunkTensors: BatchTensors;
  /** where the rows of each chunk built for one pass are gathered (on wasm), else null */
  private readonly chunkArena: ArrayArena | null;
  private readonly laterSteps: LaterSteps;
  /** a node's later steps' vectors: in the later steps' kernel's memory (on wasm with the kernel and reused arrays), else JS arrays */
  private readonly laterVectors: LaterVectors;
  /** θ_{t+1}'s parameter slices, which a split round's aggregate claims (unit-claims.ts) */
  private readonly slices: ReadonlyArray<[number, number]>;
  private readonly passBuffers: PassBuffers;
  private readonly testSet: TestSet;
  /** one task's U_i when not held */
  private readonly scratchSum: Float32Array;
  private readonly maxHeld: number;
  /** tasks per chunk of recomputed U_i */
  private readonly chunkTasks: number;
  private readonly parallelMin: number;
  private helper: EngineHelper | null = null;
  private helperStart: Promise<void> | null = null;
  private readonly payoff = new HelperPayoff();
  private readonly now: () => number;
  private disposed = false;

  constructor(
    private readonly tf: Tf,
    private readonly options: EngineOptions,
    private readonly tuning: FastEngineTuning = {},
  ) {
    const { train, hidden, initialParams } = options;
    if (!Number.isInteger(options.localSteps) || options.localSteps < 1) throw new Error(`localSteps must be a positive integer, got ${options.localSteps}`);
    this.layout = describeModel(train.featureCount, hidden, train.classCount);
    this.theta = flattenParams(this.layout, initialParams);
    this.backend = tf.getBackend();
    this.paramCount = this.layout.paramCount;
    this.slices = parameterSlices(this.paramCount);
    // on wasm every node's step-1 gradient is computed by one small kernel (same bits as tfjs's products)
    const kernel = this.backend === 'wasm' && tuning.gradientKernel !== false ? GradientKernel.create(this.paramCount) : null;
    this.passBuffers = new PassBuffers(kernel);
    // later steps' products: their own kernel (the step-1 kernel's memory holds the pass meanwhile)
    const laterProducts = tuning.laterStepProducts === false
      ? TFJS_ONLY
      : { js: true, kernel: kernel !== null && options.localSteps > 1 ? GradientKernel.create(this.paramCount) : null };
    // reused arrays only where making a tensor copies its array (wasm); the cpu backend keeps it
    const reuse = this.backend === 'wasm' && tuning.reusedArrays !== false;
    const workspace = reuse && laterProducts.kernel !== null ? new LaterWorkspace(laterProducts.kernel, this.layout) : null;
    const later = workspace !== null
      ? new LaterSteps(tf, this.layout, laterProducts, workspace.arena, true)
      : new LaterSteps(tf, this.layout, laterProducts, reuse ? new ArrayArena() : null);
    this.laterVectors = workspace ?? new PlainLaterVectors(this.paramCount);
    this.laterSteps = later;
    // kept batches keep step 1's X̃ᵀ for the nodes whose first product goes to tfjs; a later
    // step's rows are uploaded only when its first layer's products go to tfjs
    const first = this.layout.layers[0]!;
    const laterTensors = (rows: number): boolean => later.uploads(rows);
    // the concatenated step 1's tensors only for a pass by tfjs (fast-concat-pass.ts: the kernel reads their values)
    const concat = !this.passBuffers.inKernel;
    this.keptTensors = {
      concat,
      firstInputsT: (rows: number): boolean => kernel === null && !productInJs(tf, first.inputs, rows, first.outputs),
      laterTensors,
    };
    this.chunkTensors = { concat, firstInputsT: () => false, laterTensors };
    this.chunkArena = reuse ? new ArrayArena() : null;
    this.batches = new BatchStore(tf, train, this.keptTensors);
    this.testSet = new TestSet(tf, options.test, kernel);
    const count = this.paramCount;
    this.scratchSum = new Float32Array(count);
    this.maxHeld = tuning.maxHeldValues ?? MAX_HELD_VALUES;
    this.chunkTasks = boundedChunkTasks(this.paramCount, tuning.chunkValues ?? BOUNDED_CHUNK_VALUES);
    this.parallelMin = tuning.parallelMinValues ?? PARALLEL_MIN_VALUES;
    this.now = tuning.now ?? (() => performance.now());
    if (options.maxTasks !== undefined) this.reserve(options.maxTasks);
  }

  /**
   * Room for the U_i of a round of `tasks` tasks, written once now (EngineOptions.maxTasks), up
   * to MAX_RESERVED_VALUES, where such a round would keep them in this thread's memory; nothing
   * for a round too large to keep them (they are recomputed) or for an empty one.
   */
  private reserve(tasks: number): void {
    const length = tasks * this.paramCount;
    if (!(Number.isSafeInteger(length) && length > 0 && length <= this.maxHeld)) return;
    this.heldRows(Math.min(length, this.tuning.maxReservedValues ?? MAX_RESERVED_VALUES)).fill(0);
  }

  /** How many values of U_i this thread's memory holds room for now (tests). */
  get heldCapacity(): number {
    if (this.rowsKernel !== null) return this.rowsKernel.capacity();
    return this.sumsBuffer.length;
  }

  async trainLocal(tasks: EngineTasks): Promise<Float64Array> {
    await this.settle();
    this.pending = null;
    checkTasks(tasks, this.options.localSteps, this.options.train.samples);
    const n = tasks.count;
    const count = this.paramCount;
    const norms = new Float64Array(n);
    if (n === 0) {
      this.pending = { tasks, held: null, helper: null, rows: 0, trainMs: 0 };
      return norms;
    }
    const start = this.now();
    const { helper, timed } = this.splittable(tasks) ? this.helperFor() : { helper: null, timed: false };
    const held = n * count <= this.maxHeld;
    const sums = held ? this.heldRows(n * count) : null;
    try {
      if (helper !== null) await this.trainSplit(helper, tasks, sums, norms);
      else await this.trainRange(tasks, 0, n, sums, norms);
    } catch (error) {
      this.disposeBatches(); // a failed run stops here: hold no tensors for it
      throw error;
    }
    this.pending = { tasks, held: sums, helper, rows: timed ? countRows(tasks) : 0, trainMs: this.now() - start };
    return norms;
  }

  /**
   * Where a round keeps its `length` values of U_i, one buffer at a time: the rounds before the
   * helper joins use this thread's (the sum kernel's memory where it runs), the rounds after it
   * the shared one, whether they use the helper or not.
   */
  private heldRows(length: number): Float32Array {
    const count = this.paramCount;
    if (this.helper !== null) {
      if (this.sharedSums === null || this.sharedSums.length < length) {
        this.sharedKernel = this.tuning.sumKernel === false ? null : SumKernel.createShared(count, length);
        this.sharedSums = this.sharedKernel?.rows(length) ?? this.helper.sharedValues(length);
      }
      this.sumsBuffer = new Float32Array(0);
      this.rowsKernel = null;
      return this.sharedSums.subarray(0, length);
    }
    this.sharedSums = null;
    this.sharedKernel = null;
    if (this.tuning.sumKernel !== false) this.rowsKernel ??= SumKernel.create(count);
    if (this.rowsKernel !== null) return this.rowsKernel.rows(length);
    if (this.sumsBuffer.length < length) this.sumsBuffer = new Float32Array(length);
    return this.sumsBuffer.subarray(0, length);
  }

  /**
   * The helper's side of a round (src/node/): ‖g_i‖ of `tasks` from θ, and their U_i written
   * into `sums` (row k for tasks[k]) when given. Leaves no round pending.
   */
  async trainShare(theta: Float32Array, tasks: EngineTasks, sums: Float32Array | null): Promise<Float64Array> {
    this.setTheta(theta);
    checkTasks(tasks, this.options.localSteps, this.options.train.samples);
    const norms = new Float64Array(tasks.count);
    try {
      await this.trainRange(tasks, 0, tasks.count, sums, norms);
    } catch (error) {
      this.disposeBatches();
      throw error;
    }
    return norms;
  }

  /**
   * The round's units claimed by both threads (unit-claims.ts): this one from the first up,
   * the helper from the last down, until they meet. The lowest failing task is reported: this
   * thread's units all lie below the helper's, and the helper stops at its first failure.
   * When this thread took every unit (the helper had not started: its core was busy), it does
   * not wait for the helper's answer; the flags are the round's own, so the helper finds
   * nothing left to take when it comes to them.
   */
  private async trainSplit(helper: EngineHelper, tasks: EngineTasks, sums: Float32Array | null, norms: Float64Array): Promise<void> {
    const units = unitRanges(tasks);
    const claims = helper.sharedFlags(units.length);
    const theirs = helper.trainClaimed(this.theta, tasks, claims, sums);
    let mine: unknown = null;
    try {
      if ((await this.trainUnits(tasks, units, claims, false, sums, norms)) === units.length) return void theirs.catch(() => undefined);
    } catch (error) {
      mine = error;
    }
    if (mine === null) helper.finish?.(FINISH_WAIT_MS);
    const answer = await theirs.then(
      (claimed) => ({ claimed, error: null as unknown }),
      (error: unknown) => ({ claimed: null, error }),
    );
    if (mine !== null) throw mine;
    if (answer.error !== null) throw answer.error;
    norms.set(answer.claimed!.norms, answer.claimed!.from);
  }

  /**
   * The helper's side of a split round (src/node/): the units of `tasks` it claims in `claims`
   * from the last one down, trained from θ; their U_i written into `sums` (all the round's
   * rows) when given. Returns the first task it trained and the norms from it on.
   */
  async trainClaimed(theta: Float32Array, tasks: EngineTasks, claims: Int32Array, sums: Float32Array | null): Promise<{ from: number; norms: Float64Array }> {
    // the tasks are not checked again: the thread that split the round checked them all
    this.setTheta(theta);
    const norms = new Float64Array(tasks.count);
    const units = unitRanges(tasks);
    let trained: number;
    try {
      trained = await this.trainUnits(tasks, units, claims, true, sums, norms);
    } catch (error) {
      this.disposeBatches();
      throw error;
    }
    const from = trained === 0 ? tasks.count : units[units.length - trained]![0];
    return { from, norms: norms.slice(from) };
  }

  /**
   * Trains the units this thread claims, up from the first or down from the last; returns how
   * many it trained. On this thread's (the lower) side, a failure takes the units left, so
   * that the helper stops.
   */
  private async trainUnits(
    tasks: EngineTasks, units: ReadonlyArray<[number, number]>, claims: Int32Array, fromEnd: boolean, sums: Float32Array | null, norms: Float64Array,
  ): Promise<number> {
    if (claims.length !== units.length) throw new Error(`${claims.length} unit flags for ${units.length} units`);
    let trained = 0;
    try {
      for (const unit of claimUnits(claims, fromEnd)) {
        const [a, b] = units[unit]!;
        await this.trainRange(tasks, a, b, sums, norms, this.unitStore(unit));
        trained++;
      }
    } catch (error) {
      if (!fromEnd) claimRest(claims);
      throw error;
    }
    return trained;
  }

  /** Where unit `unit`'s batches are kept (keepBatches); without it, nothing is kept. */
  private unitStore(unit: number): BatchStore {
    if (this.options.keepBatches !== true) return this.batches;
    let store = this.unitBatches.get(unit);
    if (store === undefined) {
      store = new BatchStore(this.tf, this.options.train, this.keptTensors);
      this.unitBatches.set(unit, store);
    }
    return store;
  }

  /**
   * Tasks first … end − 1 on this thread: their norms, and their U_i into `sums` (global
   * rows) when given. Chunks are built and dropped one at a time (with keepBatches, kept in
   * `kept` while the same tasks come again).
   */
  private async trainRange(tasks: EngineTasks, first: number, end: number, sums: Float32Array | null, norms: Float64Array, kept = this.batches): Promise<void> {
    const thetaMagnitude = largestMagnitude(this.theta);
    if (this.options.localSteps > 1) this.laterVectors.setTheta(this.theta);
    const count = this.paramCount;
    const visit = (i: number, steps: readonly StepBatch[], pass: ConcatPass, start: number): void => {
      const sum = sums === null ? this.scratchSum : sums.subarray(i * count, (i + 1) * count);
      const squares = this.trainTask(steps, pass, start, sum);
      // A non-finite loss makes the softmax, hence the gradient, NaN (the softmax is
      // max-shifted, so finite logits always give a finite loss); so does a non-finite
      // parameter in a later step. What is left to check is θ_i = θ_t − lr·U_i in float32.
      if (!staysFinite(this.theta, sum, this.options.learningRate, squares, thetaMagnitude)) throw nonFiniteLoss(i);
      norms[i] = Math.sqrt(squares) / this.options.localSteps;
    };
    if (this.options.keepBatches === true) {
      const share = first === 0 && end === tasks.count ? tasks : tasks.slice(first, end);
      for (const { chunk, steps } of kept.prepare(share)) {
        const pass = await runConcatPass(this.tf, this.layout, this.theta, chunk, this.passBuffers);
        for (let j = 0; j < chunk.tasks; j++) visit(first + chunk.firstTask + j, steps[j]!, pass, chunk.offsets[j]!);
      }
      return;
    }
    for (const [a, b] of chunkRanges(tasks, first, end)) {
      const built = buildChunk(this.tf, this.options.train, tasks, a, b, this.chunkTensors, this.chunkArena);
      try {
        const pass = await runConcatPass(this.tf, this.layout, this.theta, built.chunk, this.passBuffers);
        for (let j = 0; j < b - a; j++) visit(a + j, built.steps[j]!, pass, built.chunk.offsets[j]!);
      } finally {
        disposeChunk(this.tf, built);
      }
    }
  }

  /**
   * U_i of one task into `sum`: step 1 from the concatenated pass (its rows start at `start`),
   * then steps 2 … K; returns ‖U_i‖², by a kernel where U_i was formed in its memory.
   */
  private trainTask(steps: readonly StepBatch[], pass: ConcatPass, start: number, sum: Float32Array): number {
    const { tf, layout, laterVectors: later } = this;
    const squares = concatNodeGradient(tf, layout, pass, start, steps[0]!.rows, steps[0]!.inputsT, sum);
    if (steps.length === 1) return squares ?? sumOfSquares(sum);
    let rows = 0;
    for (let s = 1; s < steps.length; s++) rows = Math.max(rows, steps[s]!.rows);
    later.begin(sum, rows);
    for (let s = 1; s < steps.length; s++) {
      later.stepAway(this.options.learningRate);
      nodeStepGradient(tf, layout, later.local, steps[s]!, later.gradient, this.laterSteps);
      later.addGradient();
    }
    return later.end(sum);
  }

  /** Recomputes U_i of tasks a … b − 1 (as trainRange did) and hands each to `use`, in order. */
  private recomputeChunk(tasks: EngineTasks, a: number, b: number, use: (i: number, sum: Float32Array) => void): void {
    if (this.options.localSteps > 1) this.laterVectors.setTheta(this.theta);
    const built: ChunkBatches = buildChunk(this.tf, this.options.train, tasks, a, b, this.chunkTensors, this.chunkArena);
    try {
      const pass = runConcatPassSync(this.tf, this.layout, this.theta, built.chunk, this.passBuffers);
      for (let j = 0; j < b - a; j++) {
        this.trainTask(built.steps[j]!, pass, built.chunk.offsets[j]!, this.scratchSum);
        use(a + j, this.scratchSum);
      }
    } finally {
      disposeChunk(this.tf, built);
    }
  }

  aggregate(weights: Float64Array): void {
    const pending = this.pending;
    if (pending === null) throw new Error('aggregate() called without a preceding trainLocal()');
    if (weights.length !== pending.tasks.count) throw new Error(`aggregate() got ${weights.length} weights for ${pending.tasks.count} tasks`);
    this.pending = null;
    if (pending.tasks.count === 0) return; // SPEC §2 S4: an empty round leaves θ unchanged
    this.aggregating = { ...pending, weights: Float64Array.from(weights) };
  }

  /** Forms θ_{t+1} of a recorded aggregate, on both threads when the round used the helper. */
  private async settle(): Promise<void> {
    const job = this.aggregating;
    if (job === null) return;
    this.aggregating = null;
    const start = this.now();
    const helper = job.helper;
    // with the sum kernel, forming θ_{t+1} is bound by reading the U_i, not by arithmetic: split
    // with the helper it took longer than alone (0.47 against 0.39 ms at 256 nodes of 4,810
    // parameters), the helper's share not paying for waking it
    if (helper === null || (job.held !== null && this.kernelHolding(job.held) !== null)) this.theta = this.formSync(job);
    else if (job.held !== null) this.theta = await this.formSplit(helper, job.held, job.weights);
    else this.theta = await this.recomputeSplit(helper, job.tasks, job.weights);
    if (job.rows > 0) this.payoff.record(helper !== null, job.trainMs + this.now() - start, job.rows);
  }

  /** settle() on this thread alone (the same bytes). */
  private settleSync(): void {
    const job = this.aggregating;
    if (job === null) return;
    this.aggregating = null;
    this.theta = this.formSync(job);
  }

  private formSync({ tasks, held, weights }: Round & { weights: Float64Array }): Float32Array {
    const count = this.paramCount;
    const sum = new WeightedSum(0, count, held === null ? null : this.kernelHolding(held));
    if (held !== null) sum.add(held, count, weights);
    else for (const [a, b] of chunkRanges(tasks, 0, tasks.count, this.chunkTasks)) this.recomputeChunk(tasks, a, b, (i, row) => sum.addRow(row, weights[i]!));
    const next = new Float32Array(count);
    finishSlice(this.theta, sum, weights, this.options.learningRate, next);
    return next;
  }

  /**
   * Held U_i: the parameter slices of θ_{t+1} claimed by both threads (unit-claims.ts), this
   * one from the first up, the helper from the last down, into memory both share. When this
   * thread took every slice it does not wait for the helper (as trainSplit).
   */
  private async formSplit(helper: EngineHelper, held: Float32Array, weights: Float64Array): Promise<Float32Array> {
    const claims = helper.sharedFlags(this.slices.length);
    const next = helper.sharedValues(this.paramCount);
    const theirs = helper.aggregateClaimed(this.theta, held, weights, claims, next);
    if (this.formSlices(this.theta, held, weights, claims, false, next) === this.slices.length) void theirs.catch(() => undefined);
    else {
      helper.finish?.(FINISH_WAIT_MS);
      await theirs;
    }
    return next;
  }

  /**
   * The slices of θ_{t+1} = (Σ w_i)·θ − lr · Σ w_i U_i this thread claims, up from the first or
   * down from the last, written into `next`; returns how many. Each parameter is summed over
   * the tasks in order (weighted-sum.ts), whichever thread computes its slice.
   */
  private formSlices(theta: Float32Array, held: Float32Array, weights: Float64Array, claims: Int32Array, fromEnd: boolean, next: Float32Array): number {
    const slices = this.slices;
    if (claims.length !== slices.length) throw new Error(`${claims.length} slice flags for ${slices.length} slices`);
    let formed = 0;
    for (const slice of claimUnits(claims, fromEnd)) {
      const sum = new WeightedSum(slices[slice]![0], slices[slice]![1]);
      sum.add(held, this.paramCount, weights);
      finishSlice(theta, sum, weights, this.options.learningRate, next);
      formed++;
    }
    return formed;
  }

  /**
   * U_i not held: chunks 0, 2, 4, … recomputed here, 1, 3, 5, … on the helper into two shared
   * buffers in turn (it computes chunk c + 2 while this thread adds chunk c), all added here
   * in task order.
   */
  private async recomputeSplit(helper: EngineHelper, tasks: EngineTasks, weights: Float64Array): Promise<Float32Array> {
    const count = this.paramCount;
    const ranges = chunkRanges(tasks, 0, tasks.count, this.chunkTasks);
    this.sharedChunks ??= [helper.sharedValues(this.chunkTasks * count), helper.sharedValues(this.chunkTasks * count)];
    const buffers = this.sharedChunks;
    const ask = (c: number, slot: number): Promise<Float64Array> | null => {
      const range = ranges[c];
      if (range === undefined) return null;
      return helper.train(this.theta, tasks.slice(range[0], range[1]), buffers[slot]!.subarray(0, (range[1] - range[0]) * count));
    };
    const sum = new WeightedSum(0, count);
    let slot = 0;
    let waiting = ask(1, slot);
    try {
      for (let c = 0; c < ranges.length; c += 2) {
        this.recomputeChunk(tasks, ranges[c]![0], ranges[c]![1], (i, row) => sum.addRow(row, weights[i]!));
        if (waiting === null) continue;
        await waiting;
        const [a, b] = ranges[c + 1]!;
        const filled = buffers[slot]!;
        slot = 1 - slot;
        waiting = ask(c + 3, slot);
        sum.add(filled, count, weights.subarray(a, b));
      }
    } finally {
      // never leave the helper writing into a buffer the next round reuses unawaited
      if (waiting !== null) await waiting.catch(() => undefined);
    }
    const next = new Float32Array(count);
    finishSlice(this.theta, sum, weights, this.options.learningRate, next);
    return next;
  }

  /** The helper's side of formSplit: the slices of θ_{t+1} it claims from the last one down, into `next`. */
  aggregateClaimed(theta: Float32Array, sums: Float32Array, weights: Float64Array, claims: Int32Array, next: Float32Array): void {
    this.formSlices(theta, sums, weights, claims, true, next);
  }

  /** The sum kernel whose memory holds `rows`, if any. */
  private kernelHolding(rows: Float32Array): SumKernel | null {
    if (this.rowsKernel?.holds(rows) === true) return this.rowsKernel;
    return this.sharedKernel?.holds(rows) === true ? this.sharedKernel : null;
  }

  /** Whether a round of `tasks` is large enough to split, given a way to start a helper. */
  private splittable(tasks: EngineTasks): boolean {
    if (this.tuning.startHelper === undefined || this.disposed || tasks.count * this.paramCount < this.parallelMin) return false;
    return this.tuning.parallelMinValues !== undefined || this.splitsPay(tasks);
  }

  /**
   * Whether a second thread can pay for itself on this round: it has later local steps (node by
   * node, in tfjs or JS), or a layer product too large for JS at its largest batch. A round whose every
   * per-node product is done in JS (a small model on a few rows) gained nothing from it and
   * cost its memory: at 131,072 nodes of 16 → 16 → 4, engine time 6.9–7.1 s with the thread and
   * 6.9–7.5 s without, peak RSS 1.57 GB against 1.25 (bench/README.md).
   */
  private splitsPay(tasks: EngineTasks): boolean {
    if (this.options.localSteps > 1) return true;
    let rows = 0;
    for (let i = 0; i < tasks.count; i++) rows = Math.max(rows, tasks.rows(i));
    return this.layout.layers.some((layer) => !productInJs(this.tf, layer.inputs, rows, layer.outputs));
  }

  /**
   * The helper for a large round when it is running and pays off (helper-payoff.ts), and
   * whether to time the round for that; starts the helper the first time.
   */
  private helperFor(): { helper: EngineHelper | null; timed: boolean } {
    const start = this.tuning.startHelper!;
    if (this.helper !== null && this.tuning.alwaysSplit === true) return { helper: this.helper, timed: false };
    if (this.helper !== null) {
      const plan = this.payoff.plan();
      return { helper: plan.helper ? this.helper : null, timed: plan.timed };
    }
    this.helperStart ??= start().then(
      (helper) => {
        if (this.disposed) helper.dispose();
        else this.helper = helper;
      },
      () => undefined, // it failed to start: this thread does everything, with the same numbers
    );
    return { helper: null, timed: false };
  }

  /** Whether a helper thread has joined by now (tests: that it joins at the first round after its start). */
  get helperJoined(): boolean {
    return this.helper !== null;
  }

  /** Whether a helper thread has joined, once the start asked for by a large enough round is over (tests, the benchmark). */
  async helperReady(): Promise<boolean> {
    await this.helperStart;
    return this.helper !== null;
  }

  private disposeBatches(): void {
    this.batches.dispose();
    for (const store of this.unitBatches.values()) store.dispose();
    this.unitBatches.clear();
  }

  discardLocal(): void {
    this.pending = null;
  }

  /** Replaces θ (flat, fast-layout.ts order); the workers of src/node/ get θ_t this way. */
  setTheta(theta: Float32Array): void {
    if (theta.length !== this.paramCount) throw new Error(`setTheta() got ${theta.length} values for ${this.paramCount} parameters`);
    this.theta = Float32Array.from(theta);
    this.pending = null;
    this.aggregating = null;
  }

  async evaluate(): Promise<EvalResult> {
    await this.settle();
    return this.testSet.evaluate(this.layout, this.theta);
  }

  getParams(): Float32Array[] {
    this.settleSync();
    return unflattenParams(this.layout, this.theta);
  }

  dispose(): void {
    this.disposed = true;
    this.disposeBatches();
    this.testSet.dispose();
    this.pending = null;
    this.aggregating = null;
    this.helper?.dispose();
    this.helper = null;
  }
}

/** Uses the backend chosen by `initBackend` (or chooses `auto` if none was chosen yet). */
export async function createFastEngine(options: EngineOptions, tuning?: FastEngineTuning): Promise<FastEngine> {
  const tf = await loadTf();
  if (currentBackend() === null) await initBackend('auto');
  return new FastEngine(tf, options, tuning);
}

createFastEngine satisfies EngineFactory;
