import { describe, expect, it } from 'vitest';
import { countParams, initParams, paramShapes } from '../../src/train/params.js';

describe('initParams', () => {
  it('lays out [W1, b1, W2, b2] with kernels in × out and biases out', () => {
    // Act
    const params = initParams(4, [8], 3, 1);
    // Assert
    expect(params.map((p) => p.length)).toEqual([4 * 8, 8, 8 * 3, 3]);
    expect(paramShapes(4, [8], 3)).toEqual([[4, 8], [8], [8, 3], [3]]);
    expect(countParams(4, [8], 3)).toBe(32 + 8 + 24 + 3);
  });

  it('gives softmax regression one kernel and one bias', () => {
    expect(initParams(64, [], 10, 1).map((p) => p.length)).toEqual([640, 10]);
  });

  it('draws kernels within the Glorot limit √(6 / (in + out)) and zero biases', () => {
    const [w1, b1, w2, b2] = initParams(4, [8], 3, 1);
    const limit1 = Math.sqrt(6 / 12);
    const limit2 = Math.sqrt(6 / 11);
    expect(w1!.every((x) => Math.abs(x) <= limit1)).toBe(true);
    expect(w2!.every((x) => Math.abs(x) <= limit2)).toBe(true);
    expect(Math.max(...w1!.map(Math.abs))).toBeGreaterThan(limit1 / 2);
    expect([...b1!, ...b2!].every((x) => x === 0)).toBe(true);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    expect(initParams(4, [8], 3, 5)).toEqual(initParams(4, [8], 3, 5));
    expect(initParams(4, [8], 3, 5)[0]).not.toEqual(initParams(4, [8], 3, 6)[0]);
  });
});
