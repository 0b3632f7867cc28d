/**
 * Small per-node array helpers of the fast engine, in plain JS: re-layouts of one node's rows
 * (a few thousand values, far cheaper than a tfjs op's dispatch) and the elementwise parts of
 * a local step. Pure functions; inputs are never modified. Plain indexed loops: they run for
 * every node and step, and typed-array `map` with a callback is several times slower.
 */
import type { LayerSlot } from './fast-layout.js';

/**
 * Rows `start … start + rows − 1` of a row-major [*, width] array, transposed to [width + 1, rows]
 * with a ones row last; into `out` when given (exactly (width + 1) · rows values).
 */
export function transposeWithOnes(values: Float32Array, start: number, rows: number, width: number, out: Float32Array = new Float32Array((width + 1) * rows)): Float32Array {
  for (let r = 0; r < rows; r++) {
    const from = (start + r) * width;
    for (let k = 0; k < width; k++) out[k * rows + r] = values[from + k]!;
    out[width * rows + r] = 1;
  }
  return out;
}

/** [rows, width] → [rows, width + 1] with a trailing 1 on every row; into `out` when given (rows · (width + 1) values). */
export function withOnesColumn(values: Float32Array, rows: number, width: number, out: Float32Array = new Float32Array(rows * (width + 1))): Float32Array {
  for (let r = 0; r < rows; r++) {
    out.set(values.subarray(r * width, (r + 1) * width), r * (width + 1));
    out[r * (width + 1) + width] = 1;
  }
  return out;
}

/** max(0, values), into `out` when given (zeros, as many values). */
export function relu(values: Float32Array, out: Float32Array = new Float32Array(values.length)): Float32Array {
  for (let k = 0; k < values.length; k++) if (values[k]! > 0) out[k] = values[k]!;
  return out;
}

/** δ · ReLU′(Z), with ReLU′(Z) read off H = relu(Z) (positive exactly where Z is); into `out` when given (zeros). */
export function maskByRelu(delta: Float32Array, hidden: Float32Array, out: Float32Array = new Float32Array(delta.length)): Float32Array {
  for (let k = 0; k < delta.length; k++) if (hidden[k]! > 0) out[k] = delta[k]!;
  return out;
}

/** a row's exponentials, reused from call to call (softmaxDelta runs for every node's every later step) */
let softmaxScratch = new Float64Array(16);

/**
 * ∂(mean cross-entropy)/∂logits = (softmax(z) − onehot(y)) / rows, row-major [rows, classes];
 * the softmax subtracts each row's maximum first, so large logits do not overflow. Into `out`
 * when given (rows · classes values).
 */
export function softmaxDelta(logits: Float32Array, labels: Int32Array, classes: number, out: Float32Array = new Float32Array(labels.length * classes)): Float32Array {
  const rows = labels.length;
  if (softmaxScratch.length < classes) softmaxScratch = new Float64Array(classes);
  const exps = softmaxScratch;
  for (let r = 0; r < rows; r++) {
    const row = r * classes;
    let top = -Infinity;
    for (let c = 0; c < classes; c++) top = Math.max(top, logits[row + c]!);
    let total = 0;
    for (let c = 0; c < classes; c++) total += exps[c] = Math.exp(logits[row + c]! - top);
    for (let c = 0; c < classes; c++) out[row + c] = (exps[c]! / total - (c === labels[r] ? 1 : 0)) / rows;
  }
  return out;
}

/** W_lᵀ [outputs, inputs] from the flat parameter vector (bias row left out); into `out` when given (inputs · outputs values). */
export function transposedKernel(theta: Float32Array, slot: LayerSlot, out: Float32Array = new Float32Array(slot.inputs * slot.outputs)): Float32Array {
  for (let i = 0; i < slot.inputs; i++) {
    for (let o = 0; o < slot.outputs; o++) out[o * slot.inputs + i] = theta[slot.offset + i * slot.outputs + o]!;
  }
  return out;
}
