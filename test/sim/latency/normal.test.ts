import { describe, expect, test } from 'vitest';
import { gaussianFrom, slotUniform, streamKey } from '../../../src/sim/rng.js';
import { model, slotValues, spec } from './spec-helpers.js';

describe('normal latency', () => {
  test('is mean + std · z with z from the slot draws 0 and 1 (Box–Muller)', () => {
    // Arrange
    const m = model(spec({ kind: 'normal', meanMs: 1000, stdMs: 15 }), { seed: 3, nodeId: 'b' });
    const key = streamKey(3, 'latency', 'b');
    const z = gaussianFrom(slotUniform(key, -4, 0), slotUniform(key, -4, 1));
    // Act
    const value = m.at(-350); // slot −4
    // Assert
    expect(value).toBe(1000 + 15 * z);
  });

  test('is never negative: draws below 0 are floored at 0', () => {
    // Arrange: mean 5, std 15 → about 37% of draws fall below 0
    const m = model(spec({ kind: 'normal', meanMs: 5, stdMs: 15 }));
    // Act
    const values = slotValues(m, -20, 20_000) as number[];
    // Assert
    expect(Math.min(...values)).toBe(0);
    const zeros = values.filter((v) => v === 0).length / values.length;
    expect(zeros).toBeGreaterThan(0.34);
    expect(zeros).toBeLessThan(0.40);
  });

  test('has the configured mean and std when the floor is far away', () => {
    // Arrange
    const m = model(spec({ kind: 'normal', meanMs: 100, stdMs: 10 }));
    // Act
    const values = slotValues(m, 0, 50_000) as number[];
    const mean = values.reduce((a, b) => a + b, 0) / values.length;
    const std = Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
    // Assert: standard error of the mean is 10/√50000 ≈ 0.045
    expect(mean).toBeGreaterThan(99.8);
    expect(mean).toBeLessThan(100.2);
    expect(std).toBeGreaterThan(9.8);
    expect(std).toBeLessThan(10.2);
  });
});
