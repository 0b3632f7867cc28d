/**
 * Local step 1 of every task at once (SPEC §2 S4: each task starts from the common θ_t).
 *
 * Because all tasks share θ_t in their first step, one forward pass over the concatenation
 * of their batches (M = Σ b_i rows) computes every task's activations, and one backward
 * pass computes every task's output deltas, provided row r of node i's loss gradient is
 * scaled by 1 / b_i (each task minimises its own mean loss). The backward here stops at the
 * deltas D_l = ∂(Σ_i L_i)/∂Z_l; the weight gradients are per node (fast-node-grads.ts),
 * since S4 needs each node's own gradient norm. The backward uses only D_l·W_lᵀ with an
 * explicitly transposed (small) W_l: tfjs-wasm runs transposed matMuls on a scalar loop.
 * With the engine's gradient kernel the pass runs in the kernel's memory (PassBuffers.place),
 * tfjs computing only the softmax; without it (no WebAssembly SIMD, the cpu backend) by tfjs.
 */
import type { Tf } from './backend.js';
import type { ConcatBatch } from './fast-batches.js';
import { forwardMlp, kernelTensor } from './fast-forward.js';
import type { ModelLayout } from './fast-layout.js';
import { transposedKernel } from './fast-node-math.js';
import type { GradientKernel, PlacedPass } from './kernels/gradient-kernel.js';

type Tensor2D = import('@tensorflow/tfjs-core').Tensor2D;

export interface ConcatPass {
  /** X, the chunk's gathered inputs, row-major [M, in] (the batch's own array, or its copy in the kernel's memory) */
  inputs: Float32Array;
  /** H_l, l = 1 … L−1 (post-ReLU), row-major [M, width_l] */
  hidden: Float32Array[];
  /** D_l, l = 1 … L, row-major [M, outputs_l]; rows of node i carry the factor 1 / b_i */
  deltas: Float32Array[];
  /** where these arrays lie in the gradient kernel's memory, when the engine has one */
  placed: PlacedPass | null;
}

function concatTensors(tf: Tf, layout: ModelLayout, theta: Float32Array, batch: ConcatBatch): Tensor2D[] {
  if (batch.x === null || batch.targets === null || batch.rowScale === null) throw new Error('a pass by tfjs needs the chunk\'s tensors (built with BatchTensors.concat)');
  const { x, targets, rowScale } = batch;
  return tf.tidy(() => {
    const { hidden, logits } = forwardMlp(tf, layout, theta, x);
    const deltas: Tensor2D[] = [];
    let delta: Tensor2D = tf.mul(tf.sub(tf.softmax(logits), targets), rowScale);
    for (let l = layout.layers.length - 1; l >= 0; l--) {
      deltas.unshift(delta);
      if (l === 0) break;
      // ReLU′(Z) = step(H): H = relu(Z) is positive exactly where Z is
      const back = tf.matMul(delta, tf.transpose(kernelTensor(tf, layout, theta, l)));
      delta = tf.mul(back, tf.step(hidden[l - 1]!));
    }
    return [...hidden, ...deltas];
  });
}

function split(layout: ModelLayout, batch: ConcatBatch, values: Float32Array[]): ConcatPass {
  const hiddenCount = layout.layers.length - 1;
  return { inputs: batch.xValues, hidden: values.slice(0, hiddenCount), deltas: values.slice(hiddenCount), placed: null };
}

/**
 * Arrays a pass's values are read into on the wasm backend, reused from chunk to chunk (an
 * engine runs one pass at a time): a chunk's activations are megabytes, and fresh arrays of
 * that size every chunk make the garbage collector run its full collections far more often.
 * The values are copied out of wasm memory at once (its buffer is replaced when it grows).
 * Given the engine's gradient kernel, the pass runs in the kernel's memory (place), tfjs
 * computing the softmax alone: one tfjs op a pass instead of eight, and no activation or
 * delta copied out of tfjs's heap, with the bits of those ops.
 */
export class PassBuffers {
  private arrays: Float32Array[] = [];

  constructor(private readonly kernel: GradientKernel | null = null) {}

  /** The wasm backend's view of a tensor's values in its heap, or null on another backend. */
  private static heap(tf: Tf): ((tensor: Tensor2D) => Float32Array) | null {
    const backend = tf.backend() as unknown as { typedArrayFromHeap?: (tensor: Tensor2D) => Float32Array };
    if (tf.getBackend() !== 'wasm' || typeof backend.typedArrayFromHeap !== 'function') return null;
    return (tensor) => backend.typedArrayFromHeap!(tensor);
  }

  /**
   * Whether a pass runs in the gradient kernel's memory (place), else by tfjs (read): the
   * engine makes a kernel on wasm only, and builds its chunks for the one way or the other by it.
   */
  get inKernel(): boolean {
    return this.kernel !== null;
  }

  /**
   * The pass in the kernel's memory: the chunk's inputs and θ copied in, each layer's
   * forward by the kernel (the bits of tf.fused.matMul with bias and ReLU), the softmax of the
   * logits by tfjs (XNNPACK's exponential, whose bits the kernel has not), then
   * D_L = (softmax − targets) · 1/b and D_l = (D_{l+1}·W_{l+1}ᵀ) ∘ step(H_l) down to the first
   * layer, each where it lies.
   */
  place(tf: Tf, layout: ModelLayout, theta: Float32Array, batch: ConcatBatch): ConcatPass {
    const kernel = this.kernel!;
    const heap = PassBuffers.heap(tf);
    if (heap === null) throw new Error('a pass in the gradient kernel\'s memory reads the softmax from the wasm backend\'s heap');
    const { rows } = batch;
    const layers = layout.layers;
    const count = layers.length;
    const classes = layers[count - 1]!.outputs;
    // X, H_1 … H_{L−1}, D_1 … D_L, the logits, their softmax, the targets, 1/b per row, θ, W_2ᵀ … W_Lᵀ
    const lengths = [
      batch.xValues.length,
      ...layers.slice(0, -1).map((slot) => rows * slot.outputs),
      ...layers.map((slot) => rows * slot.outputs),
      rows * classes, rows * classes, rows * classes, rows, theta.length,
      ...layers.slice(1).map((slot) => slot.inputs * slot.outputs),
    ];
    const { views, addresses } = kernel.arrays(lengths);
    const inputs = views[0]!;
    const hidden = views.slice(1, count);
    const deltas = views.slice(count, 2 * count);
    const [logits, softmax, targets, scale, params] = views.slice(2 * count, 2 * count + 5) as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
    const transposed = views.slice(2 * count + 5);
    inputs.set(batch.xValues);
    params.set(theta);
    targets.set(batch.targetValues.subarray(0, rows * classes));
    scale.set(batch.scaleValues.subarray(0, rows));
    kernel.forward(layers, params, inputs, rows, [...hidden, logits]);
    const probabilities = tf.tidy(() => tf.softmax(tf.tensor2d(logits, [rows, classes])));
    try {
      softmax.set(heap(probabilities));
    } finally {
      probabilities.dispose();
    }
    kernel.outputDelta(softmax, targets, scale, rows, classes, deltas[count - 1]!);
    for (let l = count - 1; l >= 1; l--) {
      const slot = layers[l]!;
      transposedKernel(theta, slot, transposed[l - 1]);
      kernel.hiddenDelta(deltas[l]!, slot.outputs, transposed[l - 1]!, slot.inputs, hidden[l - 1]!, rows, deltas[l - 1]!);
    }
    return {
      inputs,
      hidden,
      deltas,
      placed: { kernel, inputs: addresses[0]!, hidden: addresses.slice(1, count), deltas: addresses.slice(count, 2 * count) },
    };
  }

  /** The pass read from concatTensors's tensors, or null when the backend is not wasm. */
  read(tf: Tf, layout: ModelLayout, batch: ConcatBatch, tensors: Tensor2D[]): ConcatPass | null {
    const heap = PassBuffers.heap(tf);
    if (heap === null) return null;
    return split(layout, batch, tensors.map((tensor, k) => {
      const size = tensor.size;
      if ((this.arrays[k]?.length ?? 0) < size) this.arrays[k] = new Float32Array(size);
      const out = this.arrays[k]!.subarray(0, size);
      out.set(heap(tensor));
      return out;
    }));
  }
}

export async function runConcatPass(tf: Tf, layout: ModelLayout, theta: Float32Array, batch: ConcatBatch, buffers?: PassBuffers): Promise<ConcatPass> {
  if (buffers?.inKernel === true) return buffers.place(tf, layout, theta, batch);
  const tensors = concatTensors(tf, layout, theta, batch);
  try {
    return buffers?.read(tf, layout, batch, tensors) ?? split(layout, batch, (await Promise.all(tensors.map((t) => t.data()))) as Float32Array[]);
  } finally {
    tf.dispose(tensors);
  }
}

/** The same pass read back synchronously (the engine's getParams, which cannot wait). */
export function runConcatPassSync(tf: Tf, layout: ModelLayout, theta: Float32Array, batch: ConcatBatch, buffers?: PassBuffers): ConcatPass {
  if (buffers?.inKernel === true) return buffers.place(tf, layout, theta, batch);
  const tensors = concatTensors(tf, layout, theta, batch);
  try {
    return buffers?.read(tf, layout, batch, tensors) ?? split(layout, batch, tensors.map((t) => t.dataSync() as Float32Array));
  } finally {
    tf.dispose(tensors);
  }
}
