import { describe, expect, it } from 'vitest';
import { eff, listOf, ms, num, numMin, share } from '../../src/explain/format.js';

describe('explain number formats', () => {
  it('num rounds to the decimals and drops trailing zeros', () => {
    expect(num(28.4444, 2)).toBe('28.44');
    expect(num(4, 2)).toBe('4');
    expect(num(1164.8, 3)).toBe('1164.8');
    expect(num(-0.0001, 3)).toBe('0');
  });

  it('numMin keeps at least the minimum decimals', () => {
    expect(numMin(0.8, 2, 4)).toBe('0.80');
    expect(numMin(1, 2, 4)).toBe('1.00');
    expect(numMin(5 / 6, 2, 4)).toBe('0.8333');
  });

  it('efficiency shows 2 to 4 decimals; ms carries its unit and keeps tiny values visible', () => {
    expect(eff(0.45)).toBe('0.45');
    expect(ms(412.3)).toBe('412.3 ms');
    expect(ms(0.00048)).toBe('0.00048 ms');
    expect(ms(0)).toBe('0 ms');
  });

  it('a weight shows 4 decimals, and a tiny non-zero one 2 significant digits rather than 0', () => {
    expect(share(0.25)).toBe('0.25');
    expect(share(1 / 3)).toBe('0.3333');
    expect(share(0.00005)).toBe('0.0001');
    expect(share(2.0468e-5)).toBe('0.00002');
    expect(share(59.4634 / 2905183.9453)).toBe('0.00002');
    expect(share(7.63e-6)).toBe('0.0000076');
    expect(share(3.1e-9)).toBe('3.1e-9');
    expect(share(0)).toBe('0');
  });

  it('a long list keeps its first three values, the last and the count', () => {
    expect(listOf(['1', '2', '3'])).toBe('1, 2, 3');
    expect(listOf(['1', '2', '3', '4', '5', '6', '7', '8', '9'])).toBe('1, 2, 3, … 9 (9 values)');
  });
});
