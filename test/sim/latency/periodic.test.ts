import { describe, expect, test } from 'vitest';
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
});
