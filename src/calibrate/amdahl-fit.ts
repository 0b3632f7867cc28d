/**
 * `dtrain calibrate --from` (SPEC §8, time model §6.4): a node's measured steps fitted to
 *
 *   stepMs = stepOverheadMs + batch · msPerSample / speedup(threads),
 *   speedup(t) = 1 / ((1 − p) + p / t)   (Amdahl, p = parallelFraction)
 *
 * by non-linear least squares with bounds 0 ≤ p ≤ 1, msPerSample > 0, stepOverheadMs ≥ 0:
 * Levenberg–Marquardt with the analytic Jacobian, every step clamped into the bounds.
 * Residuals are relative (model / measured − 1): step times span orders of magnitude between
 * batch 1 and a large batch, and a timer's noise grows with the time, so a slow row should not
 * outweigh every fast one.
 *
 * The start point: the model is linear in (stepOverheadMs, msPerSample, msPerSample · p), so
 * weighted linear least squares gives the unbounded optimum directly; clamped into the bounds
 * it is where Levenberg–Marquardt starts. The same linear system says when the rows cannot
 * tell the three values apart (its columns are dependent), and such a fit is refused.
 *
 * Rows far from milliseconds and ordinary batch sizes (1e-200 ms, 1e200 ms, batch 1e300) are
 * scaled first, by powers of two (exact), so that the squares the fit sums neither overflow nor
 * underflow: the residuals are relative, so the fit of the scaled rows is the fit of the rows,
 * its overhead and slope scaled back. Rows within the ordinary range are fitted as they are.
 */

export interface StepRow {
  batch: number;
  threads: number;
  stepMs: number;
}

export interface AmdahlFit {
  msPerSample: number;
  parallelFraction: number;
  stepOverheadMs: number;
}

/** The parameters fitted: stepOverheadMs, msPerSample, parallelFraction. */
export const AMDAHL_PARAMETERS = 3;

/** Smallest msPerSample the fit may reach: the scenario needs it positive. */
const MIN_MS_PER_SAMPLE = 1e-12;
/** A pivot of the column-normalised normal matrix below this means dependent columns. */
const SINGULAR = 1e-10;
/** Step times (ms) and batch sizes within these bounds are fitted unscaled. */
const ORDINARY_LOW = 2 ** -10;
const ORDINARY_HIGH = 2 ** 20;

/** 1, or the power of two nearest the middle (in magnitude) of `values` when they leave the ordinary range. */
function scaleOf(values: readonly number[]): number {
  let low = Infinity;
  let high = -Infinity;
  for (const value of values) {
    low = Math.min(low, value);
    high = Math.max(high, value);
  }
  if (low >= ORDINARY_LOW && high <= ORDINARY_HIGH) return 1;
  const exponent = Math.round((Math.log2(low) + Math.log2(high)) / 2);
  return 2 ** Math.min(Math.max(exponent, -1022), 1023);
}

/** The rows in units near 1: stepMs / time, batch / batch. */
interface Scaled {
  rows: StepRow[];
  time: number;
  batch: number;
}

function scaled(rows: readonly StepRow[]): Scaled {
  const time = scaleOf(rows.map((row) => row.stepMs));
  const batch = scaleOf(rows.map((row) => row.batch));
  if (time === 1 && batch === 1) return { rows: [...rows], time, batch };
  return { rows: rows.map((row) => ({ batch: row.batch / batch, threads: row.threads, stepMs: row.stepMs / time })), time, batch };
}

/** A fit of scaled rows in the rows' own units: the overhead in ms, msPerSample in ms a sample. */
function unscaled(fit: AmdahlFit, scale: Scaled): AmdahlFit {
  if (scale.time === 1 && scale.batch === 1) return fit;
  return { stepOverheadMs: fit.stepOverheadMs * scale.time, msPerSample: (fit.msPerSample * scale.time) / scale.batch, parallelFraction: fit.parallelFraction };
}

export function amdahlStepMs(fit: AmdahlFit, batch: number, threads: number): number {
  const p = fit.parallelFraction;
  return fit.stepOverheadMs + batch * fit.msPerSample * (1 - p + p / threads);
}

/** Columns of the linear form: stepMs = o·1 + m·batch + (m·p)·batch·(1/threads − 1). */
function linearColumns(row: StepRow): [number, number, number] {
  return [1, row.batch, row.batch * (1 / row.threads - 1)];
}

/**
 * Weighted least squares of the linear form (each row divided by its stepMs), or null when the
 * rows leave the three coefficients undetermined. Columns are scaled to unit length first, so
 * the singularity test does not depend on the units.
 */
function linearStart(rows: readonly StepRow[]): [number, number, number] | null {
  const gram = [new Float64Array(3), new Float64Array(3), new Float64Array(3)];
  const rhs = new Float64Array(3);
  for (const row of rows) {
    const x = linearColumns(row).map((v) => v / row.stepMs);
    for (let j = 0; j < 3; j++) {
      rhs[j] += x[j]!;
      for (let k = 0; k < 3; k++) gram[j]![k] += x[j]! * x[k]!;
    }
  }
  const scale = gram.map((r, j) => Math.sqrt(r[j]!));
  // a sum that overflowed (or a row whose ratio did) tells nothing about dependence
  if (scale.some((s) => !(s > 0) || !Number.isFinite(s))) return null;
  const a = gram.map((r, j) => Array.from(r, (v, k) => v / (scale[j]! * scale[k]!)));
  const b = Array.from(rhs, (v, j) => v / scale[j]!);
  // Gaussian elimination with partial pivoting on the 3 × 3 system
  for (let col = 0; col < 3; col++) {
    let pivot = col;
    for (let r = col + 1; r < 3; r++) if (Math.abs(a[r]![col]!) > Math.abs(a[pivot]![col]!)) pivot = r;
    if (Math.abs(a[pivot]![col]!) < SINGULAR) return null;
    [a[col], a[pivot]] = [a[pivot]!, a[col]!];
    [b[col], b[pivot]] = [b[pivot]!, b[col]!];
    for (let r = col + 1; r < 3; r++) {
      const factor = a[r]![col]! / a[col]![col]!;
      for (let k = col; k < 3; k++) a[r]![k] -= factor * a[col]![k]!;
      b[r] -= factor * b[col]!;
    }
  }
  const solution = [0, 0, 0];
  for (let r = 2; r >= 0; r--) {
    let sum = b[r]!;
    for (let k = r + 1; k < 3; k++) sum -= a[r]![k]! * solution[k]!;
    solution[r] = sum / a[r]![r]!;
  }
  return [solution[0]! / scale[0]!, solution[1]! / scale[1]!, solution[2]! / scale[2]!];
}

/**
 * Whether the rows, even scaled, are too far apart for the fit's sums: step times or batch
 * sizes hundreds of orders of magnitude apart, whose ratios' squares overflow a double.
 */
export function beyondDoubleRange(rows: readonly StepRow[]): boolean {
  for (const row of scaled(rows).rows) {
    for (const x of linearColumns(row)) if (!Number.isFinite((x / row.stepMs) ** 2)) return true;
  }
  return false;
}

/** Whether the rows determine all three values (enough rows, and settings that tell them apart). */
export function determinesAmdahl(rows: readonly StepRow[]): boolean {
  return rows.length >= AMDAHL_PARAMETERS && linearStart(scaled(rows).rows) !== null;
}

/**
 * Levenberg–Marquardt exactly as ml-levenberg-marquardt 5.1 runs it with this fit's options
 * (its defaults: damping 0.01, ×11 after a poor step and ÷9 after a good one within
 * [1e-7, 1e7], improvement threshold 0.001; unit weights) — the same operations in the same
 * order, so the same bits. The library builds an m × 1 residual and a 3 × m Jacobian matrix
 * every iteration, which made a large log take minutes and hundreds of megabytes (0.4 ms a row and more);
 * here each iteration is two passes over the rows that accumulate the 3 × 3 normal equations
 * and the sum of squares, in the row order the library's matrix products sum them in.
 */
const MAX_ITERATIONS = 200;
const ERROR_TOLERANCE = 1e-14;
const START_DAMPING = 1e-2;
const DAMPING_STEP_UP = 11;
const DAMPING_STEP_DOWN = 9;
const IMPROVEMENT_THRESHOLD = 1e-3;
const MIN_VALUES = [0, MIN_MS_PER_SAMPLE, 0] as const;
const MAX_VALUES = [Number.MAX_VALUE, Number.MAX_VALUE, 1] as const;

/** The rows as columns of numbers. */
interface Columns {
  batch: Float64Array;
  threads: Float64Array;
  stepMs: Float64Array;
}

/** Σ (1 − model / measured)²: the error the library computes, in its order. */
function sumOfSquares(rows: Columns, [o, m, p]: readonly number[]): number {
  let error = 0;
  for (let i = 0; i < rows.stepMs.length; i++) {
    const fitted = (o! + rows.batch[i]! * m! * (1 - p! + p! / rows.threads[i]!)) / rows.stepMs[i]!;
    error += (1 - fitted) ** 2;
  }
  return error;
}

/**
 * One step's normal equations at `params`: the lower triangle of JᵀJ (J the residuals'
 * Jacobian, the model's partials negated) and Jᵀr, each a sum over the rows in file order.
 */
function normalEquations(rows: Columns, [o, m, p]: readonly number[]): { hessian: number[][]; gradient: number[] } {
  let h00 = 0, h10 = 0, h20 = 0, h11 = 0, h21 = 0, h22 = 0;
  let g0 = 0, g1 = 0, g2 = 0;
  for (let i = 0; i < rows.stepMs.length; i++) {
    const batch = rows.batch[i]!;
    const threads = rows.threads[i]!;
    const stepMs = rows.stepMs[i]!;
    const fitted = (o! + batch * m! * (1 - p! + p! / threads)) / stepMs;
    const share = 1 - p! + p! / threads;
    const j0 = -(1 / stepMs);
    const j1 = -((batch * share) / stepMs);
    const j2 = -((batch * m! * (1 / threads - 1)) / stepMs);
    const residual = 1 - fitted;
    h00 += j0 * j0;
    h10 += j1 * j0;
    h20 += j2 * j0;
    h11 += j1 * j1;
    h21 += j2 * j1;
    h22 += j2 * j2;
    g0 += j0 * residual;
    g1 += j1 * residual;
    g2 += j2 * residual;
  }
  return { hessian: [[h00, h10, h20], [h10, h11, h21], [h20, h21, h22]], gradient: [g0, g1, g2] };
}

/** ml-matrix's Cholesky decomposition and solve, for the 3 × 3 system; null when not positive definite. */
function choleskySolve(a: readonly number[][], b: readonly number[]): number[] | null {
  const n = a.length;
  const l = a.map(() => new Array<number>(n).fill(0));
  let positiveDefinite = true;
  for (let j = 0; j < n; j++) {
    let d = 0;
    for (let k = 0; k < j; k++) {
      let s = 0;
      for (let i = 0; i < k; i++) s += l[k]![i]! * l[j]![i]!;
      s = (a[j]![k]! - s) / l[k]![k]!;
      l[j]![k] = s;
      d = d + s * s;
    }
    d = a[j]![j]! - d;
    positiveDefinite &&= d > 0;
    l[j]![j] = Math.sqrt(Math.max(d, 0));
  }
  if (!positiveDefinite) return null;
  const x = [...b];
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < k; i++) x[k] = x[k]! - x[i]! * l[k]![i]!;
    x[k] = x[k]! / l[k]![k]!;
  }
  for (let k = n - 1; k >= 0; k--) {
    for (let i = k + 1; i < n; i++) x[k] = x[k]! - x[i]! * l[i]![k]!;
    x[k] = x[k]! / l[k]![k]!;
  }
  return x;
}

/**
 * ml-matrix's inverse (LU with partial pivoting, solved against the identity) times `b`: the
 * library's way when rounding leaves the damped matrix not positive definite. Null when the
 * LU is singular (where the library throws).
 */
function inverseTimes(a: readonly number[][], b: readonly number[]): number[] | null {
  const n = a.length;
  const lu = a.map((row) => [...row]);
  const pivots = Array.from({ length: n }, (_, i) => i);
  const column = new Array<number>(n).fill(0);
  for (let j = 0; j < n; j++) {
    for (let i = 0; i < n; i++) column[i] = lu[i]![j]!;
    for (let i = 0; i < n; i++) {
      const kmax = Math.min(i, j);
      let s = 0;
      for (let k = 0; k < kmax; k++) s += lu[i]![k]! * column[k]!;
      column[i] = column[i]! - s;
      lu[i]![j] = column[i]!;
    }
    let p = j;
    for (let i = j + 1; i < n; i++) if (Math.abs(column[i]!) > Math.abs(column[p]!)) p = i;
    if (p !== j) {
      [lu[p], lu[j]] = [lu[j]!, lu[p]!];
      [pivots[p], pivots[j]] = [pivots[j]!, pivots[p]!];
    }
    if (lu[j]![j] !== 0) for (let i = j + 1; i < n; i++) lu[i]![j] = lu[i]![j]! / lu[j]![j]!;
  }
  if (lu.some((row, j) => row[j] === 0)) return null;
  const x = pivots.map((row) => Array.from({ length: n }, (_, col): number => (col === row ? 1 : 0)));
  for (let k = 0; k < n; k++) {
    for (let i = k + 1; i < n; i++) for (let j = 0; j < n; j++) x[i]![j] = x[i]![j]! - x[k]![j]! * lu[i]![k]!;
  }
  for (let k = n - 1; k >= 0; k--) {
    for (let j = 0; j < n; j++) x[k]![j] = x[k]![j]! / lu[k]![k]!;
    for (let i = 0; i < k; i++) for (let j = 0; j < n; j++) x[i]![j] = x[i]![j]! - x[k]![j]! * lu[i]![k]!;
  }
  return x.map((row) => {
    let s = 0;
    for (let k = 0; k < n; k++) s += row[k]! * b[k]!;
    return s;
  });
}

function levenbergMarquardt(rows: Columns, initialValues: readonly number[]): number[] {
  const parameters = [...initialValues];
  let damping = START_DAMPING;
  let error = sumOfSquares(rows, parameters);
  let optimalError = error;
  let optimalParameters = parameters.slice();
  let converged = error <= ERROR_TOLERANCE;
  for (let iteration = 0; iteration < MAX_ITERATIONS && !converged; iteration++) {
    const previousError = error;
    const { hessian, gradient } = normalEquations(rows, parameters);
    for (let i = 0; i < 3; i++) hessian[i]![i] = hessian[i]![i]! + damping;
    const perturbations = choleskySolve(hessian, gradient) ?? inverseTimes(hessian, gradient);
    if (perturbations === null) break;
    for (let k = 0; k < 3; k++) {
      parameters[k] = Math.min(Math.max(MIN_VALUES[k]!, parameters[k]! - perturbations[k]!), MAX_VALUES[k]!);
    }
    error = sumOfSquares(rows, parameters);
    if (Number.isNaN(error)) break;
    if (error < optimalError - ERROR_TOLERANCE) {
      optimalError = error;
      optimalParameters = parameters.slice();
    }
    let predicted = 0;
    for (let k = 0; k < 3; k++) predicted += perturbations[k]! * (perturbations[k]! * damping + gradient[k]!);
    const improvementMetric = (previousError - error) / predicted;
    damping = improvementMetric > IMPROVEMENT_THRESHOLD ? Math.max(damping / DAMPING_STEP_DOWN, 1e-7) : Math.min(damping * DAMPING_STEP_UP, 1e7);
    converged = error <= ERROR_TOLERANCE;
  }
  return optimalParameters;
}

/** Where the fit starts: the linear solution clamped into the bounds, or null when the rows do not determine it. */
export function amdahlStart(rows: readonly StepRow[]): AmdahlFit | null {
  const scale = scaled(rows);
  const start = scaledStart(scale.rows);
  return start === null ? null : unscaled(start, scale);
}

function scaledStart(rows: readonly StepRow[]): AmdahlFit | null {
  if (rows.length < AMDAHL_PARAMETERS) return null;
  const start = linearStart(rows);
  if (start === null) return null;
  const [overhead, slope, parallelPart] = start;
  const msPerSample = Math.max(slope, MIN_MS_PER_SAMPLE);
  return { stepOverheadMs: Math.max(overhead, 0), msPerSample, parallelFraction: Math.min(Math.max(parallelPart / msPerSample, 0), 1) };
}

/** The bounded least-squares fit, or null when the rows do not determine it (see determinesAmdahl). */
export function fitAmdahl(input: readonly StepRow[]): AmdahlFit | null {
  const scale = scaled(input);
  const rows = scale.rows;
  const start = scaledStart(rows);
  if (start === null) return null;
  const initialValues = [start.stepOverheadMs, start.msPerSample, start.parallelFraction];
  const columns: Columns = {
    batch: Float64Array.from(rows, (row) => row.batch),
    threads: Float64Array.from(rows, (row) => row.threads),
    stepMs: Float64Array.from(rows, (row) => row.stepMs),
  };
  const [o, m, p] = levenbergMarquardt(columns, initialValues);
  return unscaled({ stepOverheadMs: o!, msPerSample: m!, parallelFraction: p! }, scale);
}
