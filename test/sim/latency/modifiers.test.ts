import { describe, expect, test } from 'vitest';
import { slotUniform, streamKey } from '../../../src/sim/rng.js';
import { model, slotValues, spec } from './spec-helpers.js';

const CONSTANT = { kind: 'constant', valueMs: 5 } as const;

describe('latency modifiers', () => {
  test('down: null while from ≤ t_k < to', () => {
    // Arrange
    const m = model(spec(CONSTANT, { down: [{ fromMs: 1_000, toMs: 1_500 }] }));
    // Act / Assert
    expect([999, 1_000, 1_499, 1_500].map((t) => m.at(t))).toEqual([5, null, null, 5]);
  });

  test('down: the interval is compared with the slot start, not the query time', () => {
    // Arrange: from 1,050 to 1,550, off the 100 ms grid
    const m = model(spec(CONSTANT, { down: [{ fromMs: 1_050, toMs: 1_550 }] }));
    // Act / Assert: t_k = 1,000 is before `from`; t_k = 1,500 is before `to`
    expect([1_060, 1_099, 1_100, 1_560, 1_600].map((t) => m.at(t))).toEqual([5, 5, null, null, 5]);
  });

  test('down: several intervals, including before time 0', () => {
    const m = model(spec(CONSTANT, { down: [{ fromMs: -1_000, toMs: -500 }, { fromMs: 200, toMs: 300 }] }));
    expect([-1_000, -501, -500, 199, 250, 300].map((t) => m.at(t))).toEqual([null, null, 5, 5, null, 5]);
  });

  test('loss: lost when the slot uniform on <seed>/latency/<node>/loss is below p', () => {
    // Arrange
    const m = model(spec(CONSTANT, { loss: 0.3 }), { seed: 7, nodeId: 'a' });
    const lossKey = streamKey(7, 'latency', 'a', 'loss');
    // Act
    const values = slotValues(m, -20, 100);
    // Assert
    expect(values).toEqual(values.map((_, i) => (slotUniform(lossKey, i - 20, 0) < 0.3 ? null : 5)));
  });

  test('loss: about p of the samples are lost', () => {
    // Arrange
    const m = model(spec(CONSTANT, { loss: 0.05 }));
    // Act
    const values = slotValues(m, -20, 100_000);
    const rate = values.filter((v) => v === null).length / values.length;
    // Assert: standard error √(0.05·0.95/100000) ≈ 0.0007
    expect(rate).toBeGreaterThan(0.047);
    expect(rate).toBeLessThan(0.053);
  });

  test('loss: 0 never loses and 1 always loses', () => {
    expect(slotValues(model(spec(CONSTANT, { loss: 0 })), 0, 1_000).includes(null)).toBe(false);
    expect(slotValues(model(spec(CONSTANT, { loss: 1 })), 0, 1_000).every((v) => v === null)).toBe(true);
  });

  test('loss: does not shift the value draws of the process', () => {
    // Arrange
    const uniform = { kind: 'uniform', minMs: 0, maxMs: 100 } as const;
    const lossy = model(spec(uniform, { loss: 0.5 }));
    const clean = model(spec(uniform));
    // Act
    const withLoss = slotValues(lossy, 0, 1_000);
    const without = slotValues(clean, 0, 1_000);
    // Assert
    withLoss.forEach((v, i) => {
      if (v !== null) expect(v).toBe(without[i]);
    });
    expect(withLoss.filter((v) => v !== null).length).toBeGreaterThan(400);
  });
});
