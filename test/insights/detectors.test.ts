import { describe, expect, it } from 'vitest';
import { detectBarrierStraggler } from '../../src/insights/barrier-straggler.js';
import { detectDominantWeight } from '../../src/insights/dominant-weight.js';
import { detectDropped, detectSkippedRounds } from '../../src/insights/dropped.js';
import { detectFewNorms } from '../../src/insights/few-norms.js';
import { detectLocalStepsSpread } from '../../src/insights/local-steps-spread.js';
import { detectLossExplosion } from '../../src/insights/loss-explosion.js';
import { detectStarvedWeight } from '../../src/insights/starved-weight.js';
import { detectZeroEfficiency } from '../../src/insights/zero-efficiency.js';
import { makeScenario } from '../report/fixtures.js';
import { dropped, idle, node, round, run, stepsTimeline, weighted } from './records.js';

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

  it('starved weight: under half an equal share in 5 of its rounds in a row; rounds it sits out neither count nor break', () => {
    // Arrange: 3 participants (equal share 1/3, bound 1/6 ≈ 0.1667). b sits at 6 %, far above
    // the old fixed 2 % bound, and is dropped in round 4; c reaches the bound (0.17) in round 3.
    const rounds = [1, 2, 3, 4, 5, 6, 7].map((n) => round(n, [
      node('a', { weight: 0.9 - (n === 4 ? 0 : 0.06) }),
      n === 4 ? dropped('b', 'retries') : node('b', { weight: n === 2 ? 0.05 : 0.06 }),
      node('c', { weight: n === 3 ? 0.17 : 0.04 }),
    ]));

    // Act
    const found = detectStarvedWeight(run(rounds), scenario);

    // Assert: b in its 6 rounds (4 sat out, 4 nodes' share in round 4 is 1/2, not used);
    // c's rounds are broken at 3 into 1–2 and 4–7, both under 5
    expect(found).toEqual([{
      kind: 'starvedWeight', strategy: 's1s4', nodeId: 'b', rounds: [1, 2, 3, 5, 6, 7],
      minWeight: 0.05, equalShare: 1 / 3, longestStreak: [1, 7], longestLength: 6,
    }]);
  });

  it('starved weight: the issue-12 case, a node at 1.3–6 % of four for 39 rounds, is flagged; 4 rounds are not', () => {
    const low = (n: number): number => 0.013 + (n % 5) * 0.01;
    const rounds = Array.from({ length: 40 }, (_, k) => k + 1).map((n) => weighted(n, n === 1 ? [0.25, 0.25, 0.25, 0.25] : [0.33, 0.33, 0.34 - low(n), low(n)]));
    const [insight] = detectStarvedWeight(run(rounds), makeScenario(['a', 'b', 'c', 'd']));
    expect(insight).toMatchObject({ nodeId: 'd', longestStreak: [2, 40], longestLength: 39, minWeight: 0.013, equalShare: 0.25 });
    expect(insight!.rounds).toHaveLength(39);
    const short = [1, 2, 3, 4].map((n) => weighted(n, [0.33, 0.33, 0.33, 0.01]));
    expect(detectStarvedWeight(run(short), scenario)).toEqual([]);
  });

  it('starved weight scales with the round: under half of an equal share of 100 nodes', () => {
    const equal = Array.from({ length: 100 }, () => 0.01);
    const atBound = [...equal.slice(0, 99), 0.005];
    const tiny = [...equal.slice(0, 99), 0.0049];
    expect(detectStarvedWeight(run([1, 2, 3, 4, 5].map((n) => weighted(n, equal))), scenario)).toEqual([]);
    expect(detectStarvedWeight(run([1, 2, 3, 4, 5].map((n) => weighted(n, atBound))), scenario)).toEqual([]);
    expect(detectStarvedWeight(run([1, 2, 3, 4, 5].map((n) => weighted(n, tiny))), scenario)).toHaveLength(1);
  });

  it('few norms: S4 (cv) weights from 2 norms are flagged with their rounds; round 1 (equal weights) and a lone participant are not', () => {
    // Arrange: c misses round 1, so in round 3 it has 2 norms while a and b have 3; rounds 5–7
    // have one participant each (d with 2 norms in round 7: alone, so its weight is 1 anyway)
    const r = run([
      round(1, [node('a'), node('b'), idle('c')]),
      round(2, [node('a'), node('b'), node('c')]),
      round(3, [node('a'), node('b'), node('c')]),
      round(4, [node('a'), node('b'), node('c')]),
      round(5, [node('c'), idle('a'), idle('b')]),
      round(6, [idle('c'), node('d'), idle('a')]),
      round(7, [idle('c'), node('d'), idle('a')]),
    ]);

    // Act, Assert
    expect(detectFewNorms(r, scenario)).toEqual([{ kind: 'fewNorms', strategy: 's1s4', rounds: [2, 3], fewestNorms: 2 }]);
  });

  it('few norms: not under another aggregation, nor under relchange; a window of 2 is flagged every round after the first', () => {
    const rounds = [1, 2, 3, 4].map((n) => weighted(n, [0.5, 0.5]));
    const mean = { ...run(rounds), strategy: { name: 'sync-sgd', batch: 'fixed', resources: 'fixed', aggregation: 'mean' } };
    expect(detectFewNorms(mean, scenario)).toEqual([]);
    const relchange = { ...scenario, pipeline: { ...scenario.pipeline, s4: { ...scenario.pipeline.s4, volatility: 'relchange' as const } } };
    expect(detectFewNorms(run(rounds), relchange)).toEqual([]);
    const window2 = { ...scenario, pipeline: { ...scenario.pipeline, s4: { ...scenario.pipeline.s4, window: 2 } } };
    expect(detectFewNorms(run(rounds), window2)).toEqual([{ kind: 'fewNorms', strategy: 's1s4', rounds: [2, 3, 4], fewestNorms: 2 }]);
  });

  it('local steps: batches 32 vs 5 with one step each is not objective inconsistency', () => {
    const r = run([
      round(1, [node('a', { batch: 32 }), node('b', { batch: 5 })]),
      round(2, [node('a', { batch: 64, timeline: stepsTimeline(1) }), node('b', { batch: 2, timeline: stepsTimeline(1) })]),
    ]);
    expect(detectLocalStepsSpread(r, scenario)).toEqual([]);
  });

  it('local steps that differ between participants are flagged once, with the widest round', () => {
    const r = run([
      round(1, [node('a', { timeline: stepsTimeline(2) }), node('b', { timeline: stepsTimeline(1) })]),
      round(2, [node('a', { timeline: stepsTimeline(2) }), node('b', { timeline: stepsTimeline(2) })]),
      round(3, [node('a', { timeline: stepsTimeline(1) }), node('b', { timeline: stepsTimeline(4) }), dropped('c', 'deadline')]),
    ]);
    expect(detectLocalStepsSpread(r, scenario)).toEqual([{
      kind: 'localStepsSpread', strategy: 's1s4', rounds: [1, 3], maxRound: 3,
      fewest: { nodeId: 'a', value: 1 }, most: { nodeId: 'b', value: 4 },
    }]);
  });

  it('loss explosion: a finite loss over 10⁶ × round 1\'s is flagged, NaN and 10⁶ × exactly are not', () => {
    const withLoss = (n: number, loss: number) => ({ ...weighted(n, [0.5, 0.5]), loss });
    const r = run([withLoss(1, 0.7), withLoss(2, 0.7e6), withLoss(3, 2e6), withLoss(4, Number.NaN), withLoss(5, 5e9), withLoss(6, Infinity)]);
    expect(detectLossExplosion(r, scenario)).toEqual([
      { kind: 'lossExplosion', strategy: 's1s4', rounds: [3, 5], firstLoss: 0.7, maxLoss: 5e9, maxRound: 5 },
    ]);
    expect(detectLossExplosion(run([withLoss(1, 0.7), withLoss(2, 3)]), scenario)).toEqual([]);
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
