import { describe, expect, it } from 'vitest';
import { byStartTime, fairRates, shareLink } from '../../src/sim/server-link.js';

const MB = 1_000_000; // 8 Mbit
const MBPS = 1e6;

describe('fairRates (progressive filling, ascending caps)', () => {
  it('10 and 20 Mbps keep their own bandwidth under a 100 Mbps link; the third gets the 70 left', () => {
    // bytes per ms: 10 Mbps = 1,250; 20 Mbps = 2,500; 70 Mbps = 8,750
    expect(fairRates([10 * MBPS, 20 * MBPS, 1000 * MBPS], 100 * MBPS)).toEqual([1250, 2500, 8750]);
  });

  it('three fast nodes share 90 Mbps equally', () => {
    expect(fairRates([1e9, 1e9, 1e9], 90 * MBPS)).toEqual([3750, 3750, 3750]);
  });
});

describe('shareLink: a 100 Mbps server link, 1 MB each, worked out on paper', () => {
  // A (10 Mbps) and B (20 Mbps) active from 0 ms, C (1 Gbps) from 300 ms.
  //   [0, 300)    A 10, B 20 (the link is not full)           → at 300: A has 5 Mbit left, B 2
  //   [300, 400)  A 10 and B 20 (their own caps), C 70 (the fair share of what is left)
  //               → B finishes at 300 + 2 Mbit / 20 Mbps = 400 ms; C has 8 − 7 = 1 Mbit left
  //   [400, …)    B's 20 Mbps are free: C gets 100 − 10 = 90 → finishes at 400 + 1/90 s
  //   A, at 10 Mbps throughout: 300 + 5 Mbit / 10 Mbps = 800 ms
  it('two capped by their own bandwidth, one by the fair share, one finishing early and freeing capacity', () => {
    const finish = shareLink([
      { startMs: 0, bytes: MB, capBps: 10 * MBPS },
      { startMs: 0, bytes: MB, capBps: 20 * MBPS },
      { startMs: 300, bytes: MB, capBps: 1000 * MBPS },
    ], 100 * MBPS);
    expect(finish[0]).toBeCloseTo(800, 9);
    expect(finish[1]).toBeCloseTo(400, 9);
    expect(finish[2]).toBeCloseTo(400 + 1000 / 90, 9);
  });

  it('without a server link a transfer moves at its own bandwidth: start + bytes · 8 / bandwidth', () => {
    const finish = shareLink([{ startMs: 5, bytes: 19_240, capBps: 1e9 }], Number.POSITIVE_INFINITY);
    expect(finish).toEqual([5 + 0.15392]);
  });

  it('n equal transfers through a link of capacity C all finish at n · M / C', () => {
    const transfers = Array.from({ length: 4 }, () => ({ startMs: 0, bytes: MB, capBps: 1e9 }));
    expect(shareLink(transfers, 100 * MBPS).map((ms) => Number(ms.toFixed(9)))).toEqual([320, 320, 320, 320]);
  });

  // One class (1 Gbps each), one model size: A at 0, B at 40, C at 80 ms, 8 Mbit each.
  //   [0, 40)    A alone at 100 Mbps: 4 Mbit moved, 4 left
  //   [40, 80)   A and B at 50: A 2 left, B 6 left
  //   [80, 140)  A, B and C at 33⅓: A's 2 Mbit take 60 ms → A at 140; B 4 left, C 6 left
  //   [140, 220) B and C at 50: B's 4 Mbit take 80 ms → B at 220; C 2 left
  //   [220, 240) C alone at 100 → C at 240
  it('transfers of one size leave in the order they joined (a queue per class)', () => {
    const finish = shareLink([0, 40, 80].map((startMs) => ({ startMs, bytes: MB, capBps: 1e9 })), 100 * MBPS);
    expect(finish[0]).toBeCloseTo(140, 9);
    expect(finish[1]).toBeCloseTo(220, 9);
    expect(finish[2]).toBeCloseTo(240, 9);
  });

  // One class, three sizes, all from 0: X 16 Mbit, Y 4, Z 8.
  //   [0, 120)   each at 33⅓ Mbps: Y's 4 Mbit take 120 ms → Y at 120; X 12 left, Z 4 left
  //   [120, 200) X and Z at 50: Z's 4 Mbit take 80 ms → Z at 200; X 8 left
  //   [200, 280) X alone at 100 → X at 280
  it('transfers of different sizes in one class leave smallest-first, not in the order they joined', () => {
    const finish = shareLink([
      { startMs: 0, bytes: 2 * MB, capBps: 1e9 },
      { startMs: 0, bytes: MB / 2, capBps: 1e9 },
      { startMs: 0, bytes: MB, capBps: 1e9 },
    ], 100 * MBPS);
    expect(finish[0]).toBeCloseTo(280, 9);
    expect(finish[1]).toBeCloseTo(120, 9);
    expect(finish[2]).toBeCloseTo(200, 9);
  });

  it('the order of the input does not change any finish time', () => {
    const a = { startMs: 0, bytes: MB, capBps: 10 * MBPS };
    const b = { startMs: 0, bytes: MB, capBps: 20 * MBPS };
    const c = { startMs: 300, bytes: MB, capBps: 1000 * MBPS };
    const forward = shareLink([a, b, c], 100 * MBPS);
    const backward = shareLink([c, b, a], 100 * MBPS);
    expect(backward).toEqual([forward[2], forward[1], forward[0]]);
  });
});

describe('byStartTime: the activation order without a comparator sort', () => {
  it('ascending start, ties in index order (−0 ties with 0), as a stable sort gives', () => {
    const starts = Float64Array.from([5, 2, 5, -0, 0, 2, Number.POSITIVE_INFINITY, -1]);
    expect([...byStartTime(starts)]).toEqual([7, 3, 4, 1, 5, 0, 2, 6]);
  });

  it('equals the comparator sort on 20,000 start times with many ties', () => {
    let state = 7;
    const starts = Float64Array.from({ length: 20_000 }, () => {
      state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
      return Math.floor((state / 2_147_483_648) * 300) / 4;
    });
    const expected = Array.from(starts, (_, i) => i).sort((a, b) => starts[a]! - starts[b]! || a - b);
    expect([...byStartTime(starts)]).toEqual(expected);
  });

  it('equals the comparator sort over negatives, fractions, subnormals and infinities of every size', () => {
    let state = 11;
    const next = () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648;
    const specials = [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY, -Number.MIN_VALUE, Number.MIN_VALUE, -0, 0, -Number.MAX_VALUE, Number.MAX_VALUE, 1e-310, -1e-310];
    const starts = Float64Array.from({ length: 5_000 }, (_, i) => (i % 7 === 0
      ? specials[i % specials.length]!
      : (next() - 0.5) * 10 ** Math.floor(next() * 40 - 20)));
    const expected = Array.from(starts, (_, i) => i).sort((a, b) => (starts[a]! < starts[b]! ? -1 : starts[a]! > starts[b]! ? 1 : a - b));
    expect([...byStartTime(starts)]).toEqual(expected);
  });
});
