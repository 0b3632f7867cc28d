import { describe, expect, test } from 'vitest';
import { slotUniform, streamKey } from '../../../src/sim/rng.js';
import { model, slotValues, spec } from './spec-helpers.js';

const UNIFORM = spec({ kind: 'uniform', minMs: 1, maxMs: 9 });

describe('uniform latency', () => {
  test('is min + u · (max − min) with u = slotUniform(streamKey(seed, latency, node), slot, 0)', () => {
    // Arrange
    const m = model(UNIFORM, { seed: 7, nodeId: 'a' });
    const key = streamKey(7, 'latency', 'a');
    // Act
    const value = m.at(1234); // slot 12
    // Assert
    expect(value).toBe(1 + slotUniform(key, 12, 0) * 8);
  });

  test('stays in [min, max] over many slots and spans most of the range', () => {
    // Arrange
    const m = model(UNIFORM);
    // Act
    const values = slotValues(m, -20, 10_000) as number[];
    // Assert
    expect(Math.min(...values)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...values)).toBeLessThanOrEqual(9);
    expect(Math.min(...values)).toBeLessThan(1.01);
    expect(Math.max(...values)).toBeGreaterThan(8.99);
  });
});
