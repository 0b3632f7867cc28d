/**
 * `dtrain calibrate --from` (SPEC §8, time model §6.4): a node's measured steps fitted to
 *
 *   stepMs = stepOverheadMs + batch · msPerSample / speedup(threads),
 *   speedup(t) = 1 / ((1 − p) + p / t)   (Amdahl, p = parallelFraction)
 *
 * by non-linear least squares with bounds 0 ≤ p ≤ 1, msPerSample > 0, stepOverheadMs ≥ 0:
 * Levenberg–Marquardt from ml-levenberg-marquardt (analytic Jacobian; the library clamps every
 * step into the bounds). Residuals are relative (model / measured − 1): step times span
 * orders of magnitude between batch 1 and a large batch, and a timer's noise grows with the
 * time, so a slow row should not outweigh every fast one.
 *
 * The start point: the model is linear in (stepOverheadMs, msPerSample, msPerSample · p), so
 * weighted linear least squares gives the unbounded optimum directly; clamped into the bounds
 * it is where Levenberg–Marquardt starts. The same linear system says when the rows cannot
 * tell the three values apart (its columns are dependent), and such a fit is refused.
 */
import { levenbergMarquardt } from 'ml-levenberg-marquardt';

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
  if (scale.some((s) => !(s > 0))) return null;
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

/** Whether the rows determine all three values (enough rows, and settings that tell them apart). */
export function determinesAmdahl(rows: readonly StepRow[]): boolean {
  return rows.length >= AMDAHL_PARAMETERS && linearStart(rows) !== null;
}

/** The bounded least-squares fit, or null when the rows do not determine it (see determinesAmdahl). */
export function fitAmdahl(rows: readonly StepRow[]): AmdahlFit | null {
  if (rows.length < AMDAHL_PARAMETERS) return null;
  const start = linearStart(rows);
  if (start === null) return null;
  const [overhead, slope, parallelPart] = start;
  const msPerSample = Math.max(slope, MIN_MS_PER_SAMPLE);
  const initialValues = [Math.max(overhead, 0), msPerSample, Math.min(Math.max(parallelPart / msPerSample, 0), 1)];
  const model = ([o, m, p]: number[]) => (i: number): number => {
    const row = rows[i]!;
    return (o! + row.batch * m! * (1 - p! + p! / row.threads)) / row.stepMs;
  };
  const jacobian = ([, m, p]: number[]) => (i: number): number[] => {
    const row = rows[i]!;
    const share = 1 - p! + p! / row.threads;
    return [1 / row.stepMs, (row.batch * share) / row.stepMs, (row.batch * m! * (1 / row.threads - 1)) / row.stepMs];
  };
  const result = levenbergMarquardt(
    { x: Float64Array.from(rows, (_, i) => i), y: new Float64Array(rows.length).fill(1) },
    model,
    {
      initialValues,
      jacobianFunction: jacobian,
      minValues: [0, MIN_MS_PER_SAMPLE, 0],
      maxValues: [Number.MAX_VALUE, Number.MAX_VALUE, 1],
      maxIterations: 200,
      errorTolerance: 1e-14,
    },
  );
  const [o, m, p] = result.parameterValues;
  return { stepOverheadMs: o!, msPerSample: m!, parallelFraction: p! };
}
