/**
 * The study's statistics, from the @stdlib packages (a maintained library rather than
 * hand-written distributions): a mean with its Student t 95 % interval, a paired comparison
 * (mean difference, its interval, the paired t-test's and the Wilcoxon signed-rank test's
 * two-sided p-values) and Holm's step-down adjustment over a family of p-values.
 *
 * Degenerate samples get a defined answer instead of NaN or a throw: every difference zero
 * means no evidence of a difference (p = 1); identical non-zero differences have no spread,
 * so the t-test rejects (p = 0, @stdlib's own answer) and the interval has width 0.
 */
import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import ttest from '@stdlib/stats-ttest';
import wilcoxon from '@stdlib/stats-wilcoxon';

export const CONFIDENCE = 0.95;
export const ALPHA = 1 - CONFIDENCE;

export interface MeanCi {
  n: number;
  mean: number | null;
  /** half-width of the 95 % interval; null below two values */
  halfWidth: number | null;
}

function mean(values: readonly number[]): number {
  let sum = 0;
  for (const v of values) sum += v;
  return sum / values.length;
}

/** mean ± t₀.₉₇₅,ₙ₋₁ · s / √n, s the sample standard deviation (n − 1). */
export function meanCi(values: readonly number[]): MeanCi {
  const n = values.length;
  if (n === 0) return { n, mean: null, halfWidth: null };
  const m = mean(values);
  if (n < 2) return { n, mean: m, halfWidth: null };
  let squares = 0;
  for (const v of values) squares += (v - m) ** 2;
  const t = tQuantile(1 - ALPHA / 2, n - 1);
  return { n, mean: m, halfWidth: (t * Math.sqrt(squares / (n - 1))) / Math.sqrt(n) };
}

export interface PairedTest extends MeanCi {
  /** two-sided paired t-test p-value; null below two pairs */
  tP: number | null;
  /** two-sided Wilcoxon signed-rank p-value; null below two pairs */
  wilcoxonP: number | null;
}

/** The paired comparison of `differences` (A − B per seed) against 0. */
export function pairedTest(differences: readonly number[]): PairedTest {
  const ci = meanCi(differences);
  if (differences.length < 2) return { ...ci, tP: null, wilcoxonP: null };
  const allZero = differences.every((d) => d === 0);
  if (allZero) return { ...ci, tP: 1, wilcoxonP: 1 };
  const t = ttest([...differences], { alpha: ALPHA }).pValue;
  // exact distribution up to 50 pairs (as @stdlib chooses), ties and zeros the 'wilcox' way
  const w = wilcoxon([...differences], { alpha: ALPHA }).pValue;
  return { ...ci, tP: Number.isFinite(t) ? t : 1, wilcoxonP: Number.isFinite(w) ? w : 1 };
}

/**
 * Holm's step-down adjustment: sort ascending, p₍ᵢ₎ · (m − i + 1) (i 1-based), made
 * monotone by a running maximum and capped at 1. Null entries (no test) are not part of the
 * family and stay null. Returns the adjusted values in the input's order.
 */
export function holm(pValues: ReadonlyArray<number | null>): Array<number | null> {
  const tested: Array<{ index: number; p: number }> = [];
  pValues.forEach((p, index) => { if (p !== null) tested.push({ index, p }); });
  tested.sort((a, b) => a.p - b.p || a.index - b.index);
  const adjusted: Array<number | null> = pValues.map(() => null);
  const m = tested.length;
  let running = 0;
  tested.forEach(({ index, p }, i) => {
    running = Math.max(running, Math.min(1, (m - i) * p));
    adjusted[index] = running;
  });
  return adjusted;
}
