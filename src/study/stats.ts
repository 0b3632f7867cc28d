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
import { createRequire } from 'node:module';
import { CONFIDENCE, meanCi, type MeanCi } from '../sweep/stats.js';

export { CONFIDENCE, meanCi, type MeanCi };

interface TestResult { pValue: number }
type PairedTestFn = (x: number[], options: { alpha: number }) => TestResult;
let tests: { ttest: PairedTestFn; wilcoxon: PairedTestFn } | undefined;

/** The libraries load on first use, not when the CLI starts. */
function library(): { ttest: PairedTestFn; wilcoxon: PairedTestFn } {
  const require = createRequire(import.meta.url);
  tests ??= { ttest: require('@stdlib/stats-ttest') as PairedTestFn, wilcoxon: require('@stdlib/stats-wilcoxon') as PairedTestFn };
  return tests;
}

export const ALPHA = 1 - CONFIDENCE;

export interface PairedTest extends MeanCi {
  /** two-sided paired t-test p-value; null below two pairs */
  tP: number | null;
  /** two-sided Wilcoxon signed-rank p-value; null below two pairs */
  wilcoxonP: number | null;
}

/** A p-value as a probability: at most 1, and 1 (no evidence) when the library gives none. */
function probability(p: number): number {
  return Number.isFinite(p) ? Math.min(1, p) : 1;
}

/** The paired comparison of `differences` (A − B per seed) against 0. */
export function pairedTest(differences: readonly number[]): PairedTest {
  const ci = meanCi(differences);
  if (differences.length < 2) return { ...ci, tP: null, wilcoxonP: null };
  const allZero = differences.every((d) => d === 0);
  if (allZero) return { ...ci, tP: 1, wilcoxonP: 1 };
  // both tests are the same for differences all scaled alike; scaled, huge ones do not
  // overflow the t-test's sum of squares (which would make its p-value 1 whatever the data)
  const scale = differences.reduce((largest, d) => Math.max(largest, Math.abs(d)), 0);
  const sample = scale > 1e150 ? differences.map((d) => d / scale) : [...differences];
  const t = library().ttest([...sample], { alpha: ALPHA }).pValue;
  // zeros dropped ('wilcox'); exact distribution for at most 50 non-zero differences without
  // ties among their sizes, else the normal approximation (as @stdlib chooses)
  const w = library().wilcoxon([...sample], { alpha: ALPHA }).pValue;
  // @stdlib doubles the one-sided exact p without a cap: [1, -2, 3, -2.5] gives 1.125 (scipy: 1)
  return { ...ci, tP: probability(t), wilcoxonP: probability(w) };
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
