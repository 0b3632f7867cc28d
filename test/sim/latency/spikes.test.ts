import { describe, expect, test } from 'vitest';
import { slotUniform, streamKey } from '../../../src/sim/rng.js';
import { model, slotValues, spec } from './spec-helpers.js';

const SPIKES = spec({ kind: 'spikes', baseMs: 5, spikeMs: 300, probability: 0.2 });

describe('spikes latency', () => {
  test('is spike when the slot draw 0 is below probability, else base', () => {
    // Arrange
    const m = model(SPIKES, { seed: 7, nodeId: 'a' });
    const key = streamKey(7, 'latency', 'a');
    // Act
    const values = slotValues(m, 0, 50);
    // Assert
    const expected = values.map((_, k) => (slotUniform(key, k, 0) < 0.2 ? 300 : 5));
    expect(values).toEqual(expected);
  });

  test('spikes in about `probability` of the slots', () => {
    // Arrange
    const m = model(SPIKES);
    // Act
    const values = slotValues(m, -20, 50_000);
    const rate = values.filter((v) => v === 300).length / values.length;
    // Assert: standard error √(0.2·0.8/50000) ≈ 0.0018
    expect(rate).toBeGreaterThan(0.19);
    expect(rate).toBeLessThan(0.21);
    expect(values.every((v) => v === 5 || v === 300)).toBe(true);
  });
});
