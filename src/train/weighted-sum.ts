/**
 * Σ_i w_i U_i over a parameter slice, fed rows in task order a few at a time, with exactly the
 * additions of fast-vector-math.ts's weightedSum over all rows at once (groups of four
 * consecutive tasks counted from task 0, the last one to three tasks one by one). Whatever
 * the rows are fed in — chunk by chunk, by a second thread's share, or all at once — every
 * parameter sees the same float64 operations in the same order, so θ_{t+1} has the same bytes
 * (issue 14: bounded memory and two threads without changing a reported number).
 * Given a kernel (kernels/sum-kernel.ts), the sum lies in its memory and the groups of rows
 * held there are added by it: the same operations, faster.
 */
import type { SumKernel } from './kernels/sum-kernel.js';

export class WeightedSum {
  /** Σ w_i U_i[start + p], p = 0 … end − start − 1 */
  readonly out: Float64Array;
  /** up to three rows (this slice only) waiting for a fourth to form a group */
  private readonly carry: Float32Array;
  private readonly carryWeights = new Float64Array(4);
  private carried = 0;

  constructor(
    readonly start: number,
    readonly end: number,
    /** where the sum lies and which adds the groups of rows in its memory; one WeightedSum per slice at a time */
    private readonly kernel: SumKernel | null = null,
  ) {
    if (!(Number.isInteger(start) && Number.isInteger(end) && start >= 0 && end >= start)) throw new Error(`bad parameter slice ${start} … ${end}`);
    this.out = kernel === null ? new Float64Array(end - start) : kernel.sums(start, end);
    this.carry = new Float32Array(4 * (end - start));
  }

  /**
   * Adds `count` rows, task-major in `rows` with `stride` values each (row k starts at
   * k · stride; this slice is values start … end − 1 of it), weighted by weights[k].
   */
  add(rows: Float32Array, stride: number, weights: Float64Array, count = weights.length): void {
    let k = 0;
    while (this.carried > 0 && k < count) {
      this.hold(rows, k * stride, weights[k]!);
      k++;
      if (this.carried === 4) {
        this.group(this.carry, 0, this.end - this.start, this.carryWeights, 0);
        this.carried = 0;
      }
    }
    for (; k + 4 <= count; k += 4) this.group(rows, k * stride + this.start, stride, weights, k);
    for (; k < count; k++) this.hold(rows, k * stride, weights[k]!);
  }

  /** Adds one row (a task's U_i, whole: this slice is values start … end − 1 of it). */
  addRow(row: Float32Array, weight: number): void {
    this.hold(row, 0, weight);
    if (this.carried === 4) {
      this.group(this.carry, 0, this.end - this.start, this.carryWeights, 0);
      this.carried = 0;
    }
  }

  /** Adds the waiting rows one by one (weightedSum's tail) and returns the sum. */
  finish(): Float64Array {
    const width = this.end - this.start;
    const out = this.out;
    for (let j = 0; j < this.carried; j++) {
      const w = this.carryWeights[j]!;
      const r = j * width;
      for (let p = 0; p < width; p++) out[p] = out[p]! + w * this.carry[r + p]!;
    }
    this.carried = 0;
    return out;
  }

  private hold(rows: Float32Array, rowStart: number, weight: number): void {
    const width = this.end - this.start;
    this.carry.set(rows.subarray(rowStart + this.start, rowStart + this.end), this.carried * width);
    this.carryWeights[this.carried] = weight;
    this.carried++;
  }

  /** out += w0·r0 + w1·r1 + w2·r2 + w3·r3, the rows at r0 = first, r0 + stride, … (weightedSum's expression) */
  private group(rows: Float32Array, first: number, stride: number, weights: Float64Array, w: number): void {
    const out = this.out;
    const [w0, w1, w2, w3] = [weights[w]!, weights[w + 1]!, weights[w + 2]!, weights[w + 3]!];
    if (this.kernel !== null && this.kernel.holds(rows)) {
      this.kernel.group(rows, first, stride, out, w0, w1, w2, w3);
      return;
    }
    const r0 = first;
    const r1 = r0 + stride;
    const r2 = r1 + stride;
    const r3 = r2 + stride;
    const width = out.length;
    for (let p = 0; p < width; p++) out[p] = out[p]! + (w0 * rows[r0 + p]! + w1 * rows[r1 + p]! + w2 * rows[r2 + p]! + w3 * rows[r3 + p]!);
  }
}

/**
 * θ_{t+1}[p] = (Σ w_i)·θ_t[p] − lr · Σ_i w_i U_i[p] for p in the sum's slice, written into `next`
 * (aggregateParams's last step; Σ w_i is summed in task order, as there).
 */
export function finishSlice(theta: Float32Array, sum: WeightedSum, weights: Float64Array, learningRate: number, next: Float32Array): void {
  const weighted = sum.finish();
  const weightSum = weights.reduce((total, w) => total + w, 0);
  for (let p = sum.start; p < sum.end; p++) next[p] = weightSum * theta[p]! - learningRate * weighted[p - sum.start]!;
}
