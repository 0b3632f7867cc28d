/**
 * Forward pass of the MLP on a [rows, in] tensor with the parameters taken from the flat
 * vector (fast-layout.ts): ReLU after every layer but the last. Each layer is one
 * `fused.matMul` with bias (and ReLU), a plain 2-D product, which the wasm backend hands to
 * XNNPACK. Call inside `tf.tidy`.
 */
import type { Tf } from './backend.js';
import type { ModelLayout } from './fast-layout.js';

type Tensor1D = import('@tensorflow/tfjs-core').Tensor1D;
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

/** One θ's layers as tensors: W_l [in, out] and b_l of every layer, and W_lᵀ of every layer but the first (the backward's). */
export interface LayerTensors {
  kernels: Tensor2D[];
  biases: Tensor1D[];
  /** W_lᵀ, null for l = 0 (no delta goes back past the first layer) */
  transposed: Array<Tensor2D | null>;
}

/**
 * The layers' tensors of the latest θ, kept from pass to pass: a round split between two
 * threads makes a dozen passes from one θ, and every new weight tensor costs its upload and
 * XNNPACK its packing again (tfjs-wasm keeps a fully-connected operator per weight tensor).
 * The engine never changes a θ array in place (it replaces θ), so the array's identity says
 * whether θ changed.
 */
export class ParamTensors {
  private theta: Float32Array | null = null;
  private tensors: LayerTensors | null = null;

  constructor(private readonly tf: Tf, private readonly layout: ModelLayout) {}

  /** The tensors of `theta`, made when it is not the θ of the last call. Call outside tf.tidy. */
  of(theta: Float32Array): LayerTensors {
    if (theta === this.theta && this.tensors !== null) return this.tensors;
    this.dispose();
    const { tf, layout } = this;
    const kernels = layout.layers.map((_, l) => kernelTensor(tf, layout, theta, l));
    const biases = layout.layers.map((slot) => tf.tensor1d(theta.subarray(slot.offset + slot.inputs * slot.outputs, slot.offset + slot.size)));
    const transposed = kernels.map((kernel, l) => (l === 0 ? null : tf.transpose(kernel)));
    this.tensors = { kernels, biases, transposed };
    this.theta = theta;
    return this.tensors;
  }

  dispose(): void {
    if (this.tensors === null) return;
    const { kernels, biases, transposed } = this.tensors;
    this.tf.dispose([...kernels, ...biases, ...transposed.filter((t): t is Tensor2D => t !== null)]);
    this.tensors = null;
    this.theta = null;
  }
}

/** The forward pass from θ, or from θ's layer tensors when given (`tensors`, ParamTensors.of). */
export function forwardMlp(tf: Tf, layout: ModelLayout, theta: Float32Array, x: Tensor2D, tensors: LayerTensors | null = null): ForwardResult {
  const hidden: Tensor2D[] = [];
  let h = x;
  layout.layers.forEach((slot, l) => {
    const bias = tensors?.biases[l] ?? tf.tensor1d(theta.subarray(slot.offset + slot.inputs * slot.outputs, slot.offset + slot.size));
    const kernel = tensors?.kernels[l] ?? kernelTensor(tf, layout, theta, l);
    const isLast = l === layout.layers.length - 1;
    h = tf.fused.matMul({ a: h, b: kernel, bias, activation: isLast ? 'linear' : 'relu' }) as Tensor2D;
    if (!isLast) hidden.push(h);
  });
  return { hidden, logits: h };
}
