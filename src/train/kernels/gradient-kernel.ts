/**
 * Every node's weight gradients of a concatenated pass by one small WebAssembly kernel
 * (gradient.wat) instead of a tfjs product per layer and node.
 *
 * A node's gradient of layer l is G̃_l = Ã_{l−1}ᵀ·D_l over its 32 or so rows (fast-node-grads.ts).
 * Through tfjs-wasm each such product costs two uploads, an XNNPACK operator built and its
 * operand packed, the product, and a read-back: at 64 → 64 → 10 on 32 rows, 39 µs a node, four
 * times the 8.5 µs the kernel takes reading the pass's rows where they lie (issue 14). The
 * kernel computes the very same float32 operations in the same order as XNNPACK (each product
 * rounded, added in row order to a sum from +0), so the numbers do not change, bit for bit
 * (test/train/gradient-kernel.test.ts, and the engine compared with and without it).
 *
 * One kernel per engine, with its own memory: the pass's activations and deltas are copied
 * into it from tfjs's memory (as they were copied into JS arrays before) and the kernel reads
 * each node's rows in place. An engine runs one pass at a time, so each pass reuses the space
 * of the last; the memory grows to the largest chunk and stays.
 *
 * A second kernel, of the engine's later local steps, holds a step's arrays in a region of its
 * memory (`region`, later-workspace.ts): its products then read and write them in place, and
 * it also runs a step's loops over vectors (stepAway, addInto, relu, maskByRelu, sumOfSquares),
 * each with the bits of the JavaScript it replaces (test/train/later-workspace.test.ts). Both
 * kernels return a node's ‖U_i‖² computed where U_i was formed.
 *
 * Needs WebAssembly's 128-bit SIMD (Node 16.4+, every current browser); without it `create`
 * returns null and the engine keeps the tfjs products.
 */
import { WASM_BASE64 } from './gradient-wasm.js';
import { kernelFromBase64 } from './kernel-module.js';

/** A layer as the flat parameter vector holds it (fast-layout.ts's LayerSlot: W̃_l at `offset`, (inputs + 1) × outputs). */
export interface KernelLayer {
  inputs: number;
  outputs: number;
  offset: number;
}

type Xtd = (x: number, xs: number, xp: number, width: number, d: number, ds: number, outputs: number, rows: number, out: number, spill: number, init?: number) => void;
type AddRowsFn = (out: number, row: number, rows: number, cols: number) => void;
type SumOfSquaresFn = (v: number, n: number) => number;
type StepAwayFn = (theta: number, sum: number, learningRate: number, out: number, n: number) => void;
type AddIntoFn = (target: number, values: number, n: number) => void;
type ReluFn = (values: number, out: number, n: number) => void;
type MaskFn = (delta: number, hidden: number, out: number, n: number) => void;
type OutputDeltaFn = (s: number, t: number, scale: number, out: number, rows: number, cols: number) => void;

/** Bytes of the kernel's scratch at address 0: 32 for a partial block's spill, then the constant 1 (the ones row). */
const SPILL = 0;
const ONE = 32;
const HEADER_BYTES = 64;
/** Floats read past an array's last row (8-wide blocks of D), kept free after each array. */
const SLACK_FLOATS = 8;
const PAGE_BYTES = 65536;

let compiled: WebAssembly.Module | null | undefined;

/** `bytes` rounded up to a multiple of 16 (a 128-bit load's width). */
function aligned(bytes: number): number {
  return Math.ceil(bytes / 16) * 16;
}

/** The gradient kernel, compiled once per thread. */
function kernelModule(): WebAssembly.Module | null {
  if (compiled === undefined) compiled = kernelFromBase64(WASM_BASE64);
  return compiled;
}

/** Where a pass's arrays lie in a kernel's memory (byte addresses). */
export interface PlacedPass {
  kernel: GradientKernel;
  inputs: number;
  hidden: number[];
  deltas: number[];
}

export class GradientKernel {
  private readonly memory: WebAssembly.Memory;
  private readonly xtd: Xtd;
  private readonly stepAwayFn: StepAwayFn;
  private readonly addIntoFn: AddIntoFn;
  private readonly reluFn: ReluFn;
  private readonly maskFn: MaskFn;
  private readonly outputDeltaFn: OutputDeltaFn;
  private readonly maskByStepFn: MaskFn;
  private readonly addRowsFn: AddRowsFn;
  private readonly squaresFn: SumOfSquaresFn;
  private floats: Float32Array;
  /** the gradient the kernel writes (a view kept, not made per node; remade when the memory grows) */
  private gradient: Float32Array;
  /** byte address of the gradient the kernel writes, paramCount floats */
  private readonly outAt: number;
  /** byte address of the region a later step's workspace holds (`region`) */
  private readonly regionAt: number;
  /** byte address from which a pass's arrays (or a product's copied operands) are placed, after the region */
  private passAt: number;

  private constructor(module: WebAssembly.Module, private readonly paramCount: number) {
    this.outAt = HEADER_BYTES;
    this.regionAt = aligned(this.outAt + 4 * (paramCount + SLACK_FLOATS));
    this.passAt = this.regionAt;
    this.memory = new WebAssembly.Memory({ initial: Math.ceil(this.passAt / PAGE_BYTES) });
    const instance = new WebAssembly.Instance(module, { env: { memory: this.memory } });
    this.xtd = instance.exports['xtd'] as Xtd;
    this.stepAwayFn = instance.exports['step_away'] as StepAwayFn;
    this.addIntoFn = instance.exports['add_into'] as AddIntoFn;
    this.reluFn = instance.exports['relu'] as ReluFn;
    this.maskFn = instance.exports['mask_by_relu'] as MaskFn;
    this.outputDeltaFn = instance.exports['output_delta'] as OutputDeltaFn;
    this.maskByStepFn = instance.exports['mask_by_step'] as MaskFn;
    this.addRowsFn = instance.exports['add_rows'] as AddRowsFn;
    this.squaresFn = instance.exports['sum_of_squares'] as SumOfSquaresFn;
    this.floats = new Float32Array(this.memory.buffer);
    this.gradient = this.gradientView();
    this.floats[ONE / 4] = 1;
  }

  private gradientView(): Float32Array {
    return this.floats.subarray(this.outAt / 4, this.outAt / 4 + this.paramCount);
  }

  /** A kernel for a model of `paramCount` parameters, or null when this runtime cannot run it (`module`: tests). */
  static create(paramCount: number, module: WebAssembly.Module | null = kernelModule()): GradientKernel | null {
    return module === null ? null : new GradientKernel(module, paramCount);
  }

  /**
   * Arrays of these lengths in the kernel's memory, one after the other, each followed by
   * SLACK_FLOATS; the arrays of the previous call are reused, so they must be done with.
   */
  arrays(lengths: readonly number[]): { views: Float32Array[]; addresses: number[] } {
    let end = this.passAt;
    const addresses = lengths.map((length) => {
      const at = end;
      end += 4 * (length + SLACK_FLOATS);
      return at;
    });
    this.fit(end);
    const views = lengths.map((length, k) => this.floats.subarray(addresses[k]! / 4, addresses[k]! / 4 + length));
    return { views, addresses };
  }

  /** Grows the memory to at least `bytes` (every view of it made before is then gone). */
  private fit(bytes: number): void {
    const short = bytes - this.memory.buffer.byteLength;
    if (short <= 0) return;
    this.memory.grow(Math.ceil(short / PAGE_BYTES));
    this.floats = new Float32Array(this.memory.buffer);
    this.gradient = this.gradientView();
  }

  /**
   * `length` values of this kernel's memory, 16-byte aligned, followed by SLACK_FLOATS, that
   * nothing else of the kernel writes: the workspace of a later local step (later-workspace.ts),
   * whose arrays `product`, `stepAway` and `addInto` then read and write where they lie. The
   * region of an earlier call (its values kept) is given again, larger when asked; every view of
   * the memory made before may be gone (it grew), so take new ones from this view.
   */
  region(length: number): Float32Array {
    this.passAt = Math.max(this.passAt, aligned(this.regionAt + 4 * (length + SLACK_FLOATS)));
    this.fit(this.passAt);
    return this.floats.subarray(this.regionAt / 4, this.regionAt / 4 + length);
  }

  /** Whether every array lies in this kernel's memory. */
  holdsAll(...arrays: Float32Array[]): boolean {
    const buffer = this.floats.buffer;
    return arrays.every((array) => array.buffer === buffer);
  }

  /** out = θ − lr·sum (fast-vector-math.ts's stepAway, the same bits), all three in this kernel's memory. */
  stepAway(theta: Float32Array, sum: Float32Array, learningRate: number, out: Float32Array): void {
    if (!this.holdsAll(theta, sum, out) || sum.length !== theta.length || out.length !== theta.length) throw new RangeError('stepAway needs three vectors of one length in the kernel\'s memory');
    this.stepAwayFn(theta.byteOffset, sum.byteOffset, learningRate, out.byteOffset, theta.length);
  }

  /** target += values (fast-vector-math.ts's addInto, the same bits), both in this kernel's memory. */
  addInto(target: Float32Array, values: Float32Array): void {
    if (!this.holdsAll(target, values) || target.length !== values.length) throw new RangeError('addInto needs two vectors of one length in the kernel\'s memory');
    this.addIntoFn(target.byteOffset, values.byteOffset, target.length);
  }

  /**
   * The gradient of the node owning rows `start … start + rows − 1` of a placed pass, written
   * into `out` in the flat parameter layout: per layer Ã_{l−1}ᵀ·D_l, its inputs' rows then the
   * ones row. Returns its sum of squares (sumOfSquares's bits), the node's ‖U_i‖² when this step
   * is its only one.
   */
  nodeGradient(layout: { layers: readonly KernelLayer[] }, pass: PlacedPass, start: number, rows: number, out: Float32Array): number {
    if (rows < 1) {
      out.fill(0, 0, this.paramCount); // a sum over no rows; the kernel needs at least one
      return 0;
    }
    const { layers } = layout;
    for (let l = 0; l < layers.length; l++) {
      const { inputs, outputs, offset } = layers[l]!;
      const x = (l === 0 ? pass.inputs : pass.hidden[l - 1]!) + 4 * start * inputs;
      const d = pass.deltas[l]! + 4 * start * outputs;
      this.withOnesRow(x, inputs, d, outputs, rows, this.outAt + 4 * offset);
    }
    out.set(this.gradient);
    return this.squaresFn(this.gradient.byteOffset, this.paramCount);
  }

  /** Σ v² in float64 of a vector in this kernel's memory: fast-vector-math.ts's sumOfSquares, the same bits. */
  sumOfSquares(values: Float32Array): number {
    if (!this.holdsAll(values)) throw new RangeError('sumOfSquares needs a vector in the kernel\'s memory');
    return this.squaresFn(values.byteOffset, values.length);
  }

  /**
   * [X | 1]ᵀ·D into `out` ((inputs + 1) · outputs values), all three in this kernel's memory:
   * Xᵀ·D, then the ones row's 1ᵀ·D, as nodeGradient computes a layer (the same bits as the
   * product of X with a ones column appended).
   */
  weightGradient(x: Float32Array, inputs: number, d: Float32Array, outputs: number, rows: number, out: Float32Array): void {
    if (!this.holdsAll(x, d, out) || out.length < (inputs + 1) * outputs) throw new RangeError('weightGradient needs its arrays in the kernel\'s memory');
    if (rows < 1) {
      out.fill(0, 0, (inputs + 1) * outputs);
      return;
    }
    this.withOnesRow(x.byteOffset, inputs, d.byteOffset, outputs, rows, out.byteOffset);
  }

  /** [X | 1]ᵀ·D at byte addresses (X [rows, inputs], D [rows, outputs], rows ≥ 1): Xᵀ·D, then the ones row's 1ᵀ·D after it. */
  private withOnesRow(x: number, inputs: number, d: number, outputs: number, rows: number, at: number): void {
    this.xtd(x, inputs, 1, inputs, d, outputs, outputs, rows, at, SPILL);
    this.xtd(ONE, 0, 1, 1, d, outputs, outputs, rows, at + 4 * inputs * outputs, SPILL);
  }

  /**
   * A layer's forward product Ã·W̃ into `out` [rows, outputs], from row-major A [rows, inputs]
   * (Ã: its ones column implied) and `weights` = W̃ = [W; b] ((inputs + 1) · outputs values, the
   * flat layout), all in this kernel's memory: Xᵀ·W with X = Aᵀ read from A where it lies (each
   * value summed over the inputs in order from +0), then b added to every row, as the ones row
   * of Ãᵀ adds 1 · b last. The bits of the product of Ãᵀ by W̃, without transposing A.
   */
  layerForward(a: Float32Array, inputs: number, rows: number, weights: Float32Array, outputs: number, out: Float32Array): Float32Array {
    if (!this.holdsAll(a, weights, out) || a.length < rows * inputs || weights.length < (inputs + 1) * outputs || out.length < rows * outputs) {
      throw new RangeError('layerForward needs its arrays in the kernel\'s memory');
    }
    if (rows < 1) return out;
    this.xtd(a.byteOffset, 1, inputs, rows, weights.byteOffset, outputs, outputs, inputs, out.byteOffset, SPILL);
    this.addRowsFn(out.byteOffset, weights.byteOffset + 4 * inputs * outputs, rows, outputs);
    return out;
  }

  /** fast-node-math.ts's relu (the same bits) into `out`, both in this kernel's memory; returns `out`. */
  relu(values: Float32Array, out: Float32Array): Float32Array {
    if (!this.holdsAll(values, out) || out.length !== values.length) throw new RangeError('relu needs two arrays of one length in the kernel\'s memory');
    this.reluFn(values.byteOffset, out.byteOffset, values.length);
    return out;
  }

  /** fast-node-math.ts's maskByRelu (the same bits) into `out`, all three in this kernel's memory; returns `out`. */
  maskByRelu(delta: Float32Array, hidden: Float32Array, out: Float32Array): Float32Array {
    if (!this.holdsAll(delta, hidden, out) || hidden.length !== delta.length || out.length !== delta.length) {
      throw new RangeError('maskByRelu needs three arrays of one length in the kernel\'s memory');
    }
    this.maskFn(delta.byteOffset, hidden.byteOffset, out.byteOffset, delta.length);
    return out;
  }

  /**
   * A layer of a step-1 pass's forward, into `out` [rows, outputs]: A [rows, inputs] times W
   * [inputs, outputs] with each sum starting from the layer's bias (`weights` = [W; b], the flat
   * layout) and its products added in order, then ReLU when `relu`: the bits of tfjs-wasm's
   * tf.fused.matMul with bias (and 'relu'), which XNNPACK computes so. All in this kernel's memory.
   */
  fusedForward(a: Float32Array, inputs: number, rows: number, weights: Float32Array, outputs: number, relu: boolean, out: Float32Array): void {
    if (!this.holdsAll(a, weights, out) || a.length < rows * inputs || weights.length < (inputs + 1) * outputs || out.length < rows * outputs) {
      throw new RangeError('fusedForward needs its arrays in the kernel\'s memory');
    }
    if (rows < 1) return;
    this.xtd(a.byteOffset, 1, inputs, rows, weights.byteOffset, outputs, outputs, inputs, out.byteOffset, SPILL, weights.byteOffset + 4 * inputs * outputs);
    if (relu) this.reluFn(out.byteOffset, out.byteOffset, rows * outputs);
  }

  /**
   * An MLP's forward over `rows` rows of `inputs`, layer by layer (fusedForward; ReLU after
   * every layer but the last) into `outputs[l]`, the weights read from `params` (the flat
   * layout): the bits of forwardMlp's tf.fused.matMul. All in this kernel's memory.
   */
  forward(layers: readonly KernelLayer[], params: Float32Array, inputs: Float32Array, rows: number, outputs: readonly Float32Array[]): void {
    const last = layers.length - 1;
    layers.forEach((layer, l) => {
      const weights = params.subarray(layer.offset, layer.offset + (layer.inputs + 1) * layer.outputs);
      this.fusedForward(l === 0 ? inputs : outputs[l - 1]!, layer.inputs, rows, weights, layer.outputs, l < last, outputs[l]!);
    });
  }

  /**
   * The output layer's delta of a step-1 pass, (S − T) · scale_r row by row, into `out`
   * [rows, cols]: the bits of tf.mul(tf.sub(softmax, targets), rowScale). All four in this
   * kernel's memory.
   */
  outputDelta(softmax: Float32Array, targets: Float32Array, scale: Float32Array, rows: number, cols: number, out: Float32Array): void {
    if (!this.holdsAll(softmax, targets, scale, out) || softmax.length < rows * cols || targets.length < rows * cols || scale.length < rows || out.length < rows * cols) {
      throw new RangeError('outputDelta needs its arrays in the kernel\'s memory');
    }
    this.outputDeltaFn(softmax.byteOffset, targets.byteOffset, scale.byteOffset, out.byteOffset, rows, cols);
  }

  /**
   * A hidden layer's delta of a step-1 pass, (D·Wᵀ) ∘ step(H), into `out` [rows, width]: D
   * [rows, k] the next layer's delta, `transposed` = Wᵀ [k, width] (row-major), H [rows, width]
   * the layer's output; the bits of tf.mul(tf.matMul(D, Wᵀ), tf.step(H)). All in this kernel's memory.
   */
  hiddenDelta(delta: Float32Array, k: number, transposed: Float32Array, width: number, hidden: Float32Array, rows: number, out: Float32Array): void {
    if (!this.holdsAll(delta, transposed, hidden, out) || delta.length < rows * k || transposed.length < k * width || hidden.length < rows * width || out.length < rows * width) {
      throw new RangeError('hiddenDelta needs its arrays in the kernel\'s memory');
    }
    if (rows < 1) return;
    this.xtd(delta.byteOffset, 1, k, rows, transposed.byteOffset, width, width, k, out.byteOffset, SPILL);
    this.maskByStepFn(out.byteOffset, hidden.byteOffset, out.byteOffset, rows * width);
  }

  /**
   * Xᵀ·D of row-major X [rows, width] and D [rows, outputs], into `out` when given (width · outputs
   * values; tests compare it with tfjs). Where all three lie in this kernel's memory (a region's
   * arrays), read and written there; else copied in and out.
   */
  product(x: Float32Array, width: number, d: Float32Array, outputs: number, rows: number, out: Float32Array = new Float32Array(width * outputs)): Float32Array {
    if (this.holdsAll(x, d, out)) {
      if (rows > 0) this.xtd(x.byteOffset, width, 1, width, d.byteOffset, outputs, outputs, rows, out.byteOffset, SPILL);
      else out.fill(0, 0, width * outputs);
      return out;
    }
    const { views, addresses } = this.arrays([x.length, d.length, width * outputs]);
    views[0]!.set(x);
    views[1]!.set(d);
    if (rows > 0) this.xtd(addresses[0]!, width, 1, width, addresses[1]!, outputs, outputs, rows, addresses[2]!, SPILL);
    else views[2]!.fill(0);
    out.set(views[2]!);
    return out;
  }
}
