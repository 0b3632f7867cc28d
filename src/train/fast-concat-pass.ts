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
 */
import type { Tf } from './backend.js';
import type { ConcatBatch } from './fast-batches.js';
import { forwardMlp, kernelTensor, type ParamTensors } from './fast-forward.js';
import type { ModelLayout } from './fast-layout.js';
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

function concatTensors(tf: Tf, layout: ModelLayout, theta: Float32Array, batch: ConcatBatch, params: ParamTensors | null): Tensor2D[] {
  const tensors = params?.of(theta) ?? null;
  return tf.tidy(() => {
    const { hidden, logits } = forwardMlp(tf, layout, theta, batch.x, tensors);
    const deltas: Tensor2D[] = [];
    let delta: Tensor2D = tf.mul(tf.sub(tf.softmax(logits), batch.targets), batch.rowScale);
    for (let l = layout.layers.length - 1; l >= 0; l--) {
      deltas.unshift(delta);
      if (l === 0) break;
      // ReLU′(Z) = step(H): H = relu(Z) is positive exactly where Z is
      const back = tf.matMul(delta, tensors?.transposed[l] ?? tf.transpose(kernelTensor(tf, layout, theta, l)));
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
 * Given the engine's gradient kernel, they are copied into the kernel's memory instead, with
 * the chunk's inputs, where it reads every node's rows.
 */
export class PassBuffers {
  private arrays: Float32Array[] = [];

  constructor(private readonly kernel: GradientKernel | null = null) {}

  /** The pass read from the tensors, or null when the backend is not wasm. */
  read(tf: Tf, layout: ModelLayout, batch: ConcatBatch, tensors: Tensor2D[]): ConcatPass | null {
    const backend = tf.backend() as unknown as { typedArrayFromHeap?: (tensor: Tensor2D) => Float32Array };
    if (tf.getBackend() !== 'wasm' || typeof backend.typedArrayFromHeap !== 'function') return null;
    const heap = (tensor: Tensor2D): Float32Array => backend.typedArrayFromHeap!(tensor);
    if (this.kernel !== null) {
      const { views, addresses } = this.kernel.arrays([batch.xValues.length, ...tensors.map((tensor) => tensor.size)]);
      views[0]!.set(batch.xValues);
      tensors.forEach((tensor, k) => views[k + 1]!.set(heap(tensor)));
      const hiddenCount = layout.layers.length - 1;
      return {
        inputs: views[0]!,
        hidden: views.slice(1, 1 + hiddenCount),
        deltas: views.slice(1 + hiddenCount),
        placed: { kernel: this.kernel, inputs: addresses[0]!, hidden: addresses.slice(1, 1 + hiddenCount), deltas: addresses.slice(1 + hiddenCount) },
      };
    }
    return split(layout, batch, tensors.map((tensor, k) => {
      const size = tensor.size;
      if ((this.arrays[k]?.length ?? 0) < size) this.arrays[k] = new Float32Array(size);
      const out = this.arrays[k]!.subarray(0, size);
      out.set(heap(tensor));
      return out;
    }));
  }
}

/** The pass from θ; `params` keeps θ's layer tensors for the next pass from the same θ. */
export async function runConcatPass(tf: Tf, layout: ModelLayout, theta: Float32Array, batch: ConcatBatch, buffers?: PassBuffers, params: ParamTensors | null = null): Promise<ConcatPass> {
  const tensors = concatTensors(tf, layout, theta, batch, params);
  try {
    return buffers?.read(tf, layout, batch, tensors) ?? split(layout, batch, (await Promise.all(tensors.map((t) => t.data()))) as Float32Array[]);
  } finally {
    tf.dispose(tensors);
  }
}

/** The same pass read back synchronously (the engine's getParams, which cannot wait). */
export function runConcatPassSync(tf: Tf, layout: ModelLayout, theta: Float32Array, batch: ConcatBatch, buffers?: PassBuffers, params: ParamTensors | null = null): ConcatPass {
  const tensors = concatTensors(tf, layout, theta, batch, params);
  try {
    return buffers?.read(tf, layout, batch, tensors) ?? split(layout, batch, tensors.map((t) => t.dataSync() as Float32Array));
  } finally {
    tf.dispose(tensors);
  }
}
