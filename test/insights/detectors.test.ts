import { describe, expect, it } from 'vitest';
import { detectBarrierStraggler } from '../../src/insights/barrier-straggler.js';
import { detectBatchSpread } from '../../src/insights/batch-spread.js';
import { detectDominantWeight } from '../../src/insights/dominant-weight.js';
import { detectDropped, detectSkippedRounds } from '../../src/insights/dropped.js';
import { detectStarvedWeight } from '../../src/insights/starved-weight.js';
import { detectZeroEfficiency } from '../../src/insights/zero-efficiency.js';
import { makeScenario } from '../report/fixtures.js';
import { dropped, idle, node, round, run, weighted } from './records.js';

const scenario = makeScenario(['a', 'b', 'c']);

describe('insight detectors', () => {
  it('zero efficiency: a node left out because e = 0, once with all its rounds; e > 0 with batch 0 is not it', () => {
    const r = run([
      round(1, [node('a'), idle('b', 0.05)]),
      round(2, [node('a'), idle('b')]),
      round(3, [idle('a'), idle('b')]),
      round(4, [node('a'), idle('b')]),
    ]);
    expect(detectZeroEfficiency(r, scenario)).toEqual([
      { kind: 'zeroEfficiency', strategy: 's1s4', nodeId: 'b', rounds: [2, 3, 4] },
      { kind: 'zeroEfficiency', strategy: 's1s4', nodeId: 'a', rounds: [3] },
    ]);
  });

  it('dominant weight: strictly more than half, with at least two participants', () => {
    const r = run([
      weighted(1, [0.6, 0.4]),
      weighted(2, [0.5, 0.5]),
      weighted(3, [0.7, 0.3]),
      round(4, [node('a', { weight: 1 }), idle('b')]),
    ]);
    expect(detectDominantWeight(r, scenario)).toEqual([
      { kind: 'dominantWeight', strategy: 's1s4', nodeId: 'a', rounds: [1, 3], maxWeight: 0.7, maxRound: 3 },
    ]);
  });

  it('starved weight: under 2 % five rounds in a row; a round off breaks the streak', () => {
    const rounds = [1, 2, 3, 4, 5, 6, 7].map((n) => round(n, [
      node('a', { weight: 0.97 }),
      n === 5 ? dropped('b', 'retries') : node('b', { weight: 0.015 }),
      node('c', { weight: n === 7 ? 0.5 : 0.015 - n / 1000 }),
    ]));
    expect(detectStarvedWeight(run(rounds), scenario)).toEqual([
      { kind: 'starvedWeight', strategy: 's1s4', nodeId: 'c', rounds: [1, 2, 3, 4, 5, 6], minWeight: 0.009, firstStreak: [1, 6] },
    ]);
  });

  it('starved weight scales down in a large round: under half of an equal share', () => {
    const equal = Array.from({ length: 100 }, () => 0.01);
    const tiny = [...equal.slice(0, 99), 0.004];
    expect(detectStarvedWeight(run([1, 2, 3, 4, 5].map((n) => weighted(n, equal))), scenario)).toEqual([]);
    expect(detectStarvedWeight(run([1, 2, 3, 4, 5].map((n) => weighted(n, tiny))), scenario)).toHaveLength(1);
  });

  it('batch spread: largest over smallest participant batch above 4×, listed once with the widest round', () => {
    const r = run([
      round(1, [node('a', { batch: 32 }), node('b', { batch: 8 })]),
      round(2, [node('a', { batch: 33 }), node('b', { batch: 8 }), node('c', { batch: 20 })]),
      round(3, [node('a', { batch: 30 }), node('b', { batch: 5 })]),
      round(4, [node('a', { batch: 32 }), dropped('b', 'deadline')]),
    ]);
    expect(detectBatchSpread(r, scenario)).toEqual([{
      kind: 'batchSpread', strategy: 's1s4', rounds: [2, 3], maxRatio: 6, maxRound: 3,
      smallest: { nodeId: 'b', value: 5 }, largest: { nodeId: 'a', value: 30 },
    }]);
  });

  it("barrier straggler: the last finisher over 2× the others' median, not when the deadline ended the round", () => {
    const r = run([
      round(1, [node('a', { finishMs: 10 }), node('b', { finishMs: 12 }), node('c', { finishMs: 30 })]),
      round(2, [node('a', { finishMs: 10 }), node('b', { finishMs: 12 }), node('c', { finishMs: 22 })]),
      round(3, [node('a', { finishMs: 10 }), node('b', { finishMs: 12 }), node('c', { finishMs: 30 }), dropped('d', 'deadline')], 40),
    ]);
    expect(detectBarrierStraggler(r, scenario)).toEqual([{
      kind: 'barrierStraggler', strategy: 's1s4', nodeId: 'c', rounds: [1], maxRatio: 30 / 11, maxRound: 1, durationMs: 30, othersMedianMs: 11,
    }]);
  });

  it('dropped nodes count their reasons; rounds without participants are skipped rounds', () => {
    const r = run([
      round(1, [dropped('a', 'retries'), dropped('b', 'deadline')], 2000),
      round(2, [dropped('a', 'deadline'), node('b')]),
      round(3, [dropped('a', 'retries'), node('b')]),
    ]);
    expect(detectDropped(r, scenario)).toEqual([
      { kind: 'dropped', strategy: 's1s4', nodeId: 'a', rounds: [1, 2, 3], retries: 2, deadline: 1 },
      { kind: 'dropped', strategy: 's1s4', nodeId: 'b', rounds: [1], retries: 0, deadline: 1 },
    ]);
    expect(detectSkippedRounds(r, scenario)).toEqual([{ kind: 'skippedRound', strategy: 's1s4', rounds: [1] }]);
  });
});
