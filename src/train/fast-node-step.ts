/**
 * Local steps 2 … K of one node (SPEC §2 S4, localSteps > 1): after step 1 every node has its
 * own parameters, so these steps run node by node.
 *
 * Every product is a plain 2-D tfjs matMul (the wasm fast path): forward Ã_{l−1}·W̃_l,
 * backward D_l·W_lᵀ with W_lᵀ transposed in JS, and the weight gradients of
 * fast-node-grads.ts. The elementwise parts (ReLU, softmax, masks) run in JS on the node's
 * few thousand values, which is cheaper than dispatching tfjs ops for them.
 */
import type { Tf } from './backend.js';
import type { StepBatch } from './fast-batches.js';
import type { ModelLayout } from './fast-layout.js';
import { layerGradient } from './fast-node-grads.js';
import { maskByRelu, relu, softmaxDelta, transposedKernel, transposeWithOnes, withOnesColumn } from './fast-node-math.js';

type Tensor2D = import('@tensorflow/tfjs-core').Tensor2D;

/** Hidden activations H_1 … H_{L−1} and logits of the node's batch under `params`; call inside `tf.tidy`. */
function forwardNode(tf: Tf, layout: ModelLayout, params: Float32Array, batch: StepBatch): { hidden: Float32Array[]; logits: Float32Array } {
  const hidden: Float32Array[] = [];
  let input = batch.inputs!;
  const last = layout.layers.length - 1;
  for (let l = 0; l < last; l++) {
    const h = relu(product(tf, input, params, layout, l));
    hidden.push(h);
    input = tf.tensor2d(withOnesColumn(h, batch.rows, layout.layers[l]!.outputs), [batch.rows, layout.layers[l]!.outputs + 1]);
  }
  return { hidden, logits: product(tf, input, params, layout, last) };
}

/** Ã · W̃_l, with W̃_l = [W_l; b_l] straight from the flat parameter vector. */
function product(tf: Tf, input: Tensor2D, params: Float32Array, layout: ModelLayout, l: number): Float32Array {
  const slot = layout.layers[l]!;
  const kernel = tf.tensor2d(params.subarray(slot.offset, slot.offset + slot.size), [slot.inputs + 1, slot.outputs]);
  return tf.matMul(input, kernel).dataSync() as Float32Array;
}

/** Gradient of the node's mean batch loss at `params`, written into `out` (flat layout). */
export function nodeStepGradient(tf: Tf, layout: ModelLayout, params: Float32Array, batch: StepBatch, out: Float32Array): void {
  tf.tidy(() => {
    const { hidden, logits } = forwardNode(tf, layout, params, batch);
    let delta = softmaxDelta(logits, batch.labels, layout.classCount);
    for (let l = layout.layers.length - 1; l >= 0; l--) {
      const slot = layout.layers[l]!;
      const deltaTensor = tf.tensor2d(delta, [batch.rows, slot.outputs]);
      const inputsT =
        l === 0 ? batch.inputsT! : tf.tensor2d(transposeWithOnes(hidden[l - 1]!, 0, batch.rows, slot.inputs), [slot.inputs + 1, batch.rows]);
      out.set(layerGradient(tf, inputsT, deltaTensor), slot.offset);
      if (l > 0) {
        const kernelT = tf.tensor2d(transposedKernel(params, slot), [slot.outputs, slot.inputs]);
        delta = maskByRelu(tf.matMul(deltaTensor, kernelT).dataSync() as Float32Array, hidden[l - 1]!);
      }
    }
  });
}
