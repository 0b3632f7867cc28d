import { describe, expect, it } from 'vitest';
import {
  chooseBatchSize, preliminaryBatch, roundHalfUp, S2_DEFAULTS, type S2Config,
} from '../../src/pipeline/s2-batch-size.js';

const floorCfg: S2Config = { ...S2_DEFAULTS, maxBatch: null }; // B = 64, floor, min 0
const ceilCfg: S2Config = { ...floorCfg, rounding: 'ceil' };
const roundCfg: S2Config = { ...floorCfg, rounding: 'round' };

describe('preliminaryBatch', () => {
  it('is B·e/(e+1): e = 0.75, B = 64 gives 48 / 1.75 = 27.428571…', () => {
    expect(preliminaryBatch(0.75, 64)).toBeCloseTo(27.428571428571, 10);
  });

  it('gives a perfect node exactly B/2', () => {
    expect(preliminaryBatch(1, 64)).toBe(32);
  });
});

describe('chooseBatchSize', () => {
  it('e = 0.6, B = 64: 38.4 / 1.6 = 24 exactly, whatever the rounding (float gives 23.999…996)', () => {
    expect(chooseBatchSize(0.6, floorCfg)).toBe(24);
    expect(chooseBatchSize(0.6, ceilCfg)).toBe(24);
    expect(chooseBatchSize(0.6, roundCfg)).toBe(24);
  });

  it('e = 0.75, B = 64 (27.43): floor 27, ceil 28, round 27', () => {
    expect(chooseBatchSize(0.75, floorCfg)).toBe(27);
    expect(chooseBatchSize(0.75, ceilCfg)).toBe(28);
    expect(chooseBatchSize(0.75, roundCfg)).toBe(27);
  });

  it('e = 0.5, B = 64 (21.33) is not snapped: floor 21, ceil 22', () => {
    expect(chooseBatchSize(0.5, floorCfg)).toBe(21);
    expect(chooseBatchSize(0.5, ceilCfg)).toBe(22);
  });

  it('e = 0 gives batch 0 (not dispatched)', () => {
    expect(chooseBatchSize(0, floorCfg)).toBe(0);
    expect(chooseBatchSize(0, ceilCfg)).toBe(0);
  });

  it('round is half up: B = 5, e = 1 gives 2.5 → 3 (floor gives 2)', () => {
    expect(chooseBatchSize(1, { ...roundCfg, standardBatch: 5 })).toBe(3);
    expect(chooseBatchSize(1, { ...floorCfg, standardBatch: 5 })).toBe(2);
  });

  it('clamps up to minBatch', () => {
    expect(chooseBatchSize(0, { ...floorCfg, minBatch: 8 })).toBe(8);
  });

  it('clamps down to maxBatch', () => {
    expect(chooseBatchSize(1, { ...floorCfg, maxBatch: 20 })).toBe(20);
  });

  it('maxBatch null means B, and the upper bound wins when minBatch exceeds it', () => {
    expect(chooseBatchSize(1, { ...floorCfg, minBatch: 100 })).toBe(64);
  });

  it('floor matches exact integer arithmetic for every e = c/K, K ≤ 20, B = 64', () => {
    for (let samples = 1; samples <= 20; samples += 1) {
      for (let effective = 0; effective <= samples; effective += 1) {
        // b' = 64·(c/K)/((c+K)/K) = 64c/(c+K); floor by integer division
        const numerator = 64 * effective;
        const denominator = effective + samples;
        const expected = (numerator - (numerator % denominator)) / denominator;

        expect(chooseBatchSize(effective / samples, floorCfg)).toBe(expected);
      }
    }
  });

  it('rejects an efficiency outside [0, 1]', () => {
    expect(() => chooseBatchSize(1.5, floorCfg)).toThrow(RangeError);
    expect(() => chooseBatchSize(Number.NaN, floorCfg)).toThrow(RangeError);
  });
});

describe('roundHalfUp', () => {
  it('rounds halves up, also for negatives', () => {
    expect(roundHalfUp(2.5)).toBe(3);
    expect(roundHalfUp(2.4)).toBe(2);
    expect(roundHalfUp(-2.5)).toBe(-2);
  });

  it('is exact just below one half, where floor(x + 0.5) would give 1', () => {
    expect(roundHalfUp(0.49999999999999994)).toBe(0);
  });
});
