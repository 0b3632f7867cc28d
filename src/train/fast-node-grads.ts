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

type Tensor2D = import('@tensorflow/tfjs').Tensor2D;

/** G̃ = aT · delta, read back; call inside `tf.tidy`. */
export function layerGradient(tf: Tf, inputsT: Tensor2D, delta: Tensor2D): Float32Array {
  return tf.matMul(inputsT, delta).dataSync() as Float32Array;
}

/**
 * The step-1 gradient of the node owning rows `start … start + rows − 1` of the concatenated
 * pass, written into `out` in the flat parameter layout.
 */
export function concatNodeGradient(
  tf: Tf,
  layout: ModelLayout,
  pass: ConcatPass,
  start: number,
  inputsT: Tensor2D,
  out: Float32Array,
): void {
  const rows = inputsT.shape[1];
  tf.tidy(() => {
    layout.layers.forEach((slot, l) => {
      const aT = l === 0 ? inputsT : tf.tensor2d(transposeWithOnes(pass.hidden[l - 1]!, start, rows, slot.inputs), [slot.inputs + 1, rows]);
      const deltas = pass.deltas[l]!.subarray(start * slot.outputs, (start + rows) * slot.outputs);
      out.set(layerGradient(tf, aT, tf.tensor2d(deltas, [rows, slot.outputs])), slot.offset);
    });
  });
}
