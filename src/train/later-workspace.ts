/**
 * A node's later local steps (fast-node-step.ts) in one WebAssembly memory: the later steps'
 * gradient kernel's. There lie θ_t, the node's U_i so far, its parameters θ_t − lr·U_i, a step's
 * gradient, and every intermediate array of a step (an ArrayArena over the rest), so that the
 * kernel's products read and write them where they are instead of copying each operand in and
 * each product out, and the two loops over the parameter vector between steps (stepAway,
 * addInto) run as SIMD in the kernel instead of in JavaScript (1.4 ns a value there).
 * The same operations in the same order as without it, so the same bits (the engine's tests
 * compare whole runs with and without it).
 *
 * The memory grows only in `begin`, before a node's later steps start: growing it takes every
 * view of it away, so nothing may hold one then but this workspace, which makes its own again.
 * Without the kernel (or without reused arrays) the same steps use PlainLaterVectors.
 */
import { ArrayArena } from './array-arena.js';
import type { ModelLayout } from './fast-layout.js';
import { addInto, stepAway, sumOfSquares } from './fast-vector-math.js';
import type { GradientKernel } from './kernels/gradient-kernel.js';

/**
 * Room for the values a later step of `rows` rows takes from its arena (fast-node-step.ts): per
 * layer Z, ReLU(Z), Dᵀ, W_lᵀ, D·W_lᵀ and its mask (3·rows·outputs + inputs·outputs +
 * 2·rows·inputs), the softmax's delta, and 2·rows·(inputs + 1) a layer more, where the step's
 * rows copied in fit (the room a step's copies with a ones column took). A bound, not the
 * count: a step that took more would throw.
 */
export function laterStepValues(layout: ModelLayout, rows: number): number {
  let values = rows * layout.classCount;
  for (const { inputs, outputs } of layout.layers) values += 2 * rows * (inputs + 1) + 3 * rows * outputs + inputs * outputs + 2 * rows * inputs;
  return values;
}

/** `length` rounded up to whole 128-bit lanes, so that every vector starts 16-byte aligned. */
function lanes(length: number): number {
  return Math.ceil(length / 4) * 4;
}

/**
 * Where a node's later steps keep θ_t, its U_i, its parameters and a step's gradient: the
 * engine calls setTheta once a round (or unit), then per node begin, stepAway / its step's
 * gradient into `gradient` / addGradient for each later step, and end.
 */
export interface LaterVectors {
  /** the node's parameters θ_t − lr·U_i for its next step */
  readonly local: Float32Array;
  /** where the step's gradient is written */
  readonly gradient: Float32Array;
  setTheta(theta: Float32Array): void;
  /** a node's later steps begin, from its U_i so far (`sum`), with steps of at most `rows` rows */
  begin(sum: Float32Array, rows: number): void;
  /** local = θ_t − lr·U_i */
  stepAway(learningRate: number): void;
  /** U_i += the step's gradient */
  addGradient(): void;
  /** the node's later steps are done: its U_i into `sum`; returns ‖U_i‖² (sumOfSquares's bits) */
  end(sum: Float32Array): number;
}

/** The vectors as JavaScript arrays, U_i the node's own row (without the kernel, or without reused arrays). */
export class PlainLaterVectors implements LaterVectors {
  readonly local: Float32Array;
  readonly gradient: Float32Array;
  private theta: Float32Array = new Float32Array(0);
  private sum: Float32Array = new Float32Array(0);

  constructor(paramCount: number) {
    this.local = new Float32Array(paramCount);
    this.gradient = new Float32Array(paramCount);
  }

  setTheta(theta: Float32Array): void {
    this.theta = theta;
  }

  begin(sum: Float32Array): void {
    this.sum = sum;
  }

  stepAway(learningRate: number): void {
    stepAway(this.theta, this.sum, learningRate, this.local);
  }

  addGradient(): void {
    addInto(this.sum, this.gradient);
  }

  end(): number {
    const squares = sumOfSquares(this.sum);
    this.sum = new Float32Array(0);
    return squares;
  }
}

/** The vectors, and a step's arrays (`arena`), in the kernel's memory. */
export class LaterWorkspace implements LaterVectors {
  /** θ_t of the round */
  private theta!: Float32Array;
  /** the node's U_i: its steps' gradients summed so far */
  private sum!: Float32Array;
  local!: Float32Array;
  gradient!: Float32Array;
  /** where a step's intermediate arrays come from */
  readonly arena: ArrayArena;
  /** the most rows a step has made room for */
  private rows = 0;
  private readonly stride: number;

  constructor(
    private readonly kernel: GradientKernel,
    private readonly layout: ModelLayout,
  ) {
    this.stride = lanes(layout.paramCount);
    this.arena = new ArrayArena(this.place(0));
  }

  setTheta(theta: Float32Array): void {
    this.theta.set(theta);
  }

  /** Copies U_i in, having made room for steps of `rows` rows first (growing the memory, which only happens here, between nodes). */
  begin(sum: Float32Array, rows: number): void {
    if (rows > this.rows) {
      this.arena.place(this.place(rows));
      this.rows = rows;
    }
    this.sum.set(sum);
  }

  /** The kernel's region for the four vectors and a step of `rows` rows; every view made anew. */
  private place(rows: number): Float32Array {
    const count = this.layout.paramCount;
    const stride = this.stride;
    const region = this.kernel.region(4 * stride + laterStepValues(this.layout, rows));
    [this.theta, this.sum, this.local, this.gradient] = [0, 1, 2, 3].map((k) => region.subarray(k * stride, k * stride + count));
    return region.subarray(4 * stride);
  }

  stepAway(learningRate: number): void {
    this.kernel.stepAway(this.theta, this.sum, learningRate, this.local);
  }

  addGradient(): void {
    this.kernel.addInto(this.sum, this.gradient);
  }

  end(sum: Float32Array): number {
    sum.set(this.sum);
    return this.kernel.sumOfSquares(this.sum);
  }
}
