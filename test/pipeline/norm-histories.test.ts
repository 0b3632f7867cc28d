import { describe, expect, it } from 'vitest';
import { NormHistories } from '../../src/pipeline/norm-histories.js';
import { volatilityOf } from '../../src/pipeline/s4-aggregation.js';
import { makeRng } from '../../src/sim/rng.js';

function filled(capacity: number, norms: readonly number[], node = 0, nodes = 1): NormHistories {
  const histories = new NormHistories(nodes, capacity);
  for (const norm of norms) histories.append(node, norm);
  return histories;
}

describe('NormHistories', () => {
  it('keeps the last `capacity` norms of a node, oldest first', () => {
    expect(filled(5, [1, 2, 3, 4, 5, 6]).history(0)).toEqual([2, 3, 4, 5, 6]);
    expect(filled(5, [1.5]).history(0)).toEqual([1.5]);
    expect(filled(3, [1, 2, 3, 4, 5, 6, 7, 8]).history(0)).toEqual([6, 7, 8]);
    expect(filled(1, [1, 2, 3]).history(0)).toEqual([3]);
    expect(filled(4, [1, 2, 3]).history(0)).toEqual([1, 2, 3]);
    expect(filled(4, []).history(0)).toEqual([]);
  });

  it("each node's norms stay its own", () => {
    const histories = new NormHistories(3, 2);
    histories.append(1, 10);
    histories.append(1, 11);
    histories.append(1, 12);
    histories.append(2, 20);
    expect([0, 1, 2].map((i) => histories.history(i))).toEqual([[], [11, 12], [20]]);
  });

  it('hands out a copy: changing it changes nothing kept', () => {
    const histories = filled(3, [1, 2]);
    histories.history(0)[0] = 99;
    expect(histories.history(0)).toEqual([1, 2]);
  });

  it('a volatility by hand: cv of 1, 2, 3 is √(2/3) / 2; relchange of 4 → 3 is 0.25; one norm has none', () => {
    expect(filled(5, [1, 2, 3]).volatility(0, 'cv')).toBe(Math.sqrt(2 / 3) / 2);
    expect(filled(5, [1, 2, 3]).volatility(0, 'cv')).toBeCloseTo(0.408248290463863, 14);
    expect(filled(2, [1, 4, 3]).volatility(0, 'relchange')).toBe(0.25);
    expect(filled(5, [7]).volatility(0, 'cv')).toBeNull();
    expect(filled(5, [0, 5]).volatility(0, 'relchange')).toBe(1);
  });

  it('gives the bits volatilityOf gives for the same history, before and after it is full', () => {
    const rng = makeRng(3, 'norm-histories');
    const nodes = 4;
    const histories = new NormHistories(nodes, 5);
    const arrays: number[][] = Array.from({ length: nodes }, () => []);
    for (let round = 0; round < 12; round++) {
      for (let i = 0; i < nodes; i++) {
        const norm = rng() * 10 ** (i - 1);
        histories.append(i, norm);
        arrays[i] = [...arrays[i]!, norm].slice(-5);
        for (const kind of ['cv', 'relchange'] as const) {
          expect(Object.is(histories.volatility(i, kind), volatilityOf(arrays[i]!, kind))).toBe(true);
        }
      }
    }
    expect(histories.history(3)).toEqual(arrays[3]);
  });

  it('refuses a capacity that is not a whole number ≥ 1', () => {
    expect(() => new NormHistories(2, 0)).toThrow('history window must be an integer ≥ 1, got 0');
    expect(() => new NormHistories(2, 1.5)).toThrow('history window must be an integer ≥ 1, got 1.5');
  });
});
