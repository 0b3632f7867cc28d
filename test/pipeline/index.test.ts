import { describe, expect, it } from 'vitest';
import { decideRound, decideRoundParts, planRound } from '../../src/pipeline/index.js';
import { planAt, planColumns } from '../../src/run/plan-columns.js';
import { S1_DEFAULTS } from '../../src/pipeline/s1-efficiency.js';
import { S2_DEFAULTS, type S2Config } from '../../src/pipeline/s2-batch-size.js';
import { S3_DEFAULTS } from '../../src/pipeline/s3-resources.js';
import type { PlanRoundInput } from '../../src/pipeline/types.js';
import { createStageRegistry } from '../../src/pipeline/stages/builtin.js';
import { stepMs } from '../../src/sim/time-model.js';

// parallelFraction 1 makes the speedup equal to the thread count; no I/O cost.
const node = { cores: 8, msPerSample: 0.5, parallelFraction: 1, ioMsPerBatch: 0, bandwidthBps: 1e9 };
const fast = Array<number>(20).fill(5); // e = 1
const twelveOfTwenty = [...Array<number>(12).fill(5), ...Array<number>(8).fill(90)]; // e = 0.6
const allLost = Array<null>(20).fill(null); // e = 0
const s2: S2Config = { ...S2_DEFAULTS, maxBatch: null };

const registry = createStageRegistry();

function input(strategy: { batch: string; resources: string }): PlanRoundInput {
  return {
    nodes: [node, node, node],
    samplesMs: [fast, twelveOfTwenty, allLost],
    lastResponseMs: [null, 3, 7],
    lastBatch: [null, 24, 32],
    transferBytes: 62_500,
    localSteps: 1,
    stepMsOf: (_, batch, threads, ioQueue) => stepMs(node, batch, threads, ioQueue),
    stages: { batch: registry.stage('batch', strategy.batch), resources: registry.stage('resources', strategy.resources) },
    s1: { ...S1_DEFAULTS },
    s2,
    s3: { ...S3_DEFAULTS },
  };
}

describe('planRound', () => {
  it('s1s4: efficiency batches, pressure-scaled resources, e = 0 not dispatched', () => {
    // Arrange — A: e 1 → 32, first round: 32·0.5/4 threads = 4 ms → pressure 128
    //           B: e 0.6 → 24, last response 3 ms → pressure 72;  P_ref = (72 + 128)/2 = 100
    //           A: threads round(5.12) = 5, queue round(10.24) = 10
    //           B: threads round(2.88) = 3, queue round(5.76) = 6
    const plans = planRound(input({ batch: 'efficiency', resources: 'pressure' }));

    // Assert
    expect(plans).toEqual([
      { efficiency: 1, effectiveMs: 2000, observedMs: 2000, batch: 32, responseMs: 4, pressure: 128, threads: 5, ioQueue: 10 },
      { efficiency: 0.6, effectiveMs: 1200, observedMs: 2000, batch: 24, responseMs: 3, pressure: 72, threads: 3, ioQueue: 6 },
      { efficiency: 0, effectiveMs: 0, observedMs: 2000, batch: 0, responseMs: 7, pressure: 0, threads: 0, ioQueue: 0 },
    ]);
  });

  it('fixed batch dispatches B/2 to every node, still reporting its efficiency', () => {
    const plans = planRound(input({ batch: 'fixed', resources: 'fixed' }));

    expect(plans.map((p) => p.batch)).toEqual([32, 32, 32]);
    expect(plans.map((p) => p.efficiency)).toEqual([1, 0.6, 0]);
    expect(plans.map((p) => p.pressure)).toEqual([128, 96, 224]);
    expect(plans.map((p) => [p.threads, p.ioQueue])).toEqual([[4, 8], [4, 8], [4, 8]]);
  });

  it('fixed resources give the base allocation to dispatched nodes only', () => {
    const plans = planRound(input({ batch: 'efficiency', resources: 'fixed' }));

    expect(plans.map((p) => [p.threads, p.ioQueue])).toEqual([[4, 8], [4, 8], [0, 0]]);
  });

  it('a node never seen before and not dispatched has responseMs null', () => {
    const plans = planRound({ ...input({ batch: 'efficiency', resources: 'pressure' }), lastResponseMs: [null, null, null] });

    expect(plans[2].responseMs).toBeNull();
  });

  it('plans a round where no node is dispatched without failing', () => {
    const plans = planRound({ ...input({ batch: 'efficiency', resources: 'pressure' }), samplesMs: [allLost, allLost, allLost] });

    expect(plans.map((p) => [p.batch, p.threads, p.ioQueue])).toEqual([[0, 0, 0], [0, 0, 0], [0, 0, 0]]);
  });

  it.each<[string, { batch: string; resources: string }, Partial<PlanRoundInput>]>([
    ['s1s4', { batch: 'efficiency', resources: 'pressure' }, {}],
    ['fixed batch and resources', { batch: 'fixed', resources: 'fixed' }, {}],
    ['an idle node never seen before', { batch: 'efficiency', resources: 'pressure' }, { lastResponseMs: [null, null, null] }],
    ['no node dispatched', { batch: 'efficiency', resources: 'fixed' }, { samplesMs: [allLost, allLost, allLost] }],
    // a plug-in's allocation for a node it was not asked about is ignored
    ['a resources stage that allocates to idle nodes too', { batch: 'efficiency', resources: 'fixed' }, {
      stages: {
        batch: registry.stage('batch', 'efficiency'),
        resources: { kind: 'resources', name: 'everyone', summary: 'everyone', allocate: ({ nodes }) => ({ allocations: nodes.map(() => ({ threads: 3, ioQueue: 5 })), working: [] }) },
      },
    }],
  ])('writes the same plans as columns, straight from the stages’ decisions: %s', (_, strategy, change) => {
    // Arrange
    const round = { ...input(strategy), ...change };
    // Act
    const columns = planColumns(decideRoundParts(round));
    // Assert: every field of every node, null response times and idle nodes' zeros included
    const { plans } = decideRound(round);
    expect(plans.map((_, i) => planAt(columns, i))).toEqual(plans);
    // a node not dispatched has no threads and no I/O queue, whatever the stage allocated it
    const idle = plans.flatMap((plan, i) => (plan.batch === 0 ? [i] : []));
    expect(idle.map((i) => [columns.threads[i], columns.ioQueue[i], plans[i]!.threads, plans[i]!.ioQueue])).toEqual(idle.map(() => [0, 0, 0, 0]));
  });

  it('rejects per-node inputs whose length does not match the nodes', () => {
    expect(() => planRound({ ...input({ batch: 'fixed', resources: 'fixed' }), lastResponseMs: [null] })).toThrow(RangeError);
  });
});
