import { describe, expect, it } from 'vitest';
import { eff, listOf, ms, num, numMin } from '../../src/explain/format.js';

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

  it('a long list keeps its first three values, the last and the count', () => {
    expect(listOf(['1', '2', '3'])).toBe('1, 2, 3');
    expect(listOf(['1', '2', '3', '4', '5', '6', '7', '8', '9'])).toBe('1, 2, 3, … 9 (9 values)');
  });
});
