import { describe, expect, test } from 'vitest';
import { model, spec } from './spec-helpers.js';

describe('constant latency', () => {
  test('returns the same value at every time, including before time 0', () => {
    // Arrange
    const m = model(spec({ kind: 'constant', valueMs: 5 }));
    // Act
    const values = [-2000, -1, 0, 149, 10_000, 1e9].map((t) => m.at(t));
    // Assert
    expect(values).toEqual([5, 5, 5, 5, 5, 5]);
  });
});
