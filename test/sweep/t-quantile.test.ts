import tQuantile from '@stdlib/stats-base-dists-t-quantile';
import { describe, expect, it } from 'vitest';
import { meanCi } from '../../src/sweep/stats.js';

/**
 * The sweep's intervals take Student's t quantile from @stdlib instead of the hand-written
 * incomplete-beta inversion it replaced: the library must give the same two-sided 95 %
 * critical values (R: qt(0.975, df)) at the degrees of freedom a sweep uses (seeds − 1).
 */
describe('Student t quantile from @stdlib', () => {
  const table: Array<[number, number]> = [
    [1, 12.706204736], [2, 4.302652730], [3, 3.182446305], [4, 2.776445105], [5, 2.570581836],
    [9, 2.262157163], [10, 2.228138852], [19, 2.093024054], [29, 2.045229642], [30, 2.042272456], [99, 1.984216952],
  ];
  for (const [dof, expected] of table) {
    it(`t(0.975, ${dof}) = ${expected}`, () => {
      expect(tQuantile(0.975, dof)).toBeCloseTo(expected, 8);
    });
  }

  it('tends to the normal quantile 1.959964 for many degrees of freedom', () => {
    expect(tQuantile(0.975, 1e7)).toBeCloseTo(1.959964, 5);
  });

  it('is the quantile meanCi uses: 20 seeds, s = 1 → half-width t(0.975, 19) / √20 = 0.468014', () => {
    const values = Array.from({ length: 20 }, (_, i) => (i % 2 === 0 ? -1 : 1) * Math.sqrt(19 / 20));
    expect(meanCi(values).halfWidth).toBeCloseTo(2.093024054 / Math.sqrt(20), 9);
    expect(meanCi(values).halfWidth).toBeCloseTo(0.468014, 6);
  });
});
