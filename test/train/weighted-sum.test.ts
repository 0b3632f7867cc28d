import { describe, expect, it } from 'vitest';
import { makeRng } from '../../src/sim/rng.js';
import { aggregateParams, weightedSum } from '../../src/train/fast-vector-math.js';
import { finishSlice, WeightedSum } from '../../src/train/weighted-sum.js';

const bytes = (values: Float64Array | Float32Array): Buffer => Buffer.from(values.buffer, values.byteOffset, values.byteLength);

function problem(tasks: number, count: number) {
  const rng = makeRng(3, 'weighted-sum', tasks, count);
  // values of very different sizes, so that any change in the order of additions shows in the bits
  const rows = Float32Array.from({ length: tasks * count }, () => (rng() - 0.5) * 10 ** Math.floor(rng() * 8 - 4));
  const weights = Float64Array.from({ length: tasks }, () => rng() / tasks);
  return { rows, weights };
}

describe('WeightedSum (Σ w_i U_i fed in pieces)', () => {
  it.each([
    ['all rows at once', [11]],
    ['one row at a time', [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]],
    ['pieces that cut the groups of four (3, 2, 5, 1)', [3, 2, 5, 1]],
    ['an empty piece between (4, 0, 7)', [4, 0, 7]],
  ])('gives weightedSum’s bytes over 11 rows × 37 values: %s', (_, pieces) => {
    // Arrange
    const count = 37;
    const { rows, weights } = problem(11, count);
    const expected = weightedSum(rows, weights, count);
    // Act
    const sum = new WeightedSum(0, count);
    let first = 0;
    for (const size of pieces) {
      sum.add(rows.subarray(first * count, (first + size) * count), count, weights.subarray(first, first + size));
      first += size;
    }
    // Assert
    expect(first).toBe(11);
    expect(bytes(sum.finish())).toEqual(bytes(expected));
  });

  it('gives the same bytes row by row (addRow) and slice by slice as all at once', () => {
    // Arrange
    const count = 29;
    const { rows, weights } = problem(10, count);
    const expected = weightedSum(rows, weights, count);
    // Act
    const byRow = new WeightedSum(0, count);
    for (let i = 0; i < 10; i++) byRow.addRow(rows.subarray(i * count, (i + 1) * count), weights[i]!);
    const [low, high] = [new WeightedSum(0, 13), new WeightedSum(13, count)];
    low.add(rows, count, weights);
    high.add(rows.subarray(0, 3 * count), count, weights.subarray(0, 3));
    high.add(rows.subarray(3 * count), count, weights.subarray(3));
    const joined = new Float64Array(count);
    joined.set(low.finish(), 0);
    joined.set(high.finish(), 13);
    // Assert
    expect(bytes(byRow.finish())).toEqual(bytes(expected));
    expect(bytes(joined)).toEqual(bytes(expected));
  });

  it('finishes θ_{t+1} slice by slice with aggregateParams’s bytes', () => {
    // Arrange
    const count = 23;
    const { rows, weights } = problem(9, count);
    const theta = Float32Array.from({ length: count }, (_, p) => Math.sin(p) * 3);
    const expected = aggregateParams(theta, rows, weights, 0.3);
    // Act
    const next = new Float32Array(count);
    for (const [start, end] of [[0, 12], [12, count]] as const) {
      const sum = new WeightedSum(start, end);
      sum.add(rows, count, weights);
      finishSlice(theta, sum, weights, 0.3, next);
    }
    // Assert
    expect(bytes(next)).toEqual(bytes(expected));
    expect(Math.max(...Array.from(next, (v, p) => Math.abs(v - theta[p]!)))).toBeGreaterThan(0);
  });

  it('refuses a slice that ends before it starts', () => {
    expect(() => new WeightedSum(5, 4)).toThrow('bad parameter slice 5 … 4');
  });
});
