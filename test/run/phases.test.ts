/**
 * Each phase of a round on its own, on a two-node scenario worked out by hand:
 * both links 5 ms (e = 1), a computes 0.4 ms per sample and b 0.8 ms, B = 64, base 4 threads
 * and queue 8, p = 0.9, ioMsPerBatch 2, transfer 0.5 ms, one local step.
 */
import { describe, expect, it } from 'vitest';
import { NormHistories } from '../../src/pipeline/norm-histories.js';
import { createStageRegistry } from '../../src/pipeline/stages/builtin.js';
import { aggregatePhase, weighParticipants } from '../../src/run/aggregate.js';
import { RoundDiverged } from '../../src/run/divergence.js';
import { buildNetwork } from '../../src/run/network.js';
import { observeRound } from '../../src/run/observe.js';
import { planPhase } from '../../src/run/plan.js';
import { planAt } from '../../src/run/plan-columns.js';
import { roundRecord, summarise } from '../../src/run/record.js';
import type { Aggregated, NodeMemory, Scheduled } from '../../src/run/round-state.js';
import { roundEndMs, schedulePhase } from '../../src/run/schedule.js';
import { LatencyGuard } from '../../src/run/time-guard.js';
import { engineTasks, trainPhase } from '../../src/run/train.js';
import type { Scenario } from '../../src/scenario/types.js';
import { BatchCursor, drawBatchIndices } from '../../src/train/batches.js';
import { nonFiniteLoss, type TrainEngine } from '../../src/train/engine.js';
import { makeScenario, S1S4 } from '../report/fixtures.js';
import { EngineTasks } from '../../src/train/engine-tasks.js';

function scenario(roundTimeoutMs: number | null = null): Scenario {
  const base = makeScenario(['a', 'b']);
  const nodes = base.cluster.nodes.map((node, i) => ({ ...node, msPerSample: i === 0 ? 0.4 : 0.8 }));
  return { ...base, strategies: [S1S4], cluster: { ...base.cluster, roundTimeoutMs, nodes } };
}

const registry = createStageRegistry();
const STAGES = registry.resolve(S1S4);
const fresh = (): NodeMemory[] => [{ lastResponseMs: null, lastBatch: null }, { lastResponseMs: null, lastBatch: null }];

function scheduled(roundTimeoutMs: number | null = null): Scheduled {
  const s = scenario(roundTimeoutMs);
  const guard = new LatencyGuard(s, buildNetwork(s));
  const planned = planPhase(s, STAGES, fresh(), observeRound(s, guard, 1, 0), 62_500);
  return schedulePhase(s, guard, 62_500, planned); // 62,500 bytes at 1 Gbps: 0.5 ms
}

describe('observe', () => {
  it('takes one sample per 100 ms of the window [−2000, 0) for every node', () => {
    const s = scenario();
    const observed = observeRound(s, new LatencyGuard(s, buildNetwork(s)), 1, 0);
    expect(observed.windows.rows()).toEqual([Array(20).fill(5), Array(20).fill(5)]);
    expect(observed.windows.perNode).toBe(20);
    expect(Array.from(observed.windows.values)).toEqual(Array(40).fill(5));
  });

  it('a burst node past its chain’s reach at the round start is a divergence naming it; constant links are observed there as usual', () => {
    const base = scenario();
    const chain = { process: { kind: 'burst' as const, goodMs: 5, badMs: 400, toBad: 0, toGood: 1 }, loss: 0, down: [] };
    const nodes = base.cluster.nodes.map((node, i) => (i === 1 ? { ...node, latency: chain } : node));
    const burst: Scenario = { ...base, cluster: { ...base.cluster, latencyResolutionMs: 1, nodes } };
    // the chain reaches −2000 + 2^28 slots of 1 ms from the monitoring origin
    const startMs = 2 ** 28 + 1000;
    const thrown = (() => { try { observeRound(burst, new LatencyGuard(burst, buildNetwork(burst)), 4, startMs); } catch (error) { return error; } return null; })();
    expect((thrown as RoundDiverged).divergence).toEqual({
      round: 4, node: 'b', kind: 'time',
      message: "node b's burst chain ends at 74.6 h of simulated time, reached in round 4: a burst chain covers 2^28 slots of the 1 ms latency grid from the start of S1's first window (2000 ms before round 1)",
      hint: 'set a coarser cluster.latencyResolutionMs (a grid ten times as coarse reaches 746 h), run at most 3 rounds, or set a round deadline (cluster.roundTimeoutMs) that cuts the long rounds short',
    });
    const plain: Scenario = { ...burst, cluster: { ...burst.cluster, nodes: base.cluster.nodes } };
    expect(observeRound(plain, new LatencyGuard(plain, buildNetwork(plain)), 4, startMs).windows.rows()).toEqual([Array(20).fill(5), Array(20).fill(5)]);
  });

  it('a round starting beyond the latency grid is a divergence with its round, as data', () => {
    const s = scenario();
    const guard = new LatencyGuard(s, buildNetwork(s));
    const thrown = (() => { try { observeRound(s, guard, 3, 1e300); } catch (error) { return error; } return null; })();
    expect(thrown).toBeInstanceOf(RoundDiverged);
    expect((thrown as RoundDiverged).divergence).toEqual({
      round: 3, node: null, kind: 'time', message: 'simulated time reached 1e+300 ms at the start of round 3, too far for a latency grid of 100 ms',
    });
  });
});

describe('plan', () => {
  it('S2 → 32 each; S3 by pressure 133.12 and 266.24 around P_ref 199.68 → 3/5 and 5/11', () => {
    const s = scenario();
    const planned = planPhase(s, STAGES, fresh(), observeRound(s, new LatencyGuard(s, buildNetwork(s)), 1, 0), 62_500);
    const [a, b] = [planAt(planned.plans, 0), planAt(planned.plans, 1)];
    // first round: response = step at base 4 threads: 32 × 0.4 × 0.325 = 4.16 (a), 8.32 (b)
    expect(a!.responseMs).toBeCloseTo(4.16, 12);
    expect(b!.responseMs).toBeCloseTo(8.32, 12);
    expect([a!.batch, a!.threads, a!.ioQueue, b!.batch, b!.threads, b!.ioQueue]).toEqual([32, 3, 5, 32, 5, 11]);
    // the stages' working: b' = 64 · 1 / 2 = 32; threads ratio 4 × 133.12 / 199.68 = 2.667
    expect(planned.working.batch[0]).toEqual({ rule: 'efficiency', efficiencyUsed: 1, preliminary: 32, rounded: 32 });
    expect(planned.working.resources[0]!.threadsRatio).toBeCloseTo(8 / 3, 12);
    expect(planned.working.resources[1]!.queueRatio).toBeCloseTo(32 / 3, 12);
  });
});

describe('plan without keeping the samples', () => {
  it('the same plans and working; the S1 windows are not carried on', () => {
    const s = scenario();
    const kept = planPhase(s, STAGES, fresh(), observeRound(s, new LatencyGuard(s, buildNetwork(s)), 1, 0), 62_500);
    const dropped = planPhase(s, STAGES, fresh(), observeRound(s, new LatencyGuard(s, buildNetwork(s)), 1, 0), 62_500, false);
    expect(kept.samplesMs).toEqual([Array(20).fill(5), Array(20).fill(5)]);
    expect(dropped.samplesMs).toEqual([]);
    expect({ ...dropped, samplesMs: null }).toEqual({ ...kept, samplesMs: null });
  });
});

describe('schedule', () => {
  it('a: 5.5 download, step 12.8 / 2.5 = 5.12, upload arrives 16.12; b: step 25.6 × 0.28 = 7.168, arrives 18.168', () => {
    const round = scheduled();
    const [a, b] = round.times.timelines();
    expect(a!.download).toEqual({ tries: [{ atMs: 0, latencyMs: 5 }], activeMs: 5, arrivedMs: 5.5, failure: null, nextTryMs: null });
    expect(a!.steps).toHaveLength(1);
    expect(a!.stepMs).toBeCloseTo(5.12, 12);
    expect(a!.finishMs).toBeCloseTo(16.12, 12);
    expect(b!.stepMs).toBeCloseTo(7.168, 12);
    expect(b!.finishMs).toBeCloseTo(18.168, 12);
    expect(round.participants).toEqual([0, 1]);
    expect(roundEndMs(scenario(), round)).toBe(b!.finishMs);
  });

  it('a deadline beyond the latency grid still checks every transfer lookup: the upload try is the divergence', () => {
    // b's link moves 62,500 bytes at 1e-298 bit/s: its download arrives near 5e306 ms, before a
    // deadline of 1e307 ms, and its upload is tried then, past what a 100 ms grid can address
    const base = scenario(1e307);
    const nodes = base.cluster.nodes.map((node, i) => (i === 1 ? { ...node, bandwidthBps: 1e-298 } : node));
    const s: Scenario = { ...base, cluster: { ...base.cluster, nodes } };
    const guard = new LatencyGuard(s, buildNetwork(s));
    const planned = planPhase(s, STAGES, fresh(), observeRound(s, guard, 1, 0), 62_500);
    const thrown = (() => { try { schedulePhase(s, guard, 62_500, planned); } catch (error) { return error; } return null; })();
    expect(thrown).toBeInstanceOf(RoundDiverged);
    expect((thrown as RoundDiverged).divergence).toEqual({
      round: 1, node: 'b', kind: 'time', message: "node b's transfer in round 1 would be at 5e+306 ms, too far for a latency grid of 100 ms",
    });
  });

  it('within reach, the timelines with a deadline are those without one', () => {
    const s = scenario(60_000);
    const guard = new LatencyGuard(s, buildNetwork(s));
    const withDeadline = schedulePhase(s, guard, 62_500, planPhase(s, STAGES, fresh(), observeRound(s, guard, 1, 0), 62_500));
    expect(withDeadline.times.timelines()).toEqual(scheduled().times.timelines());
    expect(withDeadline.participants).toEqual([0, 1]);
  });

  it('a 17 ms deadline drops b (its upload would arrive at 18.168) and the round ends at the deadline', () => {
    const round = scheduled(17);
    expect(round.participants).toEqual([0]);
    expect(round.times.timeline(1)).toMatchObject({ outcome: 'dropped', reason: 'deadline', finishMs: null });
    expect(round.times.timeline(1)!.upload!.arrivedMs).toBeCloseTo(18.168, 12);
    expect(roundEndMs(scenario(17), round)).toBe(17);
  });
});

/** An engine that trains nothing: fixed norms, or a non-finite loss on one task. */
function stubEngine(norms: number[], failingTask: number | null = null, evaluation = { loss: 0.5, accuracy: 0.75 }): TrainEngine {
  return {
    backend: 'stub', paramCount: 3,
    trainLocal: async () => { if (failingTask !== null) throw nonFiniteLoss(failingTask); return Float64Array.from(norms); },
    aggregate: () => {}, discardLocal: () => {}, evaluate: async () => evaluation, getParams: () => [], dispose: () => {},
  };
}

describe('train', () => {
  it('each participant gets localSteps batches of its planned size', () => {
    const round = scheduled();
    const shard = (first: number) => Int32Array.from({ length: 40 }, (_, r) => first + r);
    const batches = round.plans.batch;
    const indices = drawBatchIndices(round.participants, batches, [new BatchCursor(shard(0), 1, 'a'), new BatchCursor(shard(40), 1, 'b')], 2);
    const tasks = engineTasks(round.participants, batches, indices, 2);
    expect([tasks.count, tasks.steps]).toEqual([2, 2]);
    expect([0, 1].map((k) => [tasks.rows(k, 0), tasks.rows(k, 1)])).toEqual([[32, 32], [32, 32]]);
  });

  it('the batches, offsets into one array for the round, are the ones each node\'s cursor draws step by step', () => {
    const round = scheduled();
    const shard = (first: number) => Int32Array.from({ length: 40 }, (_, r) => first + r);
    const batches = round.plans.batch;
    const indices = drawBatchIndices(round.participants, batches, [new BatchCursor(shard(0), 1, 'a'), new BatchCursor(shard(40), 1, 'b')], 3);
    const tasks = engineTasks(round.participants, batches, indices, 3);
    const a = new BatchCursor(shard(0), 1, 'a');
    const b = new BatchCursor(shard(40), 1, 'b');
    expect([0, 1].map((k) => tasks.task(k).stepBatches.map((batch) => Array.from(batch)))).toEqual([
      [a.next(32), a.next(32), a.next(32)].map((batch) => Array.from(batch)),
      [b.next(32), b.next(32), b.next(32)].map((batch) => Array.from(batch)),
    ]);
    expect(tasks.indices).toBe(indices);
    expect(Array.from(tasks.offsets)).toEqual([0, 32, 64, 96, 128, 160, 192]);
  });

  it('indices that do not add up to the batches are refused, not read past', () => {
    const round = scheduled();
    const batches = round.plans.batch;
    expect(() => engineTasks(round.participants, batches, new Int32Array(2 * 32 - 1), 1)).toThrow("the round's batch indices are 63, its batches 64");
  });

  it('a non-finite loss on task 1 names node b (the task index is a field, not parsed from a message)', async () => {
    const round = scheduled();
    const thrown = await trainPhase(stubEngine([1, 2], 1), EngineTasks.of([]), round, ['a', 'b']).catch((error: unknown) => error);
    expect((thrown as RoundDiverged).divergence).toEqual({
      round: 1, node: 'b', kind: 'training', message: 'training diverged in round 1 on node b: its local loss or parameters became non-finite',
    });
  });
});

describe('aggregate', () => {
  it('appends each norm to its history and weighs by the aggregation stage (first norms: equal weights)', () => {
    const histories = new NormHistories(2, 5);
    const weighed = weighParticipants(scenario(), STAGES.aggregation, histories, [60, 60], [0, 1], Float64Array.from([1.5, 2.5]), [32, 32]);
    expect([histories.history(0), histories.history(1)]).toEqual([[1.5], [2.5]]);
    expect(weighed).toMatchObject({ weights: [0.5, 0.5], volatilities: [null, null] });
  });

  it('a stage that leaves out volatilities or working gets null and {} in their place; full lists are handed on as they are', () => {
    const volatilities = [0.25, null, 0.5];
    const working = [{ rule: 'x' }, { rule: 'y' }, { rule: 'z' }];
    const stage = (output: { volatilities: Array<number | null | undefined>; working: Array<Record<string, string> | null | undefined> }) => ({
      ...STAGES.aggregation,
      weigh: () => ({ weights: [0.2, 0.3, 0.5], ...output }),
    }) as typeof STAGES.aggregation;
    const weigh = (output: Parameters<typeof stage>[0]) =>
      weighParticipants(scenario(), stage(output), new NormHistories(3, 5), [60, 60, 60], [0, 1, 2], Float64Array.from([1, 2, 3]), [32, 32, 32]);
    const full = weigh({ volatilities, working });
    expect(full.volatilities).toBe(volatilities);
    expect(full.working).toBe(working);
    const gaps = weigh({ volatilities: [0.25, undefined], working: [{ rule: 'x' }, null, , ] });
    expect(gaps.volatilities).toEqual([0.25, null, null]);
    expect(gaps.working).toEqual([{ rule: 'x' }, {}, {}]);
  });

  it('a non-finite test loss is blamed on the largest update (node b, ‖g‖ = 2.5)', async () => {
    const round = scheduled();
    const thrown = await aggregatePhase(stubEngine([], null, { loss: Number.NaN, accuracy: 0 }), [0.5, 0.5], round, Float64Array.from([1.5, 2.5]), ['a', 'b'])
      .catch((error: unknown) => error);
    expect((thrown as RoundDiverged).divergence).toEqual({
      round: 1, node: 'b', kind: 'training', message: "training diverged in round 1: the aggregated model's test loss is NaN (the largest update came from node b, ‖g‖ = 2.5)",
    });
  });
});

describe('record', () => {
  it('a participant and a node dropped by the deadline, as the JSON reports them', () => {
    const round: Aggregated = {
      ...scheduled(17), gradNorms: Float64Array.from([1.5]), volatilities: [null], weights: [1], skipped: false, endMs: 17,
      evaluation: { loss: 0.5, accuracy: 0.75 },
    };
    const record = roundRecord(round, ['a', 'b'], false);
    expect(record).toMatchObject({ round: 1, startMs: 0, endMs: 17, skipped: false, loss: 0.5, accuracy: 0.75 });
    expect(record.nodes[0]).toMatchObject({ id: 'a', batch: 32, plannedBatch: 32, participated: true, dropReason: null, gradNorm: 1.5, weight: 1 });
    expect(record.nodes[1]).toMatchObject({ id: 'b', batch: 0, plannedBatch: 32, participated: false, dropReason: 'deadline', finishMs: null, gradNorm: null, weight: 0 });
    expect(record.nodes[1]!.computeEndMs).toBeCloseTo(12.668, 12);
  });

  it('compute still running at the deadline did not complete: no compute end, no compute time', () => {
    // deadline 10: a's step (5.5 → 10.62) and b's (5.5 → 12.668) run past it
    const round: Aggregated = {
      ...scheduled(10), gradNorms: new Float64Array(0), volatilities: [], weights: [], skipped: true, endMs: 10,
      evaluation: { loss: 0.5, accuracy: 0.75 },
    };
    const record = roundRecord(round, ['a', 'b'], false);
    for (const node of record.nodes) {
      expect(node).toMatchObject({ participated: false, dropReason: 'deadline', droppedAtMs: 10, downloadEndMs: 5.5, downloadMs: 5.5, computeEndMs: null, computeMs: null, uploadMs: null });
    }
  });

  it('summarise: final and best accuracy, time to the first round at the target', () => {
    const rounds = [
      { round: 1, startMs: 0, endMs: 10, skipped: false, loss: 1, accuracy: 0.6, nodes: [] },
      { round: 2, startMs: 10, endMs: 25, skipped: false, loss: 0.8, accuracy: 0.9, nodes: [] },
      { round: 3, startMs: 25, endMs: 30, skipped: false, loss: 0.9, accuracy: 0.85, nodes: [] },
    ];
    expect(summarise(rounds, 96, 0.88)).toEqual({ finalAccuracy: 0.85, bestAccuracy: 0.9, simulatedMs: 30, samplesTrained: 96, timeToTargetMs: 25 });
  });
});
