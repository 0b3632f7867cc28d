import { describe, expect, it } from 'vitest';
import { incompleteBeta, studentTCdf, studentTQuantile } from '../../src/sweep/student-t.js';

describe('studentTQuantile', () => {
  // Reference values: the two-sided 95 % critical values of Student's t (R: qt(0.975, df)).
  const table: Array<[number, number]> = [
    [1, 12.706204736], [2, 4.302652730], [3, 3.182446305], [4, 2.776445105], [5, 2.570581836],
    [9, 2.262157163], [10, 2.228138852], [29, 2.045229642], [30, 2.042272456], [100, 1.983971519],
  ];
  for (const [dof, expected] of table) {
    it(`t(0.975, ${dof}) = ${expected}`, () => {
      expect(studentTQuantile(0.975, dof)).toBeCloseTo(expected, 8);
    });
  }

  it('tends to the normal quantile 1.959964 for many degrees of freedom', () => {
    expect(studentTQuantile(0.975, 1e7)).toBeCloseTo(1.959964, 5);
  });
});

describe('studentTCdf and incompleteBeta', () => {
  it('the t distribution is symmetric about 0', () => {
    expect(studentTCdf(0, 5)).toBeCloseTo(0.5, 12);
    expect(studentTCdf(-1.5, 7) + studentTCdf(1.5, 7)).toBeCloseTo(1, 12);
  });

  it('t with one degree of freedom is Cauchy: P(T ≤ 1) = 3/4', () => {
    expect(studentTCdf(1, 1)).toBeCloseTo(0.75, 12);
  });

  it('I_x(1, 1) = x and I_x(2, 1) = x²', () => {
    expect(incompleteBeta(0.3, 1, 1)).toBeCloseTo(0.3, 12);
    expect(incompleteBeta(0.3, 2, 1)).toBeCloseTo(0.09, 12);
  });
});
