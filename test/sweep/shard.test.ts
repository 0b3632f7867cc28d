import { describe, expect, it } from 'vitest';
import { DtrainError } from '../../src/errors.js';
import { inShard, parseShard } from '../../src/sweep/shard.js';

describe('parseShard', () => {
  it('reads i/n with 1 ≤ i ≤ n', () => {
    expect(parseShard('1/4')).toEqual({ index: 1, count: 4 });
    expect(parseShard('4/4')).toEqual({ index: 4, count: 4 });
    expect(parseShard('1/1')).toEqual({ index: 1, count: 1 });
  });

  for (const bad of ['3/2', '0/2', 'a/b', '1/0', '2', '-1/2', '1.5/2', '', ' 4 / 4 ', '0x1/2']) {
    it(`'${bad}' is a usage error (exit 2)`, () => {
      expect(() => parseShard(bad)).toThrowError(DtrainError);
      try {
        parseShard(bad);
      } catch (error) {
        expect((error as DtrainError).exitCode).toBe(2);
        expect((error as DtrainError).message).toBe(`--shard must be i/n with whole numbers 1 ≤ i ≤ n, found '${bad}'`);
      }
    });
  }
});

describe('inShard', () => {
  it('round-robin: the shards of 10 runs over 3 are disjoint and cover the grid', () => {
    const slices = [1, 2, 3].map((index) => Array.from({ length: 10 }, (_, i) => i).filter((i) => inShard(i, { index, count: 3 })));
    expect(slices).toEqual([[0, 3, 6, 9], [1, 4, 7], [2, 5, 8]]);
  });

  it('no shard: every run', () => {
    expect([0, 1, 2].every((i) => inShard(i, null))).toBe(true);
  });
});
