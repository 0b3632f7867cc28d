import { describe, expect, test } from 'vitest';
import { computeEfficiency, windowSampleTimesMs } from '../../../src/pipeline/s1-efficiency.js';
import { periodicSine, sinPi } from '../../../src/sim/latency/periodic.js';
import { model, spec } from './spec-helpers.js';

const PERIODIC = spec({ kind: 'periodic', baseMs: 20, amplitudeMs: 15, periodMs: 10_000 });

describe('periodic latency', () => {
  test('is base + amplitude · sin(2π t_k / period) at the slot start t_k', () => {
    // Arrange
    const m = model(PERIODIC, { resolutionMs: 100 });
    // Act: t = 2,550 → slot 25 → t_k = 2,500 → 20 + 15·sin(π/2)
    const peak = m.at(2550);
    // Assert
    expect(peak).toBeCloseTo(35, 12);
    expect(m.at(0)).toBeCloseTo(20, 12); // sin 0
    expect(m.at(5_000)).toBeCloseTo(20, 12); // sin π
    expect(m.at(7_599)).toBeCloseTo(5, 12); // slot 75, t_k = 7,500 → sin(3π/2) = −1
    expect(m.at(-2_500)).toBeCloseTo(5, 12); // sin(−π/2)
  });

  test('is floored at 0 when amplitude exceeds base', () => {
    // Arrange
    const m = model(spec({ kind: 'periodic', baseMs: 10, amplitudeMs: 30, periodMs: 1_000 }));
    // Act: t_k = 700 → 10 + 30·sin(1.4π) = 10 − 28.53 < 0
    const trough = m.at(700);
    // Assert
    expect(trough).toBe(0);
    expect(m.at(100)).toBeCloseTo(10 + 30 * Math.sin(0.2 * Math.PI), 12);
  });

  test('a node whose base equals the threshold: samples where sin is 0 are exactly the base, not under it', () => {
    // Arrange: 50 + 10·sin(2π t / 1000 ms), threshold 50, one sample per 100 ms over 1 s
    const m = model(spec({ kind: 'periodic', baseMs: 50, amplitudeMs: 10, periodMs: 1_000 }), { resolutionMs: 100 });
    const s1 = { intervalMs: 100, windowMs: 1_000, thresholdMs: 50 };
    // Act: the window of the round starting at 3 s holds t = 2,000 … 2,900
    const times = windowSampleTimesMs(3_000, s1);
    const values = times.map((t) => m.at(t));
    // Assert: sin is 0 at t = 2,000 and 2,500 (value exactly 50, not < 50), positive at
    // 2,100 … 2,400 and negative at 2,600 … 2,900: 4 of 10 samples are under the threshold
    expect(times).toEqual([2_000, 2_100, 2_200, 2_300, 2_400, 2_500, 2_600, 2_700, 2_800, 2_900]);
    expect(values[0]).toBe(50);
    expect(values[5]).toBe(50);
    expect(times.filter((_, i) => values[i]! < 50)).toEqual([2_600, 2_700, 2_800, 2_900]);
    expect(computeEfficiency(values, s1).efficiency).toBe(0.4);
    // the first window, t = 0 … 900: the same 4 samples (600 … 900) under 50; t = 0 and 500 are 50
    const first = windowSampleTimesMs(1_000, s1);
    expect(first.filter((t) => m.at(t)! < 50)).toEqual([600, 700, 800, 900]);
    expect([m.at(0), m.at(500)]).toEqual([50, 50]);
  });

  test('the same node gives e = 0.4 in every round, however late', () => {
    const m = model(spec({ kind: 'periodic', baseMs: 50, amplitudeMs: 10, periodMs: 1_000 }), { resolutionMs: 100 });
    const s1 = { intervalMs: 100, windowMs: 1_000, thresholdMs: 50 };
    const off: number[] = [];
    for (let start = 1_000; start <= 1_000_000; start += 1_000) {
      if (computeEfficiency(windowSampleTimesMs(start, s1).map((t) => m.at(t)), s1).efficiency !== 0.4) off.push(start);
    }
    expect(off).toEqual([]);
  });

  test('sinPi is exact at integers (0) and half-integers (±1), for any sign and size', () => {
    expect([0, 1, 2, -1, -2, 1e6 + 1, 2 ** 52].map(sinPi).every((v) => v === 0)).toBe(true);
    expect([0.5, 2.5, -1.5, 1e6 + 0.5].map(sinPi)).toEqual([1, 1, 1, 1]);
    expect([1.5, -0.5, 3.5, 1e6 + 1.5].map(sinPi)).toEqual([-1, -1, -1, -1]);
    expect(sinPi(0.25)).toBeCloseTo(Math.SQRT1_2, 15);
    expect(sinPi(1.75)).toBeCloseTo(-Math.SQRT1_2, 15);
    expect(sinPi(1 / 6)).toBeCloseTo(0.5, 15);
    expect(sinPi(Number.POSITIVE_INFINITY)).toBeNaN();
  });

  test('periodicSine reduces t modulo the period exactly: 0, ±1 at the quarter points of any cycle', () => {
    for (const period of [1_000, 4_000, 0.5, 7, 86_400_000]) {
      for (const cycles of [0, 1, 10, 12_345]) {
        const t0 = cycles * period;
        expect([t0, t0 + period / 4, t0 + period / 2, t0 + (3 * period) / 4].map((t) => periodicSine(t, period)), `${period} ${cycles}`)
          .toEqual([0, 1, 0, -1]);
      }
    }
  });
});
