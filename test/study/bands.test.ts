/**
 * The study report's chart data on a hand-made 3-seed example: the accuracy band (step
 * function per seed on a shared grid, then mean and Student t interval per point), the
 * equal-samples metric, and the paired-difference rows.
 */
import { describe, expect, it } from 'vitest';
import { analyzeStudy } from '../../src/study/analyze.js';
import { accuracyBands, grid, stepAt } from '../../src/study/bands.js';
import { differenceRows } from '../../src/study/html-charts.js';
import { accuracyAtSamples, sampleHorizons } from '../../src/study/metrics.js';
import { handStudy } from './study-report-fixture.js';

/** t₀.₉₇₅ with 2 degrees of freedom, 4.302652729749464 (tables give 4.303). */
const T975_DF2 = 4.302652729749464;

describe('accuracy bands over seeds', () => {
  it('a step function: the last round ended at or before x, nothing before the first', () => {
    const curve: Array<[number, number]> = [[1, 0.5], [2, 0.7]];
    expect(stepAt(curve, 0.99)).toBeNull();
    expect(stepAt(curve, 1)).toBe(0.5);
    expect(stepAt(curve, 1.5)).toBe(0.5);
    expect(stepAt(curve, 2)).toBe(0.7);
    expect(stepAt(curve, 9)).toBe(0.7);
    expect(grid(3, 4)).toEqual([0, 1, 2, 3]);
    expect(grid(0, 4)).toEqual([0]);
  });

  it('against time: the mean and t interval of the three seeds per grid point, only where all three have a round', () => {
    const rows = accuracyBands(handStudy(), ['s1s4', 'sync-sgd', 'constructor'], 'time', 4);
    const s1s4 = rows.filter((r) => r.strategy === 's1s4');
    // x = 0 and 1 s: seed 3 has no round yet, so no point (never a mean over fewer seeds)
    expect(s1s4.map((r) => r.x)).toEqual([2, 3]);
    // x = 2 s: seeds 0.7, 0.6, 0.4 → mean 0.5667, s = 0.152753, half = t · s / √3
    expect(s1s4[0]!.mean).toBeCloseTo(0.5666667, 6);
    expect(s1s4[0]!.high - s1s4[0]!.mean).toBeCloseTo((T975_DF2 * 0.1527525) / Math.sqrt(3), 5);
    expect(s1s4[0]!.high - s1s4[0]!.mean).toBeCloseTo(0.379460, 5);
    expect(s1s4[0]!.mean - s1s4[0]!.low).toBeCloseTo(0.379460, 5);
    // x = 3 s: 0.7 (seed 1 keeps its final model), 0.8, 0.9 → 0.8 ± t · 0.1 / √3
    expect(s1s4[1]).toMatchObject({ x: 3, n: 3, rank: 0 });
    expect(s1s4[1]!.mean).toBeCloseTo(0.8, 9);
    expect(s1s4[1]!.high).toBeCloseTo(0.8 + 0.248414, 5);
    // sync-sgd: its first rounds end at 1.5 s, so x = 2 (0.35 ± …) and 3 (0.65 ± …)
    const sync = rows.filter((r) => r.strategy === 'sync-sgd');
    expect(sync.map((r) => [r.x, r.rank])).toEqual([[2, 1], [3, 1]]);
    expect(sync[0]!.mean).toBeCloseTo(0.35, 9);
    expect(sync[0]!.high).toBeCloseTo(0.35 + (T975_DF2 * 0.05) / Math.sqrt(3), 9);
    // constructor's runs end at 2 s: its band stops there
    expect(rows.filter((r) => r.strategy === 'constructor').map((r) => r.x)).toEqual([1, 2]);
  });

  it('against samples trained: the same on a samples grid', () => {
    const rows = accuracyBands(handStudy(), ['s1s4', 'sync-sgd', 'constructor'], 'samples', 5);
    // grid 0, 8, 16, 24, 32 samples
    const s1s4 = rows.filter((r) => r.strategy === 's1s4');
    expect(s1s4.map((r) => r.x)).toEqual([24]);
    expect(s1s4[0]!.mean).toBeCloseTo((0.7 + 0.6 + 0.4) / 3, 9);
    const sync = rows.filter((r) => r.strategy === 'sync-sgd');
    expect(sync.map((r) => r.x)).toEqual([16, 24, 32]);
    expect(sync[2]!.mean).toBeCloseTo(0.65, 9);
  });

  it('a single seed has a band of width 0', () => {
    const one = handStudy().filter((r) => r.seed === 1);
    const rows = accuracyBands(one, ['s1s4'], 'time', 4);
    expect(rows.map((r) => [r.x, r.low, r.mean, r.high, r.n])).toEqual([[1, 0.5, 0.5, 0.5, 1], [2, 0.7, 0.7, 0.7, 1]]);
  });
});

describe('accuracy at equal samples', () => {
  it('per seed the fewest samples any strategy trained; each run read there', () => {
    const records = handStudy();
    expect([...sampleHorizons(records)]).toEqual([[1, 16], [2, 16], [3, 16]]);
    const s1s4Seed2 = records.find((r) => r.strategy === 's1s4' && r.seed === 2)!;
    expect(accuracyAtSamples(s1s4Seed2, 16)).toBe(0.6);
    expect(accuracyAtSamples(s1s4Seed2, 9)).toBeNull();
    const analysis = analyzeStudy({ records, strategies: ['s1s4', 'sync-sgd', 'constructor'], baseline: 'sync-sgd', target: null });
    const at = (strategy: string, seed: number) => analysis.runs.find((r) => r.strategy === strategy && r.seed === seed)!.metrics.samplesHorizonAccuracy;
    // s1s4 seed 3 trained 20 samples in its first round: nothing at or below 16
    expect([at('s1s4', 1), at('s1s4', 2), at('s1s4', 3)]).toEqual([0.5, 0.6, null]);
    expect([at('sync-sgd', 1), at('constructor', 3)]).toEqual([0.3, 0.62]);
    expect(analysis.runs[0]!.horizonSamples).toBe(16);
  });
});

describe('paired difference rows', () => {
  it('mean and interval per strategy, durations in seconds, coloured by the Holm-adjusted test', () => {
    const records = handStudy();
    const strategies = ['s1s4', 'sync-sgd', 'constructor'];
    const analysis = analyzeStudy({ records, strategies, baseline: 'sync-sgd', target: null });
    const rows = differenceRows(analysis.comparisons, 'simulatedMs', strategies);
    // s1s4 − sync-sgd: −1000, 0, 0 ms; constructor: −1000 × 3 (no spread: p = 0, a difference)
    expect(rows.map((r) => [r.strategy, r.rank, r.pairs, r.finding])).toEqual([['s1s4', 0, 3, 'not significant'], ['constructor', 2, 3, 'significant']]);
    expect(rows[0]!.mean).toBeCloseTo(-1 / 3, 9);
    expect(rows[0]!.high - rows[0]!.mean).toBeCloseTo((T975_DF2 * Math.sqrt(1 / 3)) / Math.sqrt(3), 6);
    expect(rows[1]).toMatchObject({ mean: -1, low: -1, high: -1, verdict: 'faster' });
    // time to target without a target: no pairs, no row
    expect(differenceRows(analysis.comparisons, 'timeToTargetMs', strategies)).toEqual([]);
  });
});
