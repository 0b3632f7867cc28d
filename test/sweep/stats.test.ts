import { describe, expect, it } from 'vitest';
import { meanCi } from '../../src/sweep/stats.js';

describe('meanCi', () => {
  it('[1, 2, 3]: mean 2, s = 1, half-width t(0.975, 2) · 1/√3 = 4.302653 / 1.732051 = 2.484138', () => {
    const ci = meanCi([1, 2, 3]);
    expect(ci.n).toBe(3);
    expect(ci.mean).toBe(2);
    expect(ci.halfWidth).toBeCloseTo(2.484138, 6);
  });

  it('identical values have a zero-width interval', () => {
    expect(meanCi([0.5, 0.5, 0.5, 0.5])).toEqual({ n: 4, mean: 0.5, halfWidth: 0 });
  });

  it('one value has a mean but no interval; none has neither', () => {
    expect(meanCi([7])).toEqual({ n: 1, mean: 7, halfWidth: null });
    expect(meanCi([])).toEqual({ n: 0, mean: null, halfWidth: null });
  });
});
