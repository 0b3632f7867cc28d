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
 * The memory grows only in `fit`, before a node's later steps start: growing it takes every
 * view of it away, so nothing may hold one then but this workspace, which makes its own again.
 */
import { ArrayArena } from './array-arena.js';
import type { ModelLayout } from './fast-layout.js';
import type { GradientKernel } from './kernels/gradient-kernel.js';

/**
 * The most values a later step of `rows` rows takes from its arena (fast-node-step.ts), over
 * every way its layers may be computed: forward Ãᵀ, Z and ReLU(Z); backward Ã, Dᵀ, W_lᵀ, D·W_lᵀ
 * and its mask; the softmax's delta. A bound, not the count: a step that took more would throw.
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

export class LaterWorkspace {
  /** θ_t of the round */
  theta!: Float32Array;
  /** the node's U_i: its steps' gradients summed so far */
  sum!: Float32Array;
  /** the node's parameters θ_t − lr·U_i for its next step */
  local!: Float32Array;
  /** the step's gradient */
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

  /** Makes room for steps of `rows` rows (growing the memory, so between nodes only). */
  fit(rows: number): void {
    if (rows <= this.rows) return;
    this.arena.place(this.place(rows));
    this.rows = rows;
  }

  /** The kernel's region for the four vectors and a step of `rows` rows; every view made anew. */
  private place(rows: number): Float32Array {
    const count = this.layout.paramCount;
    const stride = this.stride;
    const region = this.kernel.region(4 * stride + laterStepValues(this.layout, rows));
    [this.theta, this.sum, this.local, this.gradient] = [0, 1, 2, 3].map((k) => region.subarray(k * stride, k * stride + count));
    return region.subarray(4 * stride);
  }

  /** local = θ_t − lr·U_i */
  stepAway(learningRate: number): void {
    this.kernel.stepAway(this.theta, this.sum, learningRate, this.local);
  }

  /** U_i += the step's gradient */
  addGradient(): void {
    this.kernel.addInto(this.sum, this.gradient);
  }
}
