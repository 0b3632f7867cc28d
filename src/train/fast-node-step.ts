/**
 * Local steps 2 … K of one node (SPEC §2 S4, localSteps > 1): after step 1 every node has its
 * own parameters, so these steps run node by node.
 *
 * Every product is a plain 2-D tfjs matMul (the wasm fast path): forward Ã_{l−1}·W̃_l,
 * backward D_l·W_lᵀ with W_lᵀ transposed in JS, and the weight gradients of
 * fast-node-grads.ts; or, on wasm, the same products with the same bits in JS for a small layer
 * (node-products-js.ts) and by the gradient kernel for a larger one, a tfjs product's dispatch
 * costing more than their arithmetic. The elementwise parts (ReLU, softmax, masks) run in JS on the node's
 * few thousand values, which is cheaper than dispatching tfjs ops for them.
 *
 * With reused arrays on wasm, a step's arrays lie in the later steps' kernel's memory
 * (later-workspace.ts): every layer's products are then the kernel's, read and written in
 * place (the forward from the layer's inputs as they lie, layerForward), and ReLU and its mask
 * are the kernel's SIMD loops; the same bits as every other way.
 */
import { FRESH_ARRAYS, type ArrayArena, type ArraySource } from './array-arena.js';
import type { Tf } from './backend.js';
import type { StepBatch } from './fast-batches.js';
import type { LayerSlot, ModelLayout } from './fast-layout.js';
import { gradientInJs, layerGradient, productInJs } from './fast-node-grads.js';
import { maskByRelu, relu, softmaxDelta, transposedKernel, transposeWithOnes, withOnesColumn } from './fast-node-math.js';
import type { GradientKernel } from './kernels/gradient-kernel.js';
import { matMulInJs } from './node-products-js.js';

type Tensor2D = import('@tensorflow/tfjs-core').Tensor2D;

/**
 * How a later step's products are computed: small layers in JS and the others by a gradient
 * kernel of their own when given (both with tfjs-wasm's bits), else by tfjs; TFJS_ONLY: all by tfjs.
 */
export interface LaterProducts {
  js: boolean;
  kernel: GradientKernel | null;
}

export const TFJS_ONLY: LaterProducts = { js: false, kernel: null };

export type LaterMode = 'js' | 'kernel' | 'tfjs';

/**
 * How each layer of a later step is computed, by the step's rows: a pure function of them,
 * asked for every node's every later step (and its batch), so worked out once per row count.
 */
export class LaterSteps {
  private readonly byRows = new Map<number, readonly LaterMode[]>();

  /** where a step's intermediate arrays come from: the arena (given one), else fresh arrays */
  readonly arrays: ArraySource;
  /**
   * The kernel whose memory the arena lies in (later-workspace.ts), else null. Then every array
   * a step reads lies there too (the node's parameters and gradient, the arena's arrays, its rows
   * copied in once: firstInputs), and its products, ReLU and mask are the kernel's, whose
   * methods check that.
   */
  private readonly arraysKernel: GradientKernel | null;

  constructor(
    private readonly tf: Tf,
    private readonly layout: ModelLayout,
    readonly products: LaterProducts,
    private readonly arena: ArrayArena | null = null,
    /** whether `arena` lies in the memory of products.kernel */
    arenaInKernel = false,
  ) {
    this.arrays = arena ?? FRESH_ARRAYS;
    this.arraysKernel = arena !== null && arenaInKernel ? products.kernel : null;
  }

  /** `length` values for an array every value of which is written before it is read (not zeroed). */
  written(length: number): Float32Array {
    return this.arrays.take(length, false);
  }

  /**
   * A layer's weight gradient [X | 1]ᵀ·D (X [rows, inputs], D [rows, outputs]) into `out`, by the
   * kernel: in its memory as nodeGradient does it (Xᵀ·D, then the ones row's 1ᵀ·D), else as one
   * product with X's ones column appended. The same bits either way (every value of a product
   * is summed alike, row by row).
   */
  layerGradient(x: Float32Array, inputs: number, d: Float32Array, outputs: number, rows: number, out: Float32Array): void {
    if (this.arraysKernel !== null) {
      this.arraysKernel.weightGradient(x, inputs, d, outputs, rows, out);
      return;
    }
    this.products.kernel!.product(withOnesColumn(x, rows, inputs, this.written(rows * (inputs + 1))), inputs + 1, d, outputs, rows, out);
  }

  /**
   * A layer's forward product Ã·W̃ for X [rows, inputs], by the kernel: in its memory read in
   * place (layerForward), else as the product of a transposed copy Ãᵀ. The same bits either way.
   */
  forward(x: Float32Array, rows: number, params: Float32Array, slot: LayerSlot): Float32Array {
    const weights = params.subarray(slot.offset, slot.offset + slot.size);
    const out = this.written(rows * slot.outputs);
    if (this.arraysKernel !== null) return this.arraysKernel.layerForward(x, slot.inputs, rows, weights, slot.outputs, out);
    const inputsT = transposeWithOnes(x, 0, rows, slot.inputs, this.written((slot.inputs + 1) * rows));
    return this.products.kernel!.product(inputsT, rows, weights, slot.outputs, slot.inputs + 1, out);
  }

  /** A step's rows (`values`, its first `length`) where its products read them: copied into the kernel's memory when the step runs there. */
  firstInputs(values: Float32Array, length: number): Float32Array {
    if (this.arraysKernel === null) return values;
    const copy = this.written(length);
    copy.set(values.subarray(0, length));
    return copy;
  }

  /** relu(values) (fast-node-math.ts), by the kernel in its memory. */
  relu(values: Float32Array): Float32Array {
    if (this.arraysKernel !== null) return this.arraysKernel.relu(values, this.written(values.length));
    return relu(values, this.arrays.take(values.length));
  }

  /** maskByRelu(delta, hidden) (fast-node-math.ts), by the kernel in its memory. */
  maskByRelu(delta: Float32Array, hidden: Float32Array): Float32Array {
    if (this.arraysKernel !== null) return this.arraysKernel.maskByRelu(delta, hidden, this.written(delta.length));
    return maskByRelu(delta, hidden, this.arrays.take(delta.length));
  }

  /** A step begins: the arrays of the step before are dead. */
  startStep(): void {
    this.arena?.reset();
  }

  /** each layer's mode for `rows` rows (on wasm only: JS and the kernel give tfjs-wasm's bits) */
  modes(rows: number): readonly LaterMode[] {
    let modes = this.byRows.get(rows);
    if (modes === undefined) {
      const { tf, products } = this;
      modes = this.layout.layers.map((slot): LaterMode => {
        // in the kernel's memory a product costs it no copy, and even a small one is faster than JS
        if (this.arraysKernel !== null) return 'kernel';
        if (products.js && productInJs(tf, slot.inputs, rows, slot.outputs)) return 'js';
        return products.kernel !== null ? 'kernel' : 'tfjs';
      });
      this.byRows.set(rows, modes);
    }
    return modes;
  }

  /** Whether a later step of `rows` rows needs its rows as tensors (its first layer by tfjs; fast-batches.ts). */
  uploads(rows: number): boolean {
    return this.modes(rows)[0] === 'tfjs';
  }
}

/** Hidden activations H_1 … H_{L−1} and logits of the node's batch under `params`; inside `tf.tidy` when a layer is tfjs's. */
function forwardNode(
  tf: Tf, layout: ModelLayout, params: Float32Array, batch: StepBatch, firstValues: Float32Array | null, modes: readonly LaterMode[], later: LaterSteps,
): { hidden: Float32Array[]; logits: Float32Array } {
  const hidden: Float32Array[] = [];
  const last = layout.layers.length - 1;
  let values = firstValues;
  let input = batch.inputs;
  for (let l = 0; ; l++) {
    const slot = layout.layers[l]!;
    const mode = modes[l]!;
    const z = mode === 'js'
      ? productInJsOf(values!, batch.rows, params, slot, later.written(batch.rows * slot.outputs))
      : mode === 'kernel'
        ? later.forward(values!, batch.rows, params, slot)
        : product(tf, input ?? ones(tf, values!, batch.rows, slot.inputs, later), params, slot);
    if (l === last) return { hidden, logits: z };
    const h = later.relu(z);
    hidden.push(h);
    values = h;
    input = null;
  }
}

/** Ã as a tensor [rows, width + 1] from X [rows, width]. */
function ones(tf: Tf, values: Float32Array, rows: number, width: number, later: LaterSteps): Tensor2D {
  return tf.tensor2d(withOnesColumn(values, rows, width, later.written(rows * (width + 1))), [rows, width + 1]);
}

/** Ã · W̃_l, with W̃_l = [W_l; b_l] straight from the flat parameter vector. */
function product(tf: Tf, input: Tensor2D, params: Float32Array, slot: LayerSlot): Float32Array {
  const kernel = tf.tensor2d(params.subarray(slot.offset, slot.offset + slot.size), [slot.inputs + 1, slot.outputs]);
  return tf.matMul(input, kernel).dataSync() as Float32Array;
}

/** The same product in JS (node-products-js.ts: the same bits), into `out` (rows · outputs values). */
function productInJsOf(values: Float32Array, rows: number, params: Float32Array, slot: LayerSlot, out: Float32Array): Float32Array {
  matMulInJs(values, rows, slot.inputs, params, slot.offset, slot.outputs, true, out);
  return out;
}

/** Xᵀ [columns, rows] of a row-major X [rows, columns], into `out` (rows · columns values). */
function transposed(values: Float32Array, rows: number, columns: number, out: Float32Array): Float32Array {
  for (let r = 0; r < rows; r++) for (let c = 0; c < columns; c++) out[c * rows + r] = values[r * columns + c]!;
  return out;
}

/**
 * Gradient of the node's mean batch loss at `params`, written into `out` (flat layout). A
 * layer whose products are small (productInJs: the weight gradient's multiply-adds, which bound
 * the forward and backward ones) is done in JS, a larger one by the kernel when there is one
 * (each product as Xᵀ·D: the forward with X = Ãᵀ, the backward with X = Dᵀ), else by tfjs; all
 * three give the same bits. In the kernel's memory (later-workspace.ts: `params` and `out`
 * there) every layer is the kernel's.
 */
export function nodeStepGradient(tf: Tf, layout: ModelLayout, params: Float32Array, batch: StepBatch, out: Float32Array, later: LaterSteps): void {
  const rows = batch.rows;
  // the batch was built by the same modes (fast-batches.ts: its rows kept, or uploaded for tfjs)
  const modes = later.modes(rows);
  const kernel = later.products.kernel;
  later.startStep();
  // the step's rows where its products read them, once for its forward and its gradient products
  const firstValues = batch.values === null ? null : later.firstInputs(batch.values, rows * layout.layers[0]!.inputs);
  const step = (): void => {
    const { hidden, logits } = forwardNode(tf, layout, params, batch, firstValues, modes, later);
    let delta = softmaxDelta(logits, batch.labels, layout.classCount, later.written(rows * layout.classCount));
    for (let l = layout.layers.length - 1; l >= 0; l--) {
      const slot = layout.layers[l]!;
      const values = l === 0 ? firstValues : hidden[l - 1]!;
      const mode = modes[l]!;
      if (mode === 'js') {
        gradientInJs(values!, slot.inputs, 0, rows, delta, slot.outputs, out, slot.offset);
        if (l > 0) {
          const back = later.written(rows * slot.inputs);
          matMulInJs(delta, rows, slot.outputs, transposedKernel(params, slot, later.written(slot.inputs * slot.outputs)), 0, slot.inputs, false, back);
          delta = later.maskByRelu(back, hidden[l - 1]!);
        }
        continue;
      }
      if (mode === 'kernel') {
        // the gradient goes straight into `out`: a view of this layer's slot in it
        later.layerGradient(values!, slot.inputs, delta, slot.outputs, rows, out.subarray(slot.offset, slot.offset + slot.size));
        if (l > 0) {
          const back = kernel!.product(
            transposed(delta, rows, slot.outputs, later.written(rows * slot.outputs)), rows,
            transposedKernel(params, slot, later.written(slot.inputs * slot.outputs)), slot.inputs, slot.outputs, later.written(rows * slot.inputs),
          );
          delta = later.maskByRelu(back, hidden[l - 1]!);
        }
        continue;
      }
      const deltaTensor = tf.tensor2d(delta, [rows, slot.outputs]);
      const inputsT = l === 0
        ? batch.inputsT!
        : tf.tensor2d(transposeWithOnes(hidden[l - 1]!, 0, rows, slot.inputs, later.written((slot.inputs + 1) * rows)), [slot.inputs + 1, rows]);
      out.set(layerGradient(tf, inputsT, deltaTensor), slot.offset);
      if (l > 0) {
        const kernelT = tf.tensor2d(transposedKernel(params, slot, later.written(slot.inputs * slot.outputs)), [slot.outputs, slot.inputs]);
        const back = tf.matMul(deltaTensor, kernelT).dataSync() as Float32Array;
        delta = later.maskByRelu(back, hidden[l - 1]!);
      }
    }
  };
  // tf.tidy only for a step with tfjs products: its scope costs a step done in JS and the kernel a few µs
  if (modes.includes('tfjs')) tf.tidy(step);
  else step();
}
