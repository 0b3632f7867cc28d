import { describe, expect, test } from 'vitest';
import { AleaStream, gaussianFrom, gaussianStream, hashString, makeBulkRng, makeRng, shuffleInPlace, slotUniform, streamKey } from '../../src/sim/rng.js';

function draws(rng: () => number, count: number): number[] {
  return Array.from({ length: count }, () => rng());
}

describe('makeRng', () => {
  test('the same seed and stream name give the same sequence', () => {
    expect(draws(makeRng(7, 'latency', 'a'), 20)).toEqual(draws(makeRng(7, 'latency', 'a'), 20));
  });

  test('different stream names or seeds give different sequences', () => {
    const base = draws(makeRng(7, 'latency', 'a'), 20);
    expect(draws(makeRng(7, 'latency', 'b'), 20)).not.toEqual(base);
    expect(draws(makeRng(7, 'data'), 20)).not.toEqual(base);
    expect(draws(makeRng(8, 'latency', 'a'), 20)).not.toEqual(base);
  });

  test('the stream name is `<seed>/<part>/…`, so numbers and strings name the same stream', () => {
    expect(draws(makeRng(7, 'node', 3), 5)).toEqual(draws(makeRng('7', 'node', '3'), 5));
  });
});

describe('shuffleInPlace', () => {
  test('permutes the items deterministically for a given stream', () => {
    // Arrange
    const a = Array.from({ length: 50 }, (_, i) => i);
    const b = [...a];
    // Act
    shuffleInPlace(a, makeRng(1, 'shuffle'));
    shuffleInPlace(b, makeRng(1, 'shuffle'));
    // Assert
    expect(a).toEqual(b);
    expect([...a].sort((x, y) => x - y)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    expect(a).not.toEqual(Array.from({ length: 50 }, (_, i) => i));
  });
});

describe('slotUniform', () => {
  const key = streamKey(7, 'latency', 'a');

  test('lies in [0, 1) for positive, zero and negative slots and several draws', () => {
    for (let slot = -5_000; slot < 5_000; slot++) {
      for (let draw = 0; draw < 3; draw++) {
        const u = slotUniform(key, slot, draw);
        expect(u).toBeGreaterThanOrEqual(0);
        expect(u).toBeLessThan(1);
      }
    }
  });

  test('depends only on (key, slot, draw): same arguments, same value, in any order', () => {
    const forwards = Array.from({ length: 100 }, (_, i) => slotUniform(key, i - 50, 1));
    const backwards = Array.from({ length: 100 }, (_, i) => slotUniform(key, 49 - i, 1)).reverse();
    expect(backwards).toEqual(forwards);
    expect(slotUniform(key, 12)).toBe(slotUniform(key, 12, 0));
  });

  test('different keys, slots and draws give different values', () => {
    const other = streamKey(7, 'latency', 'b');
    expect(slotUniform(key, 3, 0)).not.toBe(slotUniform(other, 3, 0));
    expect(slotUniform(key, 3, 0)).not.toBe(slotUniform(key, 4, 0));
    expect(slotUniform(key, 3, 0)).not.toBe(slotUniform(key, 3, 1));
  });

  test('is roughly uniform: mean ≈ 0.5, variance ≈ 1/12, every tenth about equally full over 100k draws', () => {
    // Arrange
    const count = 100_000;
    const deciles = new Array<number>(10).fill(0);
    let sum = 0;
    let sumSquares = 0;
    // Act
    for (let slot = 0; slot < count; slot++) {
      const u = slotUniform(key, slot - 50_000, 0);
      sum += u;
      sumSquares += u * u;
      deciles[Math.floor(u * 10)]!++;
    }
    const mean = sum / count;
    // Assert: standard error of the mean ≈ 0.0009; of a decile count ≈ 95
    expect(Math.abs(mean - 0.5)).toBeLessThan(0.005);
    expect(Math.abs(sumSquares / count - mean * mean - 1 / 12)).toBeLessThan(0.002);
    for (const n of deciles) expect(Math.abs(n - count / 10)).toBeLessThan(600);
  });

  test('consecutive slots and draw indices are uncorrelated', () => {
    // Arrange
    const count = 100_000;
    let lagProduct = 0;
    let drawProduct = 0;
    // Act
    for (let slot = 0; slot < count; slot++) {
      const u = slotUniform(key, slot, 0) - 0.5;
      lagProduct += u * (slotUniform(key, slot + 1, 0) - 0.5);
      drawProduct += u * (slotUniform(key, slot, 1) - 0.5);
    }
    // Assert: correlation = 12 · mean product; its standard error ≈ 0.003
    expect(Math.abs((12 * lagProduct) / count)).toBeLessThan(0.015);
    expect(Math.abs((12 * drawProduct) / count)).toBeLessThan(0.015);
  });
});

describe('streamKey and hashString', () => {
  test('streamKey is the hash of the `<seed>/<part>/…` name', () => {
    expect(streamKey(7, 'latency', 'a')).toBe(hashString('7/latency/a'));
    expect(streamKey(7, 'latency', 'a')).not.toBe(streamKey(7, 'latency', 'b'));
  });

  test('hashString is an unsigned 32-bit integer', () => {
    for (const text of ['', 'a', '7/latency/node-1000', 'é/漢字']) {
      const h = hashString(text);
      expect(Number.isInteger(h)).toBe(true);
      expect(h).toBeGreaterThanOrEqual(0);
      expect(h).toBeLessThan(2 ** 32);
    }
  });
});

describe('gaussianFrom', () => {
  test('is finite at the edges of [0, 1) and follows Box–Muller', () => {
    expect(Number.isFinite(gaussianFrom(0, 0))).toBe(true);
    expect(Number.isFinite(gaussianFrom(1 - 2 ** -53, 0.5))).toBe(true);
    // u1 = 1 − e^(−1/2) → √(−2 ln e^(−1/2)) = 1; u2 = 0 → cos 0 = 1
    expect(gaussianFrom(1 - Math.exp(-0.5), 0)).toBeCloseTo(1, 12);
    expect(gaussianFrom(1 - Math.exp(-0.5), 0.5)).toBeCloseTo(-1, 12);
  });
});

/** `out` filled from the stream of normals, in order. */
function fillGaussian(out: Float64Array, rng: () => number): void {
  const next = gaussianStream(rng);
  for (let i = 0; i < out.length; i++) out[i] = next();
}

describe('bulk gaussian draws', () => {
  test('fillGaussian uses both Box–Muller branches of each uniform pair', () => {
    // Arrange: a stream that returns u1 = 1 − e^(−1/2) (radius 1) then u2 = 1/4 (angle π/2).
    const draws = [1 - Math.exp(-0.5), 0.25];
    let next = 0;
    const out = new Float64Array(3);
    // Act
    fillGaussian(out, () => draws[next++ % 2]!);
    // Assert: cos(π/2) = 0, sin(π/2) = 1, then the odd tail takes only the cosine.
    expect(out[0]).toBeCloseTo(0, 12);
    expect(out[1]).toBeCloseTo(1, 12);
    expect(out[2]).toBeCloseTo(0, 12);
    expect(next).toBe(4);
  });

  test('a named Alea stream is reproducible and standard normal in bulk', () => {
    const a = new Float64Array(100_000);
    const b = new Float64Array(100_000);
    fillGaussian(a, makeBulkRng(7, 'data', 'blobs'));
    fillGaussian(b, makeBulkRng(7, 'data', 'blobs'));
    expect(b).toEqual(a);
    const mean = a.reduce((s, x) => s + x, 0) / a.length;
    const variance = a.reduce((s, x) => s + (x - mean) ** 2, 0) / a.length;
    expect(Math.abs(mean)).toBeLessThan(0.02);
    expect(Math.abs(variance - 1)).toBeLessThan(0.02);
  });
});

describe('AleaStream', () => {
  test('draws what seedrandom\'s Alea (makeBulkRng) draws, bit for bit, for every stream name', () => {
    for (const [seed, ...path] of [[1, 'data', 'batches', 'rack-0'], [42, 'data', 'batches', 'wan-16383'], ['x', 'é', 7], [0], [-3.5, 'node-\u{1F600}', 'x'.repeat(500)]] as Array<[number | string, ...Array<string | number>]>) {
      const reference = makeBulkRng(seed, ...path);
      const stream = new AleaStream(seed, ...path);
      const expected = Array.from({ length: 10_000 }, () => reference());
      const drawn = Array.from({ length: 10_000 }, () => stream.next());
      expect(drawn).toEqual(expected);
    }
  });
});
