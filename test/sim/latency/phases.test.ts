import { describe, expect, test } from 'vitest';
import type { LatencyPhase } from '../../../src/scenario/types.js';
import { slotUniform, streamKey } from '../../../src/sim/rng.js';
import { model, slotValues, spec } from './spec-helpers.js';

function phases(list: LatencyPhase[]) {
  return spec({ kind: 'phases', phases: list });
}

describe('phases latency', () => {
  test('phase j holds while t_k < until_j; the last phase holds for ever', () => {
    // Arrange
    const m = model(phases([
      { untilMs: 2_000, latency: spec({ kind: 'constant', valueMs: 5 }) },
      { untilMs: 4_000, latency: spec({ kind: 'constant', valueMs: 400 }) },
      { untilMs: null, latency: spec({ kind: 'constant', valueMs: 7 }) },
    ]));
    // Act / Assert
    expect([-2_000, 1_999, 2_000, 3_999, 4_000, 1e7].map((t) => m.at(t))).toEqual([5, 5, 400, 400, 7, 7]);
  });

  test('the boundary is compared with the slot start, not the query time', () => {
    // Arrange: until 2,050 is not on the 100 ms grid
    const m = model(phases([
      { untilMs: 2_050, latency: spec({ kind: 'constant', valueMs: 5 }) },
      { untilMs: null, latency: spec({ kind: 'constant', valueMs: 400 }) },
    ]));
    // Act / Assert: t = 2,060 → t_k = 2,000 < 2,050 → still phase 0; t = 2,100 → phase 1
    expect(m.at(2_060)).toBe(5);
    expect(m.at(2_099)).toBe(5);
    expect(m.at(2_100)).toBe(400);
  });

  test('each phase draws from its own stream <seed>/latency/<node>/phase/<j>', () => {
    // Arrange
    const uniform = spec({ kind: 'uniform', minMs: 0, maxMs: 100 });
    const m = model(phases([
      { untilMs: 1_000, latency: uniform },
      { untilMs: null, latency: uniform },
    ]), { seed: 7, nodeId: 'a' });
    const key0 = streamKey(7, 'latency', 'a', 'phase', 0);
    const key1 = streamKey(7, 'latency', 'a', 'phase', 1);
    // Act
    const values = slotValues(m, 8, 4); // slots 8, 9 in phase 0; 10, 11 in phase 1
    // Assert
    expect(values).toEqual([
      slotUniform(key0, 8, 0) * 100,
      slotUniform(key0, 9, 0) * 100,
      slotUniform(key1, 10, 0) * 100,
      slotUniform(key1, 11, 0) * 100,
    ]);
  });

  test('changing one phase does not change another phase’s values', () => {
    // Arrange
    const later = { untilMs: null, latency: spec({ kind: 'normal', meanMs: 30, stdMs: 15 }) } as const;
    const a = model(phases([{ untilMs: 1_000, latency: spec({ kind: 'constant', valueMs: 5 }) }, later]));
    const b = model(phases([{ untilMs: 1_000, latency: spec({ kind: 'lognormal', medianMs: 9, sigma: 2 }) }, later]));
    // Act / Assert
    expect(slotValues(a, 10, 100)).toEqual(slotValues(b, 10, 100));
  });

  test('nested phases and per-phase modifiers apply within their phase', () => {
    // Arrange
    const m = model(phases([
      {
        untilMs: 3_000,
        latency: phases([
          { untilMs: 1_000, latency: spec({ kind: 'constant', valueMs: 1 }) },
          { untilMs: null, latency: spec({ kind: 'constant', valueMs: 2 }, { down: [{ fromMs: 2_000, toMs: 2_500 }] }) },
        ]),
      },
      { untilMs: null, latency: spec({ kind: 'constant', valueMs: 3 }, { loss: 1 }) },
    ]));
    // Act / Assert
    expect([500, 1_500, 2_000, 2_499, 2_500, 2_999, 3_000, 9_000].map((t) => m.at(t))).toEqual([
      1, 2, null, null, 2, 2, null, null,
    ]);
  });
});
