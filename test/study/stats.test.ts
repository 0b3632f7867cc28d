/**
 * The study's statistics on hand-computed examples: the t interval and the paired t-test's
 * p-value for 3 values (df = 2, where the t distribution has closed forms), Holm's adjustment,
 * the verdict wording, and the equal-time horizon on hand-made runs.
 */
import { describe, expect, it } from 'vitest';
import { analyzeStudy } from '../../src/study/analyze.js';
import { accuracyAt, horizons, runMetrics } from '../../src/study/metrics.js';
import type { StudyRecord } from '../../src/study/record.js';
import { holm, meanCi, pairedTest } from '../../src/study/stats.js';

/** df = 2: quantile (2p − 1) / √(2p(1 − p)); two-sided p of t is 1 − |t| / √(t² + 2). */
const T975_DF2 = 0.95 / Math.sqrt(2 * 0.975 * 0.025);
const pDf2 = (t: number) => 1 - Math.abs(t) / Math.sqrt(t * t + 2);

function record(strategy: string, seed: number, rounds: Array<[endMs: number, accuracy: number]>, extra: Partial<StudyRecord['rounds']> = {}): StudyRecord {
  const n = rounds.length;
  return {
    studyRecord: 1,
    key: `${strategy}-${seed}`,
    strategy,
    seed,
    summary: {
      finalAccuracy: rounds[n - 1]![1],
      bestAccuracy: Math.max(...rounds.map((r) => r[1])),
      simulatedMs: rounds[n - 1]![0],
      samplesTrained: 10 * n,
      timeToTargetMs: null,
    },
    rounds: {
      round: rounds.map((_, i) => i + 1),
      endMs: rounds.map((r) => r[0]),
      accuracy: rounds.map((r) => r[1]),
      loss: rounds.map(() => 1),
      globalBatch: rounds.map(() => 10),
      effectiveParticipants: rounds.map(() => 2),
      skipped: rounds.map(() => false),
      samples: rounds.map((_, i) => 10 * (i + 1)),
      minWeightShare: rounds.map(() => 1),
      ...extra,
    },
  };
}

describe('meanCi and pairedTest', () => {
  it('3 values: mean, t interval and the paired t p-value match the closed forms for df = 2', () => {
    const values = [1, 2, 4];
    const mean = 7 / 3;
    const sd = Math.sqrt(((1 - mean) ** 2 + (2 - mean) ** 2 + (4 - mean) ** 2) / 2);
    const ci = meanCi(values);
    expect(ci.mean).toBeCloseTo(mean, 14);
    expect(ci.halfWidth).toBeCloseTo((T975_DF2 * sd) / Math.sqrt(3), 10);
    const test = pairedTest(values);
    expect(test.tP).toBeCloseTo(pDf2(mean / (sd / Math.sqrt(3))), 10);
    // exact signed-rank distribution of 3 positive differences: P(W = 6) = 1/8, two-sided 1/4
    expect(test.wilcoxonP).toBeCloseTo(0.25, 10);
  });

  it('degenerate samples: no pairs, one pair, all zero, identical non-zero', () => {
    expect(pairedTest([])).toEqual({ n: 0, mean: null, halfWidth: null, tP: null, wilcoxonP: null });
    expect(pairedTest([3])).toEqual({ n: 1, mean: 3, halfWidth: null, tP: null, wilcoxonP: null });
    expect(pairedTest([0, 0, 0])).toMatchObject({ mean: 0, halfWidth: 0, tP: 1, wilcoxonP: 1 });
    expect(pairedTest([2, 2, 2])).toMatchObject({ mean: 2, halfWidth: 0, tP: 0 });
  });

  it('differences near 1e300: the same p-values as the same differences scaled down (no overflow in the t-test)', () => {
    const huge = pairedTest([1e300, 2e300, 4e300]);
    const small = pairedTest([1, 2, 4]);
    expect(huge.tP).toBeCloseTo(small.tP!, 12);
    expect(huge.tP).toBeLessThan(1);
    expect(huge.wilcoxonP).toBe(small.wilcoxonP);
    expect(huge.halfWidth! / 1e300).toBeCloseTo(small.halfWidth!, 12);
  });

  it('the Wilcoxon p is at most 1: a signed-rank sum at the centre is p = 1 (scipy.stats.wilcoxon: 1.0)', () => {
    // ranks 1, 2, 4, 3 → W+ = 5 = n(n+1)/4: twice P(W ≤ 5) = 2 · 9/16 is 1.125 uncapped
    expect(pairedTest([1, -2, 3, -2.5]).wilcoxonP).toBe(1);
    // ranks 1, 2, 3 → W+ = 3 = n(n+1)/4: twice P(W ≤ 3) = 2 · 5/8 is 1.25 uncapped
    expect(pairedTest([1, 2, -3]).wilcoxonP).toBe(1);
    // below the centre the exact p is kept: W+ = 1 of n = 4 → twice P(W ≤ 1) = 2 · 2/16
    expect(pairedTest([1, -2, -3, -4]).wilcoxonP).toBeCloseTo(0.25, 10);
  });
});

describe('holm', () => {
  it('a hand example: sorted 0.01, 0.02, 0.03, 0.5 → ×4, ×3 (running max), ×2, ×1; nulls stay out', () => {
    // 0.01·4 = 0.04; 0.02·3 = 0.06; 0.03·2 = 0.06; 0.5·1 = 0.5
    const adjusted = holm([0.03, null, 0.5, 0.01, 0.02]);
    expect(adjusted[0]).toBeCloseTo(0.06, 15);
    expect(adjusted[1]).toBeNull();
    expect(adjusted[2]).toBeCloseTo(0.5, 15);
    expect(adjusted[3]).toBeCloseTo(0.04, 15);
    expect(adjusted[4]).toBeCloseTo(0.06, 15);
  });

  it('monotone and capped at 1: 0.04, 0.3, 0.35 → 0.12, 0.6, 0.6', () => {
    const adjusted = holm([0.35, 0.04, 0.3]);
    expect(adjusted[0]).toBeCloseTo(0.6, 15);
    expect(adjusted[1]).toBeCloseTo(0.12, 15);
    expect(adjusted[2]).toBeCloseTo(0.6, 15);
    expect(holm([0.6, 0.7])).toEqual([1, 1]);
  });
});

describe('the equal-time horizon', () => {
  it('per seed, the shortest simulated time; each strategy\'s accuracy at its last round ending at or before it', () => {
    const fast = record('fast', 1, [[100, 0.5], [200, 0.7], [300, 0.8]]);
    const slow = record('slow', 1, [[150, 0.4], [300, 0.6], [450, 0.9]]);
    const seed2 = [record('fast', 2, [[100, 0.5], [500, 0.9]]), record('slow', 2, [[250, 0.6], [260, 0.65]])];
    const h = horizons([fast, slow, ...seed2]);
    expect(h.get(1)).toBe(300);
    expect(h.get(2)).toBe(260);
    expect(accuracyAt(fast, 300)).toBe(0.8); // a round ending exactly at the horizon counts
    expect(accuracyAt(slow, 300)).toBe(0.6);
    expect(accuracyAt(seed2[0]!, 260)).toBe(0.5);
    expect(accuracyAt(slow, 149)).toBeNull(); // no round ended yet
    expect(runMetrics(slow, 0.85, 300)).toMatchObject({ horizonAccuracy: 0.6, timeToTargetMs: 450, finalAccuracy: 0.9 });
  });
});

describe('analyzeStudy', () => {
  const seeds = [1, 2, 3];
  // b is faster than the baseline by 100, 110, 120 ms: a tight, significant difference; the same accuracy
  const base = seeds.map((s) => record('base', s, [[1000 + 50 * s, 0.8], [2000 + 50 * s, 0.9]]));
  const faster = seeds.map((s) => record('b', s, [[900 + 50 * s, 0.8], [1900 + 40 * s, 0.9]]));

  it('verdicts: faster on simulated time, no significant difference on an equal accuracy, one line per metric', () => {
    const analysis = analyzeStudy({ records: [...base, ...faster], strategies: ['b', 'base'], baseline: 'base', target: 0.85 });
    const by = new Map(analysis.comparisons.map((c) => [c.metric, c]));
    // one per metric, the equal-samples accuracy included
    expect(analysis.comparisons).toHaveLength(11);
    const time = by.get('simulatedMs')!;
    expect(time.meanDifference).toBeCloseTo(-120, 10);
    expect(time.verdict).toBe('faster');
    expect(by.get('finalAccuracy')!.verdict).toBe('no significant difference');
    // time to target (first round ≥ 0.85 = the second): b − base = the same −120 ms, reached by both everywhere
    expect(by.get('timeToTargetMs')).toMatchObject({ pairs: 3, onlyStrategy: 0, onlyBaseline: 0, verdict: 'faster' });
    expect(analysis.summaries[0]!.metrics.timeToTargetMs).toMatchObject({ n: 3, of: 3 });
  });

  it('verdicts: slower and lower the other way round; reach counts when only one reached the target', () => {
    const worse = seeds.map((s) => record('w', s, [[1100 + 50 * s, 0.7], [2100 + 60 * s, 0.8 - 0.01 * s]]));
    const analysis = analyzeStudy({ records: [...base, ...worse], strategies: ['base', 'w'], baseline: 'base', target: 0.85 });
    const by = new Map(analysis.comparisons.map((c) => [c.metric, c]));
    expect(by.get('simulatedMs')!.verdict).toBe('slower');
    expect(by.get('finalAccuracy')!.verdict).toBe('lower');
    expect(by.get('timeToTargetMs')).toMatchObject({ pairs: 0, onlyStrategy: 0, onlyBaseline: 3, verdict: 'not tested' });
    const w = analysis.summaries[1]!.metrics.timeToTargetMs;
    expect(w).toMatchObject({ n: 0, of: 3, mean: null });
  });
});
