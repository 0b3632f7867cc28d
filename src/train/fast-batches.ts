/**
 * The fast engine's input tensors, built in JS from the task's sample indices one chunk of
 * tasks at a time and dropped after it (issue 14: never a whole round's at once).
 *
 * tfjs-wasm 4.22 has a slow `gather` (~30 ns per element) and a `slice` that copies its whole
 * input for every piece, so rows are gathered and split in JS and uploaded once per chunk:
 * - step 1 of the tasks, concatenated in chunks of consecutive tasks with about CHUNK_ROWS
 *   rows each: X [M, in], one-hot targets [M, classes] and the row scale 1 / b_i [M, 1] (mean
 *   loss per node), M = Σ b_i over the chunk;
 * - per task and step: X̃ᵀ [in + 1, b] (features transposed, plus a ones row; the left
 *   operand of the weight gradient X̃ᵀ·D), and for steps 2…K also X̃ [b, in + 1].
 * With keepBatches (the benchmark's fixed batches) a round's chunks are kept, and reused when
 * the next round's batches are identical.
 */
import { FRESH_ARRAYS, type ArrayArena, type ArraySource } from './array-arena.js';
import type { Tf } from './backend.js';
import type { EngineData } from './engine.js';
import { EngineTasks } from './engine-tasks.js';
import { transposeWithOnes, withOnesColumn } from './fast-node-math.js';
import { CHUNK_ROWS } from './fast-sizes.js';

type Tensor2D = import('@tensorflow/tfjs-core').Tensor2D;

export interface StepBatch {
  rows: number;
  labels: Int32Array;
  /** X̃ᵀ [in + 1, rows]; for step 1, whose rows the chunk's pass holds, only in kept batches whose product goes to tfjs (else null) */
  inputsT: Tensor2D | null;
  /** X̃ [rows, in + 1]; null for step 1, which runs concatenated, and for a later step whose first layer is not done by tfjs */
  inputs: Tensor2D | null;
  /** X [rows, in], row-major: a later step's rows when its first layer is done in JS or by a kernel (fast-node-step.ts), else null */
  values: Float32Array | null;
}

export interface ConcatBatch {
  /** the chunk holds tasks firstTask … firstTask + tasks − 1 */
  firstTask: number;
  tasks: number;
  rows: number;
  /** task firstTask + j owns rows offsets[j] … offsets[j + 1] − 1 */
  offsets: Int32Array;
  /** x, targets and rowScale as tensors, for a pass by tfjs; null where the gradient kernel runs it (BatchTensors.concat) */
  x: Tensor2D | null;
  /** x's values, row-major [rows, in]: the small per-node products read them in JS */
  xValues: Float32Array;
  targets: Tensor2D | null;
  rowScale: Tensor2D | null;
  /** targets' and rowScale's values (the pass's backward in the gradient kernel reads them) */
  targetValues: Float32Array;
  scaleValues: Float32Array;
}

/** Refuses malformed tasks before any work: every engine mode fails alike, and before it starts. */
export function checkTasks(tasks: EngineTasks, localSteps: number, samples: number): void {
  if (tasks.count > 0 && tasks.steps !== localSteps) throw new Error(`task 0 has ${tasks.steps} step batches, expected localSteps = ${localSteps}`);
  const { indices } = tasks;
  for (let i = 0; i < tasks.count; i++) {
    for (let s = 0; s < tasks.steps; s++) {
      const start = tasks.start(i, s);
      const end = start + tasks.rows(i, s);
      if (end === start) throw new Error(`task ${i} has an empty step batch`);
      for (let k = start; k < end; k++) {
        const index = indices[k]!;
        if (!(index >= 0 && index < samples)) throw new Error(`task ${i}: sample index ${index} outside 0…${samples - 1}`);
      }
    }
  }
}

/** Copies sample `index`'s features to `out` at `to` (a plain loop: no subarray view per row). */
function copyFeatures(data: EngineData, index: number, out: Float32Array, to: number): void {
  const from = index * data.featureCount;
  for (let k = 0; k < data.featureCount; k++) out[to + k] = data.features[from + k]!;
}

export { CHUNK_ROWS };

/** The chunk's step-1 tensors, with its gathered features (sample-major) as `xValues`. */
function buildConcat(tf: Tf, data: EngineData, tasks: EngineTasks, firstTask: number, arrays: ArraySource, withTensors: boolean): ConcatBatch {
  const offsets = new Int32Array(tasks.count + 1);
  for (let i = 0; i < tasks.count; i++) offsets[i + 1] = offsets[i]! + tasks.rows(i);
  const rows = offsets[tasks.count]!;
  const { featureCount, classCount } = data;
  // every row of x and rowScale is written below; targets are one-hot, so start from zeros
  const x = arrays.take(rows * featureCount, false);
  const targets = arrays.take(rows * classCount);
  const rowScale = arrays.take(rows, false);
  const { indices } = tasks;
  for (let i = 0; i < tasks.count; i++) {
    const start = tasks.start(i);
    const length = tasks.rows(i);
    for (let k = 0; k < length; k++) {
      const row = offsets[i]! + k;
      const index = indices[start + k]!;
      copyFeatures(data, index, x, row * featureCount);
      targets[row * classCount + data.labels[index]!] = 1;
      rowScale[row] = 1 / length;
    }
  }
  const batch = {
    firstTask,
    tasks: tasks.count,
    rows,
    offsets,
    x: withTensors ? tf.tensor2d(x, [rows, featureCount]) : null,
    xValues: x,
    targets: withTensors ? tf.tensor2d(targets, [rows, classCount]) : null,
    rowScale: withTensors ? tf.tensor2d(rowScale, [rows, 1]) : null,
    targetValues: targets,
    scaleValues: rowScale,
  };
  return batch;
}

/**
 * [first, end) task ranges holding at least CHUNK_ROWS step-1 rows each (the last may hold
 * fewer), and at most `maxTasks` tasks (the memory-bounded mode keeps one chunk's U_i).
 * Which chunk a task's rows fall in does not change its numbers: every row of the
 * concatenated pass is computed on its own.
 */
export function chunkRanges(tasks: EngineTasks, first = 0, end = tasks.count, maxTasks = Infinity): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let start = first;
  let rows = 0;
  for (let i = first; i < end; i++) {
    rows += tasks.rows(i);
    if (rows >= CHUNK_ROWS || i + 1 - start >= maxTasks || i === end - 1) {
      ranges.push([start, i + 1]);
      [start, rows] = [i + 1, 0];
    }
  }
  return ranges;
}

/** The labels of indices[from … from + rows). */
function labelsOf(data: EngineData, indices: Int32Array, from: number, rows: number): Int32Array {
  const labels = new Int32Array(rows);
  for (let r = 0; r < rows; r++) labels[r] = data.labels[indices[from + r]!]!;
  return labels;
}

/**
 * Step 1 of task k: its rows are the chunk's (`start` …), which the concatenated pass reads;
 * X̃ᵀ only when `withInputsT` (kept batches whose product goes to tfjs: kept, it is uploaded once).
 */
function firstStep(tf: Tf, data: EngineData, tasks: EngineTasks, k: number, gathered: Float32Array, start: number, withInputsT: boolean): StepBatch {
  const rows = tasks.rows(k);
  const inputsT = withInputsT ? tf.tensor2d(transposeWithOnes(gathered, start, rows, data.featureCount), [data.featureCount + 1, rows]) : null;
  return { rows, labels: labelsOf(data, tasks.indices, tasks.start(k), rows), inputsT, inputs: null, values: null };
}

/**
 * Steps 2 … K of task k: its rows gathered once, then laid out as X̃ᵀ and as X̃ when the first
 * layer's products go to tfjs (`laterTensors(rows)`), else kept as they are for JS or a kernel.
 */
function laterStep(tf: Tf, data: EngineData, tasks: EngineTasks, k: number, step: number, laterTensors: (rows: number) => boolean, arrays: ArraySource): StepBatch {
  const rows = tasks.rows(k, step);
  const from = tasks.start(k, step);
  const { indices } = tasks;
  const features = data.featureCount;
  const gathered = arrays.take(rows * features, false); // every row written below
  for (let r = 0; r < rows; r++) copyFeatures(data, indices[from + r]!, gathered, r * features);
  const labels = labelsOf(data, indices, from, rows);
  if (!laterTensors(rows)) return { rows, labels, inputsT: null, inputs: null, values: gathered };
  return {
    rows,
    labels,
    inputsT: tf.tensor2d(transposeWithOnes(gathered, 0, rows, features), [features + 1, rows]),
    inputs: tf.tensor2d(withOnesColumn(gathered, rows, features), [rows, features + 1]),
    values: null,
  };
}

/**
 * Which of a chunk's batches are uploaded as tensors: the concatenated step 1's (`concat`: for
 * a pass by tfjs; the gradient kernel reads their values), step 1's X̃ᵀ (kept batches whose
 * first product goes to tfjs), and the later steps' X̃ and X̃ᵀ (first layer's products in tfjs),
 * each by the step's rows. Default: the concatenated step 1's, no step 1's X̃ᵀ, every later step's.
 */
export interface BatchTensors {
  concat: boolean;
  firstInputsT(rows: number): boolean;
  laterTensors(rows: number): boolean;
}

const DEFAULT_TENSORS: BatchTensors = { concat: true, firstInputsT: () => false, laterTensors: () => true };

/** One chunk's tensors: the concatenated step 1 and every task's steps (steps[j] is task first + j's). */
export interface ChunkBatches {
  chunk: ConcatBatch;
  steps: StepBatch[][];
}

/**
 * `arena`: the chunk's rows (step 1's gathered features, targets and row scales, and the later
 * steps' rows) taken from it, reset first, instead of made anew: for a chunk dropped before the
 * next one is built, on a backend that copies an array into its own memory when it makes a
 * tensor of it (wasm; the cpu backend keeps the array itself). A round of 1,000 nodes × 32 rows
 * of 64 features made 8 MB of such arrays, a round of 131,072 nodes 86 MB
 * (bench/scenarios/cluster-1000.yaml, four interleaved runs each: the engine's maths
 * 1,824–1,845 → 1,685–1,720 ms, peak RSS 404–417 → 351–391 MB).
 */
export function buildChunk(
  tf: Tf, data: EngineData, tasks: EngineTasks, first: number, end: number, tensors: BatchTensors = DEFAULT_TENSORS, arena: ArrayArena | null = null,
): ChunkBatches {
  arena?.reset();
  const arrays = arena ?? FRESH_ARRAYS;
  const batch = buildConcat(tf, data, tasks.slice(first, end), first, arrays, tensors.concat);
  const steps: StepBatch[][] = [];
  for (let i = first; i < end; i++) {
    const taskSteps = new Array<StepBatch>(tasks.steps);
    for (let s = 0; s < tasks.steps; s++) {
      taskSteps[s] = s === 0
        ? firstStep(tf, data, tasks, i, batch.xValues, batch.offsets[i - first]!, tensors.firstInputsT(tasks.rows(i)))
        : laterStep(tf, data, tasks, i, s, tensors.laterTensors, arrays);
    }
    steps.push(taskSteps);
  }
  return { chunk: batch, steps };
}

export function disposeChunk(tf: Tf, { chunk, steps }: ChunkBatches): void {
  if (chunk.x !== null) tf.dispose([chunk.x, chunk.targets!, chunk.rowScale!]);
  for (const taskSteps of steps) {
    for (const step of taskSteps) {
      // step 1 usually has no tensor of its own: nothing to hand tf.dispose
      if (step.inputsT !== null) step.inputsT.dispose();
      if (step.inputs !== null) step.inputs.dispose();
    }
  }
}

/**
 * Keeps the chunks of one round's tasks alive until the next round (`keepBatches`, the
 * benchmark's fixed batches) and reuses them when that round's batches are identical.
 */
export class BatchStore {
  private current: ChunkBatches[] | null = null;
  /** a copy of the tasks `current` was built from */
  private currentTasks: EngineTasks | null = null;

  constructor(
    private readonly tf: Tf,
    private readonly data: EngineData,
    private readonly tensors: BatchTensors = DEFAULT_TENSORS,
  ) {}

  prepare(tasks: EngineTasks): ChunkBatches[] {
    if (this.current !== null && this.currentTasks !== null && this.currentTasks.equals(tasks)) return this.current;
    this.dispose();
    const { tf, data } = this;
    this.current = chunkRanges(tasks).map(([first, end]) => buildChunk(tf, data, tasks, first, end, this.tensors));
    this.currentTasks = EngineTasks.fromPacked(tasks.packed());
    return this.current;
  }

  dispose(): void {
    if (this.current !== null) for (const chunk of this.current) disposeChunk(this.tf, chunk);
    this.current = null;
    this.currentTasks = null;
  }
}
