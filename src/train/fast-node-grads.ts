/**
 * One node's weight gradients, from its activations and deltas (SPEC §2 S4 needs every
 * node's own gradient norm, so the gradients cannot be summed over nodes).
 *
 * For layer l the gradient of [W_l; b_l] is G̃_l = Ã_{l−1}ᵀ·D_l: one plain 2-D matMul of
 * [in + 1, b] by [b, out], with Ã the layer's inputs plus a ones column (its last row gives
 * the bias gradient) and D_l the node's delta rows, already carrying the 1 / b factor of the
 * mean loss. Non-transposed 2-D products are what tfjs-wasm sends to XNNPACK; the node's
 * rows are cut in JS because wasm's `slice` copies its whole input per piece.
 *
 * The node's values are read back with `dataSync`: on the wasm and cpu backends tensors live
 * in host memory, so this is a copy, not a device sync, and it is cheaper than any tfjs op.
 */
import type { Tf } from './backend.js';
import type { ConcatPass } from './fast-concat-pass.js';
import type { ModelLayout } from './fast-layout.js';
import { transposeWithOnes } from './fast-node-math.js';
import { JS_PRODUCT_LIMIT } from './fast-sizes.js';

type Tensor2D = import('@tensorflow/tfjs-core').Tensor2D;

/** G̃ = aT · delta, read back; call inside `tf.tidy`. */
export function layerGradient(tf: Tf, inputsT: Tensor2D, delta: Tensor2D): Float32Array {
  return tf.matMul(inputsT, delta).dataSync() as Float32Array;
}

/** The wasm backend's view of a tensor's values in its own memory (no copy). */
interface HeapView {
  typedArrayFromHeap(tensor: Tensor2D): Float32Array;
}

/**
 * Per-node work on the wasm backend without a fresh array per product (issue 14): tensor2d
 * copies its values into wasm memory at once, so one scratch array serves every node's
 * transposed activations, and a product is read from wasm memory straight into its place.
 * Fewer short-lived arrays mean fewer garbage collections, which run on the other core.
 * Other backends may keep a tensor's array or compute lazily: they get fresh arrays.
 */
class WasmScratch {
  private values = new Float32Array(0);
  /** the backend is wasm */
  readonly wasm: boolean;

  constructor(private readonly heap: HeapView | null) {
    this.wasm = heap !== null;
  }

  /** An array of `length` values that the next tensor2d may copy from. */
  take(length: number): Float32Array {
    if (this.heap === null) return new Float32Array(length);
    if (this.values.length < length) this.values = new Float32Array(length);
    return this.values.subarray(0, length);
  }

  /** out[offset …] = the product's values. */
  readInto(tensor: Tensor2D, out: Float32Array, offset: number): void {
    out.set(this.heap === null ? (tensor.dataSync() as Float32Array) : this.heap.typedArrayFromHeap(tensor), offset);
  }
}

let scratch: { backend: string; scratch: WasmScratch } | null = null;

function scratchFor(tf: Tf): WasmScratch {
  const name = tf.getBackend();
  if (scratch === null || scratch.backend !== name) {
    const backend = tf.backend() as unknown as Partial<HeapView>;
    const heap = name === 'wasm' && typeof backend.typedArrayFromHeap === 'function' ? (backend as HeapView) : null;
    scratch = { backend: name, scratch: new WasmScratch(heap) };
  }
  return scratch.scratch;
}

export { JS_PRODUCT_LIMIT };

/**
 * out[offset + p · outputs + j] = Σ_r Ã[r][p] · D[r][j] over the node's `rows` rows from
 * `start` of the row-major arrays `values` [*, width] (Ã: its rows plus a trailing 1) and
 * `deltas` [*, outputs], as tfjs-wasm computes Ãᵀ·D: in float32, each product rounded, summed
 * from 0 in row order. That gives its bits (test/train/fast-node-grads.test.ts compares them
 * over many shapes); the cpu backend sums in doubles, so it never comes here.
 */
export function gradientInJs(
  values: Float32Array, width: number, start: number, rows: number,
  deltas: Float32Array, outputs: number, out: Float32Array, offset: number,
): void {
  const f = Math.fround;
  const size = (width + 1) * outputs;
  out.fill(0, offset, offset + size);
  // row by row, each sum in row order: a float32 store rounds as fround would
  for (let r = 0; r < rows; r++) {
    const d = (start + r) * outputs;
    const v = (start + r) * width;
    for (let p = 0; p < width; p++) {
      const a = values[v + p]!;
      const o = offset + p * outputs;
      for (let j = 0; j < outputs; j++) out[o + j] = out[o + j]! + f(a * deltas[d + j]!);
    }
    // the ones row: 1 · δ is δ itself (a float32 already)
    const o = offset + width * outputs;
    for (let j = 0; j < outputs; j++) out[o + j] = out[o + j]! + deltas[d + j]!;
  }
}

/** Whether a product of [inputs + 1, rows] × [rows, outputs] is small enough for JS. */
function fitsJs(inputs: number, rows: number, outputs: number): boolean {
  return (inputs + 1) * rows * outputs <= JS_PRODUCT_LIMIT;
}

/** Whether a layer's [inputs + 1, rows] × [rows, outputs] product is done in JS (wasm only: its bits). */
export function productInJs(tf: Tf, inputs: number, rows: number, outputs: number): boolean {
  return scratchFor(tf).wasm && fitsJs(inputs, rows, outputs);
}

/**
 * The step-1 gradient of the node owning rows `start … start + rows − 1` of the concatenated
 * pass, written into `out` in the flat parameter layout. A pass placed in the engine's gradient
 * kernel's memory goes to the kernel (kernels/gradient-kernel.ts); otherwise, on wasm a layer's
 * product small enough is done in JS (gradientInJs), the others by tfjs: all three give the
 * same bits. Runs for every node of every round: plain loops, the backend looked up once.
 * Returns the gradient's sum of squares where the kernel computed it (in its memory, the bits
 * of sumOfSquares), else null.
 */
export function concatNodeGradient(
  tf: Tf,
  layout: ModelLayout,
  pass: ConcatPass,
  start: number,
  rows: number,
  /** the node's X̃ᵀ when the batches kept it (`keepBatches`), else null: built here if needed */
  inputsT: Tensor2D | null,
  out: Float32Array,
): number | null {
  if (pass.placed !== null) return pass.placed.kernel.nodeGradient(layout, pass.placed, start, rows, out);
  const buffers = scratchFor(tf);
  const { layers } = layout;
  let rest = false;
  for (let l = 0; l < layers.length; l++) {
    const slot = layers[l]!;
    if (buffers.wasm && fitsJs(slot.inputs, rows, slot.outputs)) {
      gradientInJs(l === 0 ? pass.inputs : pass.hidden[l - 1]!, slot.inputs, start, rows, pass.deltas[l]!, slot.outputs, out, slot.offset);
    } else {
      rest = true;
    }
  }
  if (!rest) return null;
  tf.tidy(() => {
    for (let l = 0; l < layers.length; l++) {
      const slot = layers[l]!;
      if (buffers.wasm && fitsJs(slot.inputs, rows, slot.outputs)) continue;
      const values = l === 0 ? pass.inputs : pass.hidden[l - 1]!;
      const aT = l === 0 && inputsT !== null
        ? inputsT
        : tf.tensor2d(transposeWithOnes(values, start, rows, slot.inputs, buffers.take((slot.inputs + 1) * rows)), [slot.inputs + 1, rows]);
      const deltas = pass.deltas[l]!.subarray(start * slot.outputs, (start + rows) * slot.outputs);
      buffers.readInto(tf.matMul(aT, tf.tensor2d(deltas, [rows, slot.outputs])), out, slot.offset);
    }
  });
  return null;
}
