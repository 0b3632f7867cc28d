/**
 * `dtrain calibrate --measure` (SPEC §8): step time on this host as a straight line in the
 * batch size, `stepMs = stepOverheadMs + msPerSample · batch`, by ordinary least squares.
 * The scenario refuses a negative overhead, so an intercept below 0 is refitted through the
 * origin (the least-squares line under the bound); a slope that is not positive means the
 * timings did not grow with the batch, which no scenario can express.
 */
import { DtrainError } from '../errors.js';

export interface TimedBatch {
  batch: number;
  stepMs: number;
}

export interface LineFit {
  stepOverheadMs: number;
  msPerSample: number;
}

export function fitLine(points: readonly TimedBatch[]): LineFit {
  const n = points.length;
  let sx = 0;
  let sy = 0;
  for (const { batch, stepMs } of points) {
    sx += batch;
    sy += stepMs;
  }
  const mx = sx / n;
  const my = sy / n;
  let sxx = 0;
  let sxy = 0;
  let sxxOrigin = 0;
  let sxyOrigin = 0;
  for (const { batch, stepMs } of points) {
    sxx += (batch - mx) ** 2;
    sxy += (batch - mx) * (stepMs - my);
    sxxOrigin += batch * batch;
    sxyOrigin += batch * stepMs;
  }
  if (n < 2 || sxx === 0) throw new Error('fitLine needs at least two different batch sizes');
  let msPerSample = sxy / sxx;
  let stepOverheadMs = my - msPerSample * mx;
  if (stepOverheadMs < 0) {
    stepOverheadMs = 0;
    msPerSample = sxyOrigin / sxxOrigin;
  }
  if (!(msPerSample > 0)) {
    throw new DtrainError('calibrate.noTrend', 'the step times did not grow with the batch size, so no msPerSample fits them', {
      exitCode: 1,
      hint: 'host timings are noisy: run it again when the machine is idle, or with more --repetitions',
    });
  }
  return { stepOverheadMs, msPerSample };
}

export function lineStepMs(fit: LineFit, batch: number): number {
  return fit.stepOverheadMs + fit.msPerSample * batch;
}
