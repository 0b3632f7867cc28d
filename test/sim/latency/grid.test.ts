import { describe, expect, test } from 'vitest';
import { slotOf } from '../../../src/sim/latency/grid.js';

describe('latency grid slots', () => {
  test('slot is floor(t / resolution)', () => {
    expect(slotOf(0, 100)).toBe(0);
    expect(slotOf(99.9, 100)).toBe(0);
    expect(slotOf(100, 100)).toBe(1);
    expect(slotOf(2550, 100)).toBe(25);
  });

  test('negative times fall in negative slots (monitoring starts before round 1)', () => {
    expect(slotOf(-1, 100)).toBe(-1);
    expect(slotOf(-100, 100)).toBe(-1);
    expect(slotOf(-101, 100)).toBe(-2);
    expect(slotOf(-2000, 100)).toBe(-20);
  });

  test('with a fractional resolution the slot start k · res never lies after t, nor the next start at or before it', () => {
    // 4.3 / 0.1 = 42.99… but 43 · 0.1 = 4.3; 1.7 / 0.1 = 17 but 17 · 0.1 = 1.7000000000000002 > 1.7
    expect(slotOf(4.3, 0.1)).toBe(43);
    expect(slotOf(1.7, 0.1)).toBe(16);
    for (let i = -2_000; i < 2_000; i++) {
      const timeMs = Number((i * 0.1).toFixed(6));
      const slot = slotOf(timeMs, 0.1);
      expect(slot * 0.1).toBeLessThanOrEqual(timeMs);
      expect((slot + 1) * 0.1).toBeGreaterThan(timeMs);
    }
  });
});
