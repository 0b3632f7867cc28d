import { describe, expect, it } from 'vitest';
import { computeEfficiency, S1_DEFAULTS, samplesPerWindow, windowSampleTimesMs } from '../../src/pipeline/s1-efficiency.js';

const cfg = { ...S1_DEFAULTS }; // Δ = 100 ms, window 2000 ms, threshold 50 ms

describe('windowSampleTimesMs', () => {
  it('round 1 (T = 0) reads the grid −2000 … −100', () => {
    // Act
    const times = windowSampleTimesMs(0, cfg);

    // Assert
    expect(times).toEqual(Array.from({ length: 20 }, (_, i) => -2000 + 100 * i));
    expect(times[19]).toBe(-100);
  });

  it('T = 2050 reads the grid times in [50, 2050): 100 … 2000', () => {
    const times = windowSampleTimesMs(2050, cfg);

    expect(times).toEqual(Array.from({ length: 20 }, (_, i) => 100 * (i + 1)));
  });

  it('a start an ulp past a grid time still yields exactly K samples, starting one slot later', () => {
    // [1e-10, 2000.0000000001) holds 100 … 2000
    const times = windowSampleTimesMs(2000.0000000001, cfg);

    expect(times).toHaveLength(20);
    expect(times[0]).toBe(100);
    expect(times[19]).toBe(2000);
  });

  it('includes the grid slot at the window start even when the division lands an ulp above it', () => {
    // T − W = 2.6 − 2 = 0.6000000000000001; / 0.1 = 6.000000000000001, but slot 6 opens the window
    const times = windowSampleTimesMs(2.6, { intervalMs: 0.1, windowMs: 2 });

    expect(times).toHaveLength(20);
    expect(times[0]).toBeCloseTo(0.6, 12);
    expect(times[19]).toBeCloseTo(2.5, 12);
  });

  it('a window starting on a grid time includes it and excludes T itself', () => {
    const times = windowSampleTimesMs(2000, cfg);

    expect(times[0]).toBe(0);
    expect(times[19]).toBe(1900);
  });

  it('writes the grid time zero as +0, never −0', () => {
    // [−50, 1950): kFirst = ceil(−0.5) which JavaScript gives as −0
    const times = windowSampleTimesMs(1950, cfg);

    expect(Object.is(times[0], 0)).toBe(true);
    expect(times[19]).toBe(1900);
  });

  it('rejects a window that is not a multiple of the interval', () => {
    expect(() => samplesPerWindow({ intervalMs: 300, windowMs: 1000 })).toThrow(/multiple/);
  });
});

describe('computeEfficiency', () => {
  it('16 of 20 samples under 50 ms with Δ = 100 ms give 1600 / 2000 = 0.8', () => {
    // Arrange
    const samples = [...Array<number>(16).fill(10), ...Array<number>(4).fill(80)];

    // Act
    const result = computeEfficiency(samples, cfg);

    // Assert
    expect(result).toEqual({ efficiency: 0.8, effectiveMs: 1600, observedMs: 2000 });
  });

  it('lost samples are observed but not effective', () => {
    const samples = [...Array<number | null>(10).fill(null), ...Array<number>(10).fill(5)];

    expect(computeEfficiency(samples, cfg)).toEqual({ efficiency: 0.5, effectiveMs: 1000, observedMs: 2000 });
  });

  it('a latency equal to the threshold is not effective (strict <)', () => {
    const samples = [50, 49.999, 50, 51];

    expect(computeEfficiency(samples, cfg)).toEqual({ efficiency: 0.25, effectiveMs: 100, observedMs: 400 });
  });

  it('a node whose every sample is lost has efficiency 0', () => {
    expect(computeEfficiency(Array<null>(20).fill(null), cfg).efficiency).toBe(0);
  });

  it('no samples at all give efficiency 0 over 0 ms', () => {
    expect(computeEfficiency([], cfg)).toEqual({ efficiency: 0, effectiveMs: 0, observedMs: 0 });
  });
});
