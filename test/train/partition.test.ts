import { describe, expect, it } from 'vitest';
import { makeRng, shuffleInPlace } from '../../src/sim/rng.js';
import { apportion, fillEmptyParts, indicesByLabel, partitionIndices, sampleDirichlet } from '../../src/train/partition.js';

/** 100 samples, 10 per class for 10 classes, labels interleaved 0,1,…,9,0,1,… */
const LABELS = Int32Array.from({ length: 100 }, (_, i) => i % 10);

function classesOf(indices: Int32Array): Set<number> {
  return new Set(Array.from(indices, (i) => LABELS[i]!));
}

function expectDisjointCover(parts: Int32Array[], n: number): void {
  const all = parts.flatMap((p) => Array.from(p)).sort((a, b) => a - b);
  expect(all).toEqual(Array.from({ length: n }, (_, i) => i));
}

describe('apportion', () => {
  it('splits by largest remainder, ties to the lower index', () => {
    expect(apportion(10, [1, 1, 1])).toEqual([4, 3, 3]);
    expect(apportion(10, [1, 2, 2])).toEqual([2, 4, 4]);
    // quotas 3.5, 1.75, 1.75 → floors 3, 1, 1; the 2 left go to the remainders .75, .75
    expect(apportion(7, [0.5, 0.25, 0.25])).toEqual([3, 2, 2]);
  });

  it('splits equally when every weight is 0', () => {
    expect(apportion(4, [0, 0])).toEqual([2, 2]);
  });

  it('gives what sorting every index by remainder gives, for weights with many equal remainders', () => {
    const bySort = (total: number, weights: number[]): number[] => {
      const sum = weights.reduce((a, w) => a + w, 0);
      const quotas = weights.map((w) => (sum > 0 ? w / sum : 1 / weights.length) * total);
      const counts = quotas.map((q) => Math.floor(q));
      const left = total - counts.reduce((a, c) => a + c, 0);
      const order = quotas.map((_, i) => i).sort((a, b) => (quotas[b]! - counts[b]!) - (quotas[a]! - counts[a]!) || a - b);
      for (let r = 0; r < left; r++) counts[order[r % order.length]!]! += 1;
      return counts;
    };
    const rng = makeRng(11, 'apportion');
    for (let trial = 0; trial < 300; trial++) {
      const size = 1 + Math.floor(rng() * 40);
      // a few distinct weights, so that remainders tie often; zeros among them
      const palette = [0, 1, 2, 3, 0.5, rng(), rng() * 7];
      const weights = Array.from({ length: size }, () => palette[Math.floor(rng() * palette.length)]!);
      const total = Math.floor(rng() * 200);
      expect(apportion(total, weights)).toEqual(bySort(total, weights));
    }
  });
});

describe('partitionIndices — iid', () => {
  it('gives each node a share ∝ dataShare, disjoint and covering', () => {
    // Act
    const parts = partitionIndices(LABELS, 10, [1, 2, 1], { kind: 'iid' }, 5);
    // Assert
    expect(parts.map((p) => p.length)).toEqual([25, 50, 25]);
    expectDisjointCover(parts, 100);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const a = partitionIndices(LABELS, 10, [1, 1], { kind: 'iid' }, 5);
    expect(partitionIndices(LABELS, 10, [1, 1], { kind: 'iid' }, 5)).toEqual(a);
    expect(partitionIndices(LABELS, 10, [1, 1], { kind: 'iid' }, 6)).not.toEqual(a);
  });

  it('returns each node\'s indices in ascending order', () => {
    const [first] = partitionIndices(LABELS, 10, [1, 1], { kind: 'iid' }, 5);
    expect(Array.from(first!)).toEqual(Array.from(first!).sort((a, b) => a - b));
  });

  it('gives every node at least one sample even with a tiny share', () => {
    const parts = partitionIndices(LABELS, 10, [1000, 1], { kind: 'iid' }, 5);
    expect(parts.map((p) => p.length)).toEqual([99, 1]);
    expectDisjointCover(parts, 100);
  });

  it('shares samples round-robin when there are fewer samples than nodes', () => {
    const parts = partitionIndices(Int32Array.of(0, 1), 2, [1, 1, 1, 1, 1], { kind: 'iid' }, 5);
    expect(parts.map((p) => Array.from(p))).toEqual([[0], [1], [0], [1], [0]]);
  });
});

describe('partitionIndices — dirichlet', () => {
  it('is deterministic for a seed, disjoint and covering', () => {
    const a = partitionIndices(LABELS, 10, [1, 1, 1, 1], { kind: 'dirichlet', alpha: 0.5 }, 3);
    expect(partitionIndices(LABELS, 10, [1, 1, 1, 1], { kind: 'dirichlet', alpha: 0.5 }, 3)).toEqual(a);
    expectDisjointCover(a, 100);
  });

  it('skews labels for small α: nodes see far fewer classes than with large α', () => {
    // Arrange
    const count = (alpha: number): number => partitionIndices(LABELS, 10, [1, 1, 1, 1, 1], { kind: 'dirichlet', alpha }, 8)
      .reduce((sum, p) => sum + classesOf(p).size, 0);
    // Act / Assert: α = 100 is close to iid (every node sees nearly all 10 classes)
    expect(count(100)).toBeGreaterThanOrEqual(45);
    expect(count(0.05)).toBeLessThanOrEqual(25);
  });

  it('gives every node at least one sample even when α is tiny', () => {
    const parts = partitionIndices(LABELS, 10, new Array(20).fill(1), { kind: 'dirichlet', alpha: 0.01 }, 2);
    expect(parts.every((p) => p.length >= 1)).toBe(true);
    expectDisjointCover(parts, 100);
  });

  it('draws Dirichlet proportions that sum to 1 without underflow for tiny α', () => {
    const p = sampleDirichlet(0.001, 5, makeRng(1, 'test'));
    expect(p.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
    expect(p.every((x) => Number.isFinite(x) && x >= 0)).toBe(true);
  });

  it('gives Dirichlet proportions with mean 1/size (α = 2, 2000 draws)', () => {
    const rng = makeRng(1, 'test');
    const mean = [0, 0, 0, 0];
    for (let d = 0; d < 2000; d++) sampleDirichlet(2, 4, rng).forEach((x, i) => { mean[i]! += x / 2000; });
    for (const m of mean) expect(m).toBeCloseTo(0.25, 1);
  });
});

describe('partitionIndices — shards', () => {
  it('gives each node at most k labels when shards hold one class each', () => {
    // 5 nodes · 2 shards = 10 shards of 10 samples; sorted by label each shard is one class
    const parts = partitionIndices(LABELS, 10, [1, 1, 1, 1, 1], { kind: 'shards', shards: 2 }, 4);
    for (const part of parts) {
      expect(part.length).toBe(20);
      expect(classesOf(part).size).toBeLessThanOrEqual(2);
    }
    expectDisjointCover(parts, 100);
  });

  it('gives each node at most 3 labels per shard when 17-sample shards straddle 10-sample classes', () => {
    // 3 nodes · 2 shards = 6 shards of 17/17/17/17/16/16 samples; 17 consecutive samples of
    // label-sorted data touch at most 3 classes of 10
    const parts = partitionIndices(LABELS, 10, [1, 1, 1], { kind: 'shards', shards: 2 }, 4);
    for (const part of parts) expect(classesOf(part).size).toBeLessThanOrEqual(2 * 3);
    expectDisjointCover(parts, 100);
  });

  it('deals what cutting the label-sorted samples into shard arrays deals', () => {
    // the definition: sort by label, cut into equal shards, shuffle the shard ids, cut those by share
    const byDefinition = (labels: Int32Array, k: number, shares: number[], seed: number): Int32Array[] => {
      const cutInto = (items: number[], sizes: number[]): number[][] => {
        let start = 0;
        return sizes.map((size) => items.slice(start, (start += size)));
      };
      const sorted = Array.from({ length: labels.length }, (_, i) => i).sort((a, b) => labels[a]! - labels[b]!);
      const shards = cutInto(sorted, apportion(sorted.length, new Array<number>(shares.length * k).fill(1)));
      const dealt = Array.from({ length: shares.length * k }, (_, i) => i);
      shuffleInPlace(dealt, makeRng(seed, 'data', 'partition'));
      const parts = cutInto(dealt, apportion(dealt.length, shares)).map((ids) => ids.flatMap((id) => shards[id]!));
      fillEmptyParts(parts);
      return parts.map((part) => Int32Array.from(part).sort());
    };
    const rng = makeRng(8, 'shards');
    for (let trial = 0; trial < 40; trial++) {
      const classes = 1 + Math.floor(rng() * 6);
      const labels = Int32Array.from({ length: 30 + Math.floor(rng() * 400) }, () => Math.floor(rng() * classes));
      const shares = Array.from({ length: 1 + Math.floor(rng() * 30) }, () => [1, 2, 0.5][Math.floor(rng() * 3)]!);
      const k = 1 + Math.floor(rng() * 3);
      expect(partitionIndices(labels, classes, shares, { kind: 'shards', shards: k }, trial)).toEqual(byDefinition(labels, k, shares, trial));
    }
  });

  it('deals shards ∝ dataShare', () => {
    const parts = partitionIndices(LABELS, 10, [3, 1], { kind: 'shards', shards: 2 }, 4);
    // 4 shards of 25; node 0 gets 3 of them
    expect(parts.map((p) => p.length)).toEqual([75, 25]);
  });
});

/** The definition: for each empty node in order, scan every node for the first largest. */
function fillByScan(parts: number[][]): void {
  for (const part of parts) {
    if (part.length > 0) continue;
    let donor = parts[0]!;
    for (const other of parts) if (other.length > donor.length) donor = other;
    part.push(donor.pop()!);
  }
}

describe('indicesByLabel', () => {
  it('orders the indices by label, ascending within a label, as a stable sort does', () => {
    expect(indicesByLabel(Int32Array.of(2, 0, 1, 0, 2, 1), 3)).toEqual([1, 3, 2, 5, 0, 4]);
    // a class with no sample
    expect(indicesByLabel(Int32Array.of(3, 0, 3), 4)).toEqual([1, 0, 2]);
    const rng = makeRng(5, 'labels');
    const labels = Int32Array.from({ length: 5000 }, () => Math.floor(rng() * 7));
    expect(indicesByLabel(labels, 7)).toEqual(Array.from({ length: labels.length }, (_, i) => i).sort((a, b) => labels[a]! - labels[b]!));
  });
});

describe('fillEmptyParts', () => {
  it('gives each empty node, in order, the last sample of the first largest node', () => {
    const parts = [[], [0, 1, 2], [3], [], [4, 5, 6], [], [7, 8]];
    fillEmptyParts(parts);
    // node 0 from node 1 (3 samples, before node 4), node 3 from node 4, node 5 from node 1 (2 samples, before node 4 and 6)
    expect(parts).toEqual([[2], [0], [3], [6], [4, 5], [1], [7, 8]]);
  });

  it('moves what scanning every node moves, for many empty nodes and ties', () => {
    const rng = makeRng(3, 'fill');
    for (let trial = 0; trial < 200; trial++) {
      const nodes = 1 + Math.floor(rng() * 60);
      let next = 0;
      const sizes = Array.from({ length: nodes }, () => (rng() < 0.6 ? 0 : Math.floor(rng() * 6)));
      // at least as many samples as nodes, as partitionIndices guarantees before filling
      while (sizes.reduce((a, b) => a + b, 0) < nodes) sizes[Math.floor(rng() * nodes)]! += 1;
      const parts = sizes.map((size) => Array.from({ length: size }, () => next++));
      const expected = parts.map((part) => [...part]);
      fillByScan(expected);
      fillEmptyParts(parts);
      expect(parts).toEqual(expected);
    }
  });
});

describe('large partitions', () => {
  it('a 400k-sample Dirichlet split does not overflow the stack (a node gets most of a 200k-sample class)', () => {
    const n = 400_000;
    const labels = Int32Array.from({ length: n }, (_, i) => i % 2);
    const shares = [1, 1, 1];
    const parts = partitionIndices(labels, 2, shares, { kind: 'dirichlet', alpha: 0.05 }, 7);
    expect(parts).toHaveLength(shares.length);
    expect(Math.max(parts[0]!.length, parts[1]!.length, parts[2]!.length)).toBeGreaterThan(150_000);
    expectDisjointCover(parts, n);
  });

  it('sampleDirichlet over 200k categories sums to 1', () => {
    const p = sampleDirichlet(1, 200_000, makeRng(1, 'test'));
    expect(p).toHaveLength(200_000);
    expect(p.reduce((a, x) => a + x, 0)).toBeCloseTo(1, 9);
  });
});

