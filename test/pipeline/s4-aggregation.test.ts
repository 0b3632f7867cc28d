import { describe, expect, it } from 'vitest';
import {
  capWeights, inverseVolatilityWeights, S4_DEFAULTS, type S4Config, volatilitiesUsed, volatilityOf,
} from '../../src/pipeline/s4-aggregation.js';

const cfg: S4Config = { ...S4_DEFAULTS, maxWeight: null }; // ε = 0.001

function sum(values: readonly number[]): number {
  return values.reduce((total, v) => total + v, 0);
}

describe('volatilityOf — cv', () => {
  it('cv of [1, 2, 3] is sqrt(2/3) / 2 = 0.408248290463863', () => {
    expect(volatilityOf([1, 2, 3], 'cv')).toBeCloseTo(0.408248290463863, 14);
  });

  it('is null with fewer than 2 entries', () => {
    expect(volatilityOf([5], 'cv')).toBeNull();
    expect(volatilityOf([], 'cv')).toBeNull();
  });

  it('is 0 for a constant history and for an all-zero history', () => {
    expect(volatilityOf([2, 2, 2], 'cv')).toBe(0);
    expect(volatilityOf([0, 0], 'cv')).toBe(0);
  });
});

describe('volatilityOf — relchange', () => {
  it('is |n − n_prev| / n_prev of the last two entries', () => {
    expect(volatilityOf([2, 3], 'relchange')).toBe(0.5);
    expect(volatilityOf([1, 4, 3], 'relchange')).toBe(0.25);
  });

  it('is null with fewer than 2 entries', () => {
    expect(volatilityOf([7], 'relchange')).toBeNull();
  });

  it('from a previous norm of 0 is 0 when still 0 and 1 otherwise', () => {
    expect(volatilityOf([0, 0], 'relchange')).toBe(0);
    expect(volatilityOf([0, 5], 'relchange')).toBe(1);
  });
});

describe('volatilitiesUsed', () => {
  it('keeps known volatilities and fills each null with their mean', () => {
    expect(volatilitiesUsed([0.1, null, 0.4, null])).toEqual([0.1, 0.25, 0.4, 0.25]);
  });

  it('stays all null when none is known (the weights are then equal)', () => {
    expect(volatilitiesUsed([null, null])).toEqual([null, null]);
    expect(volatilitiesUsed([])).toEqual([]);
  });

  it('rejects a non-finite volatility', () => {
    expect(() => volatilitiesUsed([Number.NaN, null])).toThrow('volatility must be a finite number ≥ 0, got NaN');
  });
});

describe('inverseVolatilityWeights', () => {
  it('weighs by 1/(v + ε): v = 0.099, 0.399 give 10 : 2.5 = 0.8 / 0.2', () => {
    const weights = inverseVolatilityWeights([0.099, 0.399], cfg);

    expect(weights[0]).toBeCloseTo(0.8, 12);
    expect(weights[1]).toBeCloseTo(0.2, 12);
  });

  it('fills a null volatility with the mean of the known ones (0.249 → 1/0.25 = 4)', () => {
    // 10 : 4 : 2.5 over 16.5 = 20/33, 8/33, 5/33
    const weights = inverseVolatilityWeights([0.099, null, 0.399], cfg);

    expect(weights[0]).toBeCloseTo(20 / 33, 12);
    expect(weights[1]).toBeCloseTo(8 / 33, 12);
    expect(weights[2]).toBeCloseTo(5 / 33, 12);
  });

  it('gives equal weights when no node has enough history', () => {
    expect(inverseVolatilityWeights([null, null, null], cfg)).toEqual([1 / 3, 1 / 3, 1 / 3]);
  });

  it('gives equal finite weights when every volatility is 0 (ε avoids 1/0)', () => {
    expect(inverseVolatilityWeights([0, 0], cfg)).toEqual([0.5, 0.5]);
  });

  it('weights sum to 1 within 1e-9 and are finite', () => {
    const weights = inverseVolatilityWeights([0, 0.013, 0.7, null, 2.5, 0.0001, 11], cfg);

    expect(Math.abs(sum(weights) - 1)).toBeLessThan(1e-9);
    expect(weights.every(Number.isFinite)).toBe(true);
  });

  it('applies maxWeight: 0.8 / 0.2 capped at 0.6 gives 0.6 / 0.4', () => {
    const weights = inverseVolatilityWeights([0.099, 0.399], { ...cfg, maxWeight: 0.6 });

    expect(weights[0]).toBeCloseTo(0.6, 12);
    expect(weights[1]).toBeCloseTo(0.4, 12);
  });

  it('returns no weights for no participants', () => {
    expect(inverseVolatilityWeights([], cfg)).toEqual([]);
  });

  it('rejects a negative volatility', () => {
    expect(() => inverseVolatilityWeights([-0.1, 0.2], cfg)).toThrow(RangeError);
  });
});

describe('capWeights', () => {
  it('[0.7, 0.2, 0.1] capped at 0.5 gives the excess 0.2 to the others 2 : 1', () => {
    const weights = capWeights([0.7, 0.2, 0.1], 0.5);

    expect(weights[0]).toBe(0.5);
    expect(weights[1]).toBeCloseTo(1 / 3, 12);
    expect(weights[2]).toBeCloseTo(1 / 6, 12);
  });

  it('repeats until no share exceeds the cap', () => {
    // pass 1 caps 0.6 → 0.3 becomes 0.4875 > 0.35; pass 2 caps it → the two 0.05 get 0.15 each
    const weights = capWeights([0.6, 0.3, 0.05, 0.05], 0.35);

    expect(weights[0]).toBe(0.35);
    expect(weights[1]).toBe(0.35);
    expect(weights[2]).toBeCloseTo(0.15, 12);
    expect(weights[3]).toBeCloseTo(0.15, 12);
  });

  it('leaves weights under the cap alone', () => {
    expect(capWeights([0.5, 0.3, 0.2], 0.5)).toEqual([0.5, 0.3, 0.2]);
  });

  it('falls back to equal weights when the cap is infeasible (maxWeight · n < 1)', () => {
    expect(capWeights([0.7, 0.2, 0.1], 0.2)).toEqual([1 / 3, 1 / 3, 1 / 3]);
  });
});
