import { describe, expect, it } from 'vitest';
import { finestGridMs, isAddressableTimeMs, MAX_GRID_SLOTS, shortNumber } from '../../src/sim/latency/time-range.js';

describe('isAddressableTimeMs', () => {
  it('accepts finite times whose slot is at most 2^50, refuses the rest', () => {
    expect(isAddressableTimeMs(0, 100)).toBe(true);
    expect(isAddressableTimeMs(-2000, 100)).toBe(true);
    expect(isAddressableTimeMs(MAX_GRID_SLOTS * 100, 100)).toBe(true);
    expect(isAddressableTimeMs(MAX_GRID_SLOTS * 100 * 2, 100)).toBe(false);
    expect(isAddressableTimeMs(1e300, 100)).toBe(false);
    expect(isAddressableTimeMs(Infinity, 100)).toBe(false);
    expect(isAddressableTimeMs(Number.NaN, 100)).toBe(false);
  });

  it('the finest grid is the smaller of the S1 interval and the latency resolution', () => {
    expect(finestGridMs(100, 10)).toBe(10);
    expect(finestGridMs(50, 100)).toBe(50);
  });
});

describe('shortNumber', () => {
  it('4 significant digits, exponent form for very large or small values', () => {
    expect([12.3456, 0, 4.508e16, 1.0399999999999998e301, 2e6, 1e-5, Infinity, Number.NaN].map(shortNumber))
      .toEqual(['12.35', '0', '4.508e+16', '1.04e+301', '2e+6', '1e-5', 'Infinity', 'NaN']);
  });
});
