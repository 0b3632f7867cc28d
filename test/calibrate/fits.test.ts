/** The fits of dtrain calibrate, against values worked out by hand. */
import { levenbergMarquardt } from 'ml-levenberg-marquardt';
import { describe, expect, it } from 'vitest';
import { amdahlStart, amdahlStepMs, determinesAmdahl, fitAmdahl, type AmdahlFit, type StepRow } from '../../src/calibrate/amdahl-fit.js';
import { measuredBatchSizes } from '../../src/calibrate/batch-sizes.js';
import { alternate, meanAbsolutePercentageError, median } from '../../src/calibrate/error-measures.js';
import { fitLine } from '../../src/calibrate/line-fit.js';
import { DtrainError } from '../../src/errors.js';

describe('fitLine (--measure): ordinary least squares of stepMs on batch', () => {
  it('four points, worked by hand: slope 28.55 / 28.75 = 571/575, intercept 4.75 − slope · 3.75 = 2360/2300', () => {
    // x̄ = 3.75, ȳ = 4.75; Σ(x−x̄)² = 28.75; Σ(x−x̄)(y−ȳ) = 28.55
    const fit = fitLine([{ batch: 1, stepMs: 2.0 }, { batch: 2, stepMs: 2.9 }, { batch: 4, stepMs: 5.2 }, { batch: 8, stepMs: 8.9 }]);
    expect(fit.msPerSample).toBeCloseTo(571 / 575, 12);
    expect(fit.stepOverheadMs).toBeCloseTo(2360 / 2300, 12);
  });

  it('a negative intercept is refitted through the origin (Σxy / Σx² = 31.5 / 21 = 1.5)', () => {
    // the free line is y = 2x − 1.5
    const fit = fitLine([{ batch: 1, stepMs: 0.5 }, { batch: 2, stepMs: 2.5 }, { batch: 4, stepMs: 6.5 }]);
    expect(fit).toEqual({ stepOverheadMs: 0, msPerSample: 1.5 });
  });

  it('step times that do not grow with the batch are refused (exit 1), with what to do', () => {
    let thrown: unknown;
    try {
      fitLine([{ batch: 1, stepMs: 3 }, { batch: 4, stepMs: 2 }, { batch: 16, stepMs: 1 }]);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(DtrainError);
    expect((thrown as DtrainError).message).toBe('the step times did not grow with the batch size, so no msPerSample fits them');
    expect((thrown as DtrainError).exitCode).toBe(1);
  });
});

describe('the error measures and the split', () => {
  it('MAPE: |2.2 − 2| / 2 = 10 %, |3 − 4| / 4 = 25 %, mean 17.5 %', () => {
    expect(meanAbsolutePercentageError([2, 4], [2.2, 3])).toBeCloseTo(17.5, 12);
  });

  it('median of odd and even lists, input untouched', () => {
    const values = [5, 1, 3];
    expect(median(values)).toBe(3);
    expect(values).toEqual([5, 1, 3]);
    expect(median([4, 1, 3, 2])).toBe(2.5);
  });

  it('alternate: the 1st, 3rd, … fit, the 2nd, 4th, … are held out', () => {
    expect(alternate([1, 2, 4, 8, 16, 32, 64])).toEqual({ fit: [1, 4, 16, 64], heldOut: [2, 8, 32] });
  });

  it('batch sizes: powers of two and B (at least 6), or every size up to max(B, 6)', () => {
    expect(measuredBatchSizes(64)).toEqual([1, 2, 4, 8, 16, 32, 64]);
    expect(measuredBatchSizes(48)).toEqual([1, 2, 4, 8, 16, 32, 48]);
    expect(measuredBatchSizes(20)).toEqual([1, 2, 4, 8, 16, 20]);
    expect(measuredBatchSizes(8)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(measuredBatchSizes(3)).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

function grid(truth: { msPerSample: number; parallelFraction: number; stepOverheadMs: number }): StepRow[] {
  const rows: StepRow[] = [];
  for (const batch of [1, 4, 16, 64]) for (const threads of [1, 2, 8]) rows.push({ batch, threads, stepMs: amdahlStepMs(truth, batch, threads) });
  return rows;
}

describe('fitAmdahl (--from): bounded Levenberg–Marquardt', () => {
  it('finds exact values from noise-free rows', () => {
    const truth = { msPerSample: 0.4, parallelFraction: 0.9, stepOverheadMs: 2 };
    const fit = fitAmdahl(grid(truth))!;
    expect(fit.msPerSample).toBeCloseTo(0.4, 9);
    expect(fit.parallelFraction).toBeCloseTo(0.9, 9);
    expect(fit.stepOverheadMs).toBeCloseTo(2, 9);
  });

  it('keeps parallelFraction within [0, 1] and the overhead ≥ 0 when the rows would want more', () => {
    // better than linear scaling (p = 1.2) and a negative overhead: outside the time model
    const rows = grid({ msPerSample: 1, parallelFraction: 1.2, stepOverheadMs: -0.5 }).filter((row) => row.stepMs > 0);
    const fit = fitAmdahl(rows)!;
    expect(fit.parallelFraction).toBeLessThanOrEqual(1);
    expect(fit.parallelFraction).toBeGreaterThan(0.95);
    expect(fit.stepOverheadMs).toBeGreaterThanOrEqual(0);
    expect(fit.msPerSample).toBeGreaterThan(0);
  });

  it('refuses rows that cannot tell the three values apart: fewer than 3, one thread count, one batch size', () => {
    const truth = { msPerSample: 0.4, parallelFraction: 0.9, stepOverheadMs: 2 };
    const rows = grid(truth);
    expect(fitAmdahl(rows.slice(0, 2))).toBeNull();
    expect(determinesAmdahl(rows.filter((row) => row.threads === 2))).toBe(false);
    expect(determinesAmdahl(rows.filter((row) => row.batch === 16))).toBe(false);
    expect(determinesAmdahl(rows.filter((row) => row.threads === 1))).toBe(false);
    expect(determinesAmdahl(rows)).toBe(true);
  });
});

/** The fit as dtrain made it through ml-levenberg-marquardt 5.1, which fitAmdahl now runs itself in one pass a step. */
function libraryFit(rows: readonly StepRow[], start: AmdahlFit): AmdahlFit {
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
      initialValues: [start.stepOverheadMs, start.msPerSample, start.parallelFraction],
      jacobianFunction: jacobian,
      minValues: [0, 1e-12, 0],
      maxValues: [Number.MAX_VALUE, Number.MAX_VALUE, 1],
      maxIterations: 200,
      errorTolerance: 1e-14,
    },
  );
  const [o, m, p] = result.parameterValues;
  return { stepOverheadMs: o!, msPerSample: m!, parallelFraction: p! };
}

/** A log of `n` steps around a truth, with ±`noise` relative jitter and 4 significant digits, as a timer would print them. */
function noisyLog(n: number, truth: AmdahlFit, noise: number, seed: number): StepRow[] {
  let state = seed;
  const next = (): number => {
    // a 32-bit LCG: enough to scatter the rows, and the same on every machine
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const batches = [1, 2, 4, 8, 16, 32, 64];
  const threads = [1, 2, 4, 8];
  return Array.from({ length: n }, () => {
    const batch = batches[Math.floor(next() * batches.length)]!;
    const thread = threads[Math.floor(next() * threads.length)]!;
    return { batch, threads: thread, stepMs: Number((amdahlStepMs(truth, batch, thread) * (1 + noise * (next() - 0.5))).toPrecision(4)) };
  });
}

describe('fitAmdahl runs Levenberg–Marquardt in one pass over the rows a step', () => {
  const truth = { msPerSample: 0.4, parallelFraction: 0.9, stepOverheadMs: 2 };

  it('the same bits as ml-levenberg-marquardt from the same start, on clean, noisy, bounded and tiny logs', () => {
    const logs: StepRow[][] = [
      grid(truth),
      grid({ msPerSample: 1, parallelFraction: 1.2, stepOverheadMs: -0.5 }).filter((row) => row.stepMs > 0),
      noisyLog(3, truth, 0.1, 1),
      noisyLog(40, truth, 0.02, 2),
      noisyLog(500, { msPerSample: 1.5, parallelFraction: 0.6, stepOverheadMs: 5 }, 0.3, 3),
      noisyLog(2000, { msPerSample: 0.05, parallelFraction: 0.97, stepOverheadMs: 0.8 }, 1, 4),
    ];
    for (const [i, rows] of logs.entries()) {
      const fit = fitAmdahl(rows);
      expect(fit, `log ${i}`).not.toBeNull();
      expect(fit, `log ${i}`).toEqual(libraryFit(rows, amdahlStart(rows)!));
    }
  });

  it('rows scaled by 2^±700 (step times) and 2^900 (batch sizes) fit to the same values, scaled', () => {
    const rows = noisyLog(40, truth, 0.02, 2);
    const fit = fitAmdahl(rows)!;
    for (const [time, batch] of [[2 ** -700, 1], [2 ** 700, 1], [1, 2 ** 900], [2 ** -700, 2 ** 300]] as const) {
      const far = fitAmdahl(rows.map((row) => ({ batch: row.batch * batch, threads: row.threads, stepMs: row.stepMs * time })))!;
      expect(far.stepOverheadMs / time).toBeCloseTo(fit.stepOverheadMs, 6);
      expect((far.msPerSample * batch) / time).toBeCloseTo(fit.msPerSample, 6);
      expect(far.parallelFraction).toBeCloseTo(fit.parallelFraction, 6);
    }
  });

  it('fits 200,000 rows to the truth they were drawn from', () => {
    const rows = noisyLog(200_000, truth, 0.02, 5);
    const fit = fitAmdahl(rows)!;
    expect(fit.msPerSample).toBeCloseTo(0.4, 3);
    expect(fit.parallelFraction).toBeCloseTo(0.9, 2);
    expect(fit.stepOverheadMs).toBeCloseTo(2, 2);
  }, 60_000);
});
