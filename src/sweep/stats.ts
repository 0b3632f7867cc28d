/**
 * Means with 95 % confidence intervals across seeds (issue 5). Each seed is one independent
 * replicate, so the interval is the Student t one: mean ± t₀.₉₇₅,ₙ₋₁ · s / √n with the
 * sample standard deviation s (n − 1 in the denominator). One value has no interval. The
 * quantile comes from @stdlib, the same library `dtrain study` uses, not a hand-written one.
 */
import { createRequire } from 'node:module';

type TQuantile = (p: number, df: number) => number;
let tQuantileOf: TQuantile | undefined;

/** The library loads on first use, not when the CLI starts (it takes ~90 ms to load). */
function tQuantile(p: number, df: number): number {
  tQuantileOf ??= createRequire(import.meta.url)('@stdlib/stats-base-dists-t-quantile') as TQuantile;
  return tQuantileOf(p, df);
}

export interface MeanCi {
  n: number;
  mean: number | null;
  /** half-width of the 95 % interval; null below two values */
  halfWidth: number | null;
}

export const CONFIDENCE = 0.95;

/**
 * Summed and squared as they are, figures past 1e154 overflow to Infinity (written as null in
 * JSON): those are divided by the largest magnitude first and the result multiplied back.
 * Ordinary figures are left as they are, so their results keep every bit.
 */
export function meanCi(values: readonly number[]): MeanCi {
  const n = values.length;
  if (n === 0) return { n, mean: null, halfWidth: null };
  const scale = values.reduce((largest, v) => Math.max(largest, Math.abs(v)), 0);
  const scaled = scale > 1e150 ? values.map((v) => v / scale) : values;
  const unit = scaled === values ? 1 : scale;
  const mean = scaled.reduce((sum, v) => sum + v, 0) / n;
  if (n < 2) return { n, mean: mean * unit, halfWidth: null };
  const variance = scaled.reduce((sum, v) => sum + (v - mean) ** 2, 0) / (n - 1);
  const t = tQuantile(1 - (1 - CONFIDENCE) / 2, n - 1);
  return { n, mean: mean * unit, halfWidth: ((t * Math.sqrt(variance)) / Math.sqrt(n)) * unit };
}
