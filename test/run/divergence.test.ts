import { describe, expect, it } from 'vitest';
import { keptRounds } from '../../src/run/divergence.js';

describe('the rounds a diverged run keeps, in words', () => {
  it('says no round, one round, or a range', () => {
    expect(keptRounds(1, 'the views')).toBe('no round finished before it');
    expect(keptRounds(2, 'the views')).toBe('round 1 is kept in the views');
    expect(keptRounds(10, 'the tables and output files')).toBe('rounds 1–9 are kept in the tables and output files');
  });
});
