import { describe, expect, test } from 'vitest';
import { gaussianFrom, slotUniform, streamKey } from '../../../src/sim/rng.js';
import { model, slotValues, spec } from './spec-helpers.js';

const LOGNORMAL = spec({ kind: 'lognormal', medianMs: 20, sigma: 0.8 });

describe('lognormal latency', () => {
  test('is median · exp(sigma · z) with z from the slot draws 0 and 1', () => {
    // Arrange
    const m = model(LOGNORMAL, { seed: 7, nodeId: 'a' });
    const key = streamKey(7, 'latency', 'a');
    const z = gaussianFrom(slotUniform(key, 3, 0), slotUniform(key, 3, 1));
    // Act
    const value = m.at(300);
    // Assert
    expect(value).toBe(20 * Math.exp(0.8 * z));
  });

  test('is positive with about half the samples below the median', () => {
    // Arrange
    const m = model(LOGNORMAL);
    // Act
    const values = slotValues(m, 0, 20_000) as number[];
    const below = values.filter((v) => v < 20).length / values.length;
    // Assert
    expect(Math.min(...values)).toBeGreaterThan(0);
    expect(below).toBeGreaterThan(0.48);
    expect(below).toBeLessThan(0.52);
  });
});
