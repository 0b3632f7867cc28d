import { describe, expect, it } from 'vitest';
import { DEFAULT_TOLERANCES, parseTolerances, withinTolerance } from '../../src/golden/tolerances.js';
import { thrown } from '../helpers/thrown.js';

describe('parseTolerances', () => {
  it('overrides the named fields and keeps the defaults of the others', () => {
    const tolerances = parseTolerances('accuracy=0.01, weight=1e-6');
    expect(tolerances).toEqual({ ...DEFAULT_TOLERANCES, accuracy: 0.01, weight: 1e-6 });
  });

  it('accumulates on a previous setting (repeated --tolerance flags)', () => {
    expect(parseTolerances('loss=0.5', parseTolerances('accuracy=0.01'))).toMatchObject({ loss: 0.5, accuracy: 0.01 });
  });

  it('an unknown field is a usage error (exit 2) with a suggestion', () => {
    const error = thrown(() => parseTolerances('acuracy=0.1'));
    expect(error.exitCode).toBe(2);
    expect(error.message).toBe("--tolerance unknown field 'acuracy' — did you mean accuracy?");
  });

  it('an exactly-compared field says so', () => {
    expect(thrown(() => parseTolerances('batch=1')).message).toBe("--tolerance unknown field 'batch' (batch is compared exactly)");
  });

  it('a negative, non-numeric or missing value is a usage error', () => {
    expect(thrown(() => parseTolerances('loss=-1')).message).toBe("--tolerance loss must be a number ≥ 0, found '-1'");
    expect(thrown(() => parseTolerances('loss=abc')).message).toBe("--tolerance loss must be a number ≥ 0, found 'abc'");
    expect(thrown(() => parseTolerances('loss')).message).toBe("--tolerance expects field=value, found 'loss'");
    expect(thrown(() => parseTolerances('')).exitCode).toBe(2);
  });
});

describe('withinTolerance', () => {
  it('is absolute up to 1: |0.5 − 0.501| = 0.001 passes at 0.001, fails at 0.0009', () => {
    expect(withinTolerance(0.501, 0.5, 0.001 + 1e-15)).toBe(true);
    expect(withinTolerance(0.501, 0.5, 0.0009)).toBe(false);
  });

  it('is relative above 1: 1000 vs 1001 passes at 1e-3 (1e-3 · 1000 = 1)', () => {
    expect(withinTolerance(1001, 1000, 1e-3)).toBe(true);
    expect(withinTolerance(1001.5, 1000, 1e-3)).toBe(false);
  });

  it('null equals only null; a number never equals null', () => {
    expect(withinTolerance(null, null, 0)).toBe(true);
    expect(withinTolerance(0, null, 1)).toBe(false);
    expect(withinTolerance(null, 0, 1)).toBe(false);
  });

  it('a tolerance of 0 demands equality', () => {
    expect(withinTolerance(0.1, 0.1, 0)).toBe(true);
    expect(withinTolerance(0.1 + 0.2, 0.3, 0)).toBe(false); // 0.30000000000000004
  });
});
