/**
 * Forward pass of the MLP on a [rows, in] tensor with the parameters taken from the flat
 * vector (fast-layout.ts): ReLU after every layer but the last. Each layer is one
 * `fused.matMul` with bias (and ReLU), a plain 2-D product, which the wasm backend hands to
 * XNNPACK. Call inside `tf.tidy`.
 */
import type { Tf } from './backend.js';
import type { ModelLayout } from './fast-layout.js';

type Tensor2D = import('@tensorflow/tfjs-core').Tensor2D;

export interface ForwardResult {
  /** post-ReLU activations of the hidden layers, [rows, width_l] each */
  hidden: Tensor2D[];
  logits: Tensor2D;
}

/** W_l as an [in, out] tensor (no bias row). */
export function kernelTensor(tf: Tf, layout: ModelLayout, theta: Float32Array, l: number): Tensor2D {
  const slot = layout.layers[l]!;
  return tf.tensor2d(theta.subarray(slot.offset, slot.offset + slot.inputs * slot.outputs), [slot.inputs, slot.outputs]);
}

export function forwardMlp(tf: Tf, layout: ModelLayout, theta: Float32Array, x: Tensor2D): ForwardResult {
  const hidden: Tensor2D[] = [];
  let h = x;
  layout.layers.forEach((slot, l) => {
    const biasStart = slot.offset + slot.inputs * slot.outputs;
    const bias = tf.tensor1d(theta.subarray(biasStart, slot.offset + slot.size));
    const isLast = l === layout.layers.length - 1;
    h = tf.fused.matMul({ a: h, b: kernelTensor(tf, layout, theta, l), bias, activation: isLast ? 'linear' : 'relu' }) as Tensor2D;
    if (!isLast) hidden.push(h);
  });
  return { hidden, logits: h };
}
