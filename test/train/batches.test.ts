import { describe, expect, it } from 'vitest';
import { makeBulkRng, shuffleInPlace } from '../../src/sim/rng.js';
import { BatchCursor, cursorsOver, drawBatchIndices } from '../../src/train/batches.js';

const SHARD = Int32Array.of(10, 11, 12, 13, 14);

describe('BatchCursor', () => {
  it('visits every sample of the shard once per pass', () => {
    // Arrange
    const cursor = new BatchCursor(SHARD, 1, 'a');
    // Act
    const pass = [...cursor.next(2), ...cursor.next(2), ...cursor.next(1)];
    // Assert
    expect(pass.sort((x, y) => x - y)).toEqual([10, 11, 12, 13, 14]);
  });

  it('wraps a batch larger than the shard into the next pass (samples repeat)', () => {
    const batch = new BatchCursor(SHARD, 1, 'a').next(12);
    const counts = new Map<number, number>();
    for (const i of batch) counts.set(i, (counts.get(i) ?? 0) + 1);
    // 12 = two full passes (each sample twice) + 2 samples of a third pass
    expect([...counts.values()].sort()).toEqual([2, 2, 2, 3, 3]);
    expect([...batch.subarray(0, 5)].sort((x, y) => x - y)).toEqual([10, 11, 12, 13, 14]);
    expect([...batch.subarray(5, 10)].sort((x, y) => x - y)).toEqual([10, 11, 12, 13, 14]);
  });

  it('reshuffles at each pass (different order in the second pass)', () => {
    const cursor = new BatchCursor(Int32Array.from({ length: 20 }, (_, i) => i), 1, 'a');
    expect(Array.from(cursor.next(20))).not.toEqual(Array.from(cursor.next(20)));
  });

  it('is deterministic per (seed, node) and independent between nodes', () => {
    const a = new BatchCursor(SHARD, 1, 'a').nextSteps(3, 4);
    expect(new BatchCursor(SHARD, 1, 'a').nextSteps(3, 4)).toEqual(a);
    expect(new BatchCursor(SHARD, 1, 'b').nextSteps(3, 4)).not.toEqual(a);
  });

  it('returns one batch per local step', () => {
    const steps = new BatchCursor(SHARD, 1, 'a').nextSteps(2, 3);
    expect(steps.map((s) => s.length)).toEqual([2, 2, 2]);
  });

  it('continues where it stopped: two batches of 2 equal one batch of 4', () => {
    const split = new BatchCursor(SHARD, 4, 'n');
    const whole = new BatchCursor(SHARD, 4, 'n');
    expect([...split.next(2), ...split.next(2)]).toEqual([...whole.next(4)]);
  });

  it('fill draws what next draws, written at an offset into a shared array', () => {
    const drawn = new BatchCursor(SHARD, 1, 'a');
    const expected = [...drawn.next(3), ...drawn.next(4), ...drawn.next(0), ...drawn.next(6)];
    const filled = new BatchCursor(SHARD, 1, 'a');
    const out = new Int32Array(2 + 13).fill(-1);
    filled.fill(out, 2, 3);
    filled.fill(out, 5, 4);
    filled.fill(out, 9, 0);
    filled.fill(out, 9, 6);
    expect(Array.from(out)).toEqual([-1, -1, ...expected]);
  });

  it('orders a shard as shuffleInPlace with the node\'s seedrandom Alea stream does, pass after pass', () => {
    const shard = Int32Array.from({ length: 7 }, (_, i) => 100 + i);
    const order = Int32Array.from(shard);
    const rng = makeBulkRng(3, 'data', 'batches', 'edge-5');
    const expected: number[] = [];
    for (let pass = 0; pass < 50; pass++) {
      shuffleInPlace(order, rng);
      expected.push(...order);
    }
    expect(Array.from(new BatchCursor(shard, 3, 'edge-5').next(350))).toEqual(expected);
  });

  it('refuses an empty shard', () => {
    expect(() => new BatchCursor(new Int32Array(0), 1, 'a')).toThrow('node a has no training samples');
  });

  it('advance moves on as the draws would: at a pass boundary, inside a pass, across several passes, and by 0', () => {
    for (const counts of [[5, 3], [2, 4], [13, 7], [0, 6], [10, 0]]) {
      const drawing = new BatchCursor(SHARD, 2, 'k');
      drawing.next(counts[0]!);
      const advanced = new BatchCursor(SHARD, 2, 'k');
      advanced.advance(counts[0]!);
      expect(Array.from(advanced.next(counts[1]!))).toEqual(Array.from(drawing.next(counts[1]!)));
    }
  });
});

describe('cursors over sample ranges', () => {
  it('draws what cursors over the samples themselves draw, participant by participant and step by step', () => {
    const samples = [Int32Array.of(0, 1, 2), Int32Array.of(3, 4, 5, 6, 7), Int32Array.of(8, 9)];
    const ids = ['a', 'b', 'c'];
    const overRanges = cursorsOver({ first: Int32Array.of(0, 3, 8), count: Int32Array.of(3, 5, 2) }, ids, 5);
    const own = samples.map((shard, i) => new BatchCursor(shard, 5, ids[i]!));
    // nodes 0 and 2 take part with batches 4 and 3, two local steps each; node 1 does not
    const indices = drawBatchIndices([0, 2], [4, 9, 3], overRanges, 2);
    expect(Array.from(indices)).toEqual([...own[0]!.next(4), ...own[0]!.next(4), ...own[2]!.next(3), ...own[2]!.next(3)]);
    expect(indices.length).toBe(2 * (4 + 3));
    // node 1 drew nothing: its cursor is still at its first draw
    expect(Array.from(overRanges[1]!.next(5))).toEqual(Array.from(own[1]!.next(5)));
  });
});
