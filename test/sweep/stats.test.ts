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

  it('figures up to 1e300 neither overflow nor lose the interval: the same answer as the figures scaled down', () => {
    expect(meanCi([1e300, 1e300])).toEqual({ n: 2, mean: 1e300, halfWidth: 0 });
    const huge = meanCi([1e300, 0, 3e299]);
    const small = meanCi([1, 0, 0.3]);
    expect(huge.mean! / 1e300).toBeCloseTo(small.mean!, 14);
    expect(huge.halfWidth! / 1e300).toBeCloseTo(small.halfWidth!, 14);
    // two seeds as far apart as a record may be: t(0.975, 1) · (1e300 / √2) / √2
    expect(meanCi([1e300, 0]).halfWidth! / 1e300).toBeCloseTo(12.706204736174707 / 2, 12);
  });
});
