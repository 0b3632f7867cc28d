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
import type { Tf } from './backend.js';
import type { EngineData, EngineTask } from './engine.js';
import { transposeWithOnes, withOnesColumn } from './fast-node-math.js';
import { CHUNK_ROWS } from './fast-sizes.js';

type Tensor2D = import('@tensorflow/tfjs').Tensor2D;

export interface StepBatch {
  rows: number;
  labels: Int32Array;
  /** X̃ᵀ [in + 1, rows]; for step 1, whose rows the chunk's pass holds, only in kept batches whose product goes to tfjs (else null) */
  inputsT: Tensor2D | null;
  /** X̃ [rows, in + 1]; null for step 1, which runs concatenated */
  inputs: Tensor2D | null;
}

export interface ConcatBatch {
  /** the chunk holds tasks firstTask … firstTask + tasks − 1 */
  firstTask: number;
  tasks: number;
  rows: number;
  /** task firstTask + j owns rows offsets[j] … offsets[j + 1] − 1 */
  offsets: Int32Array;
  x: Tensor2D;
  /** x's values, row-major [rows, in]: the small per-node products read them in JS */
  xValues: Float32Array;
  targets: Tensor2D;
  rowScale: Tensor2D;
}

/** Refuses malformed tasks before any work: every engine mode fails alike, and before it starts. */
export function checkTasks(tasks: readonly EngineTask[], localSteps: number, samples: number): void {
  tasks.forEach((task, i) => {
    if (task.stepBatches.length !== localSteps) {
      throw new Error(`task ${i} has ${task.stepBatches.length} step batches, expected localSteps = ${localSteps}`);
    }
    for (const batch of task.stepBatches) {
      if (batch.length === 0) throw new Error(`task ${i} has an empty step batch`);
      for (let k = 0; k < batch.length; k++) {
        const index = batch[k]!;
        if (!(index >= 0 && index < samples)) throw new Error(`task ${i}: sample index ${index} outside 0…${samples - 1}`);
      }
    }
  });
}

function sameBatches(previous: readonly Int32Array[][], tasks: readonly EngineTask[]): boolean {
  if (previous.length !== tasks.length) return false;
  for (let i = 0; i < tasks.length; i++) {
    const batches = tasks[i]!.stepBatches;
    for (let s = 0; s < batches.length; s++) {
      const [before, now] = [previous[i]![s]!, batches[s]!];
      if (before.length !== now.length) return false;
      for (let k = 0; k < now.length; k++) if (before[k] !== now[k]) return false;
    }
  }
  return true;
}

/** Copies sample `index`'s features to `out` at `to` (a plain loop: no subarray view per row). */
function copyFeatures(data: EngineData, index: number, out: Float32Array, to: number): void {
  const from = index * data.featureCount;
  for (let k = 0; k < data.featureCount; k++) out[to + k] = data.features[from + k]!;
}

export { CHUNK_ROWS };

/** The chunk's step-1 tensors, with its gathered features (sample-major) as `xValues`. */
function buildConcat(tf: Tf, data: EngineData, tasks: readonly EngineTask[], firstTask: number): ConcatBatch {
  const offsets = new Int32Array(tasks.length + 1);
  tasks.forEach((task, i) => (offsets[i + 1] = offsets[i]! + task.stepBatches[0]!.length));
  const rows = offsets[tasks.length]!;
  const { featureCount, classCount } = data;
  const x = new Float32Array(rows * featureCount);
  const targets = new Float32Array(rows * classCount);
  const rowScale = new Float32Array(rows);
  for (let i = 0; i < tasks.length; i++) {
    const batch = tasks[i]!.stepBatches[0]!;
    for (let k = 0; k < batch.length; k++) {
      const row = offsets[i]! + k;
      copyFeatures(data, batch[k]!, x, row * featureCount);
      targets[row * classCount + data.labels[batch[k]!]!] = 1;
      rowScale[row] = 1 / batch.length;
    }
  }
  const batch = {
    firstTask,
    tasks: tasks.length,
    rows,
    offsets,
    x: tf.tensor2d(x, [rows, featureCount]),
    xValues: x,
    targets: tf.tensor2d(targets, [rows, classCount]),
    rowScale: tf.tensor2d(rowScale, [rows, 1]),
  };
  return batch;
}

/**
 * [first, end) task ranges holding at least CHUNK_ROWS step-1 rows each (the last may hold
 * fewer), and at most `maxTasks` tasks (the memory-bounded mode keeps one chunk's U_i).
 * Which chunk a task's rows fall in does not change its numbers: every row of the
 * concatenated pass is computed on its own.
 */
export function chunkRanges(tasks: readonly EngineTask[], first = 0, end = tasks.length, maxTasks = Infinity): Array<[number, number]> {
  const ranges: Array<[number, number]> = [];
  let start = first;
  let rows = 0;
  for (let i = first; i < end; i++) {
    rows += tasks[i]!.stepBatches[0]!.length;
    if (rows >= CHUNK_ROWS || i + 1 - start >= maxTasks || i === end - 1) {
      ranges.push([start, i + 1]);
      [start, rows] = [i + 1, 0];
    }
  }
  return ranges;
}

function labelsOf(data: EngineData, indices: Int32Array): Int32Array {
  const labels = new Int32Array(indices.length);
  for (let r = 0; r < indices.length; r++) labels[r] = data.labels[indices[r]!]!;
  return labels;
}

/**
 * Step 1 of a task: its rows are the chunk's (`start` …), which the concatenated pass reads;
 * X̃ᵀ only when `withInputsT` (kept batches whose product goes to tfjs: kept, it is uploaded once).
 */
function firstStep(tf: Tf, data: EngineData, indices: Int32Array, gathered: Float32Array, start: number, withInputsT: boolean): StepBatch {
  const rows = indices.length;
  const inputsT = withInputsT ? tf.tensor2d(transposeWithOnes(gathered, start, rows, data.featureCount), [data.featureCount + 1, rows]) : null;
  return { rows, labels: labelsOf(data, indices), inputsT, inputs: null };
}

/** Steps 2 … K of a task: its rows gathered once, then laid out as X̃ᵀ and as X̃. */
function laterStep(tf: Tf, data: EngineData, indices: Int32Array): StepBatch {
  const rows = indices.length;
  const features = data.featureCount;
  const gathered = new Float32Array(rows * features);
  for (let r = 0; r < rows; r++) copyFeatures(data, indices[r]!, gathered, r * features);
  return {
    rows,
    labels: labelsOf(data, indices),
    inputsT: tf.tensor2d(transposeWithOnes(gathered, 0, rows, features), [features + 1, rows]),
    inputs: tf.tensor2d(withOnesColumn(gathered, rows, features), [rows, features + 1]),
  };
}

/** One chunk's tensors: the concatenated step 1 and every task's steps (steps[j] is task first + j's). */
export interface ChunkBatches {
  chunk: ConcatBatch;
  steps: StepBatch[][];
}

/** `firstInputsT(rows)`: whether step 1 of a task with that many rows keeps its X̃ᵀ (default: never). */
export function buildChunk(
  tf: Tf, data: EngineData, tasks: readonly EngineTask[], first: number, end: number, firstInputsT: (rows: number) => boolean = () => false,
): ChunkBatches {
  const batch = buildConcat(tf, data, tasks.slice(first, end), first);
  const steps: StepBatch[][] = [];
  for (let i = first; i < end; i++) {
    steps.push(tasks[i]!.stepBatches.map((indices, s) => (s === 0
      ? firstStep(tf, data, indices, batch.xValues, batch.offsets[i - first]!, firstInputsT(indices.length))
      : laterStep(tf, data, indices))));
  }
  return { chunk: batch, steps };
}

export function disposeChunk(tf: Tf, { chunk, steps }: ChunkBatches): void {
  tf.dispose([chunk.x, chunk.targets, chunk.rowScale]);
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
  private currentIndices: Int32Array[][] = [];

  constructor(
    private readonly tf: Tf,
    private readonly data: EngineData,
    /** whether step 1 of a task with that many rows keeps its X̃ᵀ */
    private readonly firstInputsT: (rows: number) => boolean = () => false,
  ) {}

  prepare(tasks: readonly EngineTask[]): ChunkBatches[] {
    if (this.current !== null && sameBatches(this.currentIndices, tasks)) return this.current;
    this.dispose();
    const { tf, data } = this;
    this.current = chunkRanges(tasks).map(([first, end]) => buildChunk(tf, data, tasks, first, end, this.firstInputsT));
    this.currentIndices = tasks.map((task) => task.stepBatches.map((batch) => Int32Array.from(batch)));
    return this.current;
  }

  dispose(): void {
    if (this.current !== null) for (const chunk of this.current) disposeChunk(this.tf, chunk);
    this.current = null;
    this.currentIndices = [];
  }
}
