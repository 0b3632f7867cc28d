/**
 * Loops over whole parameter vectors (a few thousand values per node), written for speed in
 * plain JS: they run once per node per round, next to the tfjs products.
 */

const FLOAT32_MAX = 3.4028234663852886e38;

/**
 * Σ v² in float64 (NaN or ∞ as soon as a value is not finite). Four partial sums: one
 * accumulator would make every addition wait for the previous one.
 */
export function sumOfSquares(values: Float32Array): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let p = 0;
  for (; p + 4 <= values.length; p += 4) {
    const v0 = values[p]!;
    const v1 = values[p + 1]!;
    const v2 = values[p + 2]!;
    const v3 = values[p + 3]!;
    s0 += v0 * v0;
    s1 += v1 * v1;
    s2 += v2 * v2;
    s3 += v3 * v3;
  }
  for (; p < values.length; p++) s0 += values[p]! * values[p]!;
  return s0 + s1 + (s2 + s3);
}

/**
 * Σ_i w_i · rows[i] (rows task-major, `count` values each), in float64. Four rows per pass
 * over the result: a quarter of the loads and stores of `out`.
 */
export function weightedSum(rows: Float32Array, weights: Float64Array, count: number): Float64Array {
  const out = new Float64Array(count);
  let i = 0;
  for (; i + 4 <= weights.length; i += 4) {
    const w0 = weights[i]!;
    const w1 = weights[i + 1]!;
    const w2 = weights[i + 2]!;
    const w3 = weights[i + 3]!;
    const r0 = i * count;
    const r1 = r0 + count;
    const r2 = r1 + count;
    const r3 = r2 + count;
    for (let p = 0; p < count; p++) out[p] = out[p]! + (w0 * rows[r0 + p]! + w1 * rows[r1 + p]! + w2 * rows[r2 + p]! + w3 * rows[r3 + p]!);
  }
  for (; i < weights.length; i++) {
    const w = weights[i]!;
    const r = i * count;
    for (let p = 0; p < count; p++) out[p] = out[p]! + w * rows[r + p]!;
  }
  return out;
}

export function addInto(target: Float32Array, values: Float32Array): void {
  for (let p = 0; p < values.length; p++) target[p] = target[p]! + values[p]!;
}

/** out = θ − lr·U (a node's parameters after the steps summed in U). */
export function stepAway(theta: Float32Array, sum: Float32Array, learningRate: number, out: Float32Array): void {
  for (let p = 0; p < theta.length; p++) out[p] = theta[p]! - learningRate * sum[p]!;
}

/** max |v| */
export function largestMagnitude(values: Float32Array): number {
  let top = 0;
  for (let p = 0; p < values.length; p++) top = Math.max(top, Math.abs(values[p]!));
  return top;
}

/**
 * Whether θ − lr·U is finite in float32 everywhere, given Σ U² (`squares`) and max |θ|
 * (`thetaMagnitude`): certainly when lr·‖U‖ + max |θ| ≤ the float32 maximum (as
 * |U_p| ≤ ‖U‖), otherwise checked value by value.
 */
export function staysFinite(theta: Float32Array, sum: Float32Array, learningRate: number, squares: number, thetaMagnitude: number): boolean {
  if (!Number.isFinite(squares)) return false;
  if (learningRate * Math.sqrt(squares) + thetaMagnitude <= FLOAT32_MAX) return true;
  for (let p = 0; p < sum.length; p++) if (!Number.isFinite(Math.fround(theta[p]! - learningRate * sum[p]!))) return false;
  return true;
}

/**
 * θ_{t+1} = Σ w_i θ_i with θ_i = θ_t − lr·U_i, i.e. (Σ w_i)·θ_t − lr · Σ w_i U_i, accumulated in
 * float64 and rounded once to float32 (SPEC §2 S4). `sums` holds the U_i task-major.
 */
export function aggregateParams(theta: Float32Array, sums: Float32Array, weights: Float64Array, learningRate: number): Float32Array {
  const count = theta.length;
  const weighted = weightedSum(sums, weights, count);
  const weightSum = weights.reduce((sum, w) => sum + w, 0);
  const next = new Float32Array(count);
  for (let p = 0; p < count; p++) next[p] = weightSum * theta[p]! - learningRate * weighted[p]!;
  return next;
}
