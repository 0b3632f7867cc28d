/**
 * The fair-baseline stages (batch proportional and balanced, resources cores, aggregation
 * batch, preset lb-bsp), each against values worked out by hand in the comments.
 */
import { describe, expect, it } from 'vitest';
import { computeEfficiency, S1_DEFAULTS, type S1Config } from '../../src/pipeline/s1-efficiency.js';
import { S2_DEFAULTS, type S2Config } from '../../src/pipeline/s2-batch-size.js';
import { S3_DEFAULTS, type S3Config } from '../../src/pipeline/s3-resources.js';
import { S4_DEFAULTS } from '../../src/pipeline/s4-aggregation.js';
import type { BatchRoundView, ResourceRoundView } from '../../src/pipeline/stage-registry.js';
import { createStageRegistry } from '../../src/pipeline/stages/builtin.js';
import { largestRemainder } from '../../src/pipeline/stages/split.js';
import type { StepTimeEstimator } from '../../src/pipeline/types.js';

const registry = createStageRegistry();
const proportional = registry.stage('batch', 'proportional');
const balanced = registry.stage('batch', 'balanced');
const cores = registry.stage('resources', 'cores');
const batchWeights = registry.stage('aggregation', 'batch');

const s1: S1Config = { ...S1_DEFAULTS };
const node = { cores: 8, bandwidthBps: 1e9 };
/** 62,500 bytes at 1 Gbps: 0.5 ms each way, so 2 · 1000 · M · 8 / bandwidth = 1 ms */
const M = 62_500;

/** `count` samples of `latencyMs`, then the rest of a 20-sample window at `restMs` (null = lost). */
function window(count: number, latencyMs: number, restMs: number | null, size = 20): Array<number | null> {
  return Array.from({ length: size }, (_, k) => (k < count ? latencyMs : restMs));
}

interface ViewOptions {
  samplesMs: Array<Array<number | null>>;
  s2?: Partial<S2Config>;
  s1?: Partial<S1Config>;
  lastResponseMs?: Array<number | null>;
  lastBatch?: Array<number | null>;
  localSteps?: number;
  stepMsOf?: StepTimeEstimator;
}

function view(options: ViewOptions): BatchRoundView {
  const n = options.samplesMs.length;
  const s1Used = { ...s1, ...options.s1 };
  return {
    nodes: options.samplesMs.map(() => node),
    samplesMs: options.samplesMs,
    efficiency: options.samplesMs.map((samples) => computeEfficiency(samples, s1Used)),
    lastResponseMs: options.lastResponseMs ?? Array<null>(n).fill(null),
    lastBatch: options.lastBatch ?? Array<null>(n).fill(null),
    transferBytes: M,
    localSteps: options.localSteps ?? 1,
    stepMsOf: options.stepMsOf ?? (() => { throw new Error('no estimate expected'); }),
    s1: s1Used,
    s2: { ...S2_DEFAULTS, maxBatch: null, ...options.s2 },
    s3: { ...S3_DEFAULTS },
  };
}

describe('largest remainder', () => {
  it('gives the units left over to the largest remainders', () => {
    // 3.75 + 3.75 + 7.5 = 15: floors 3, 3, 7 (13), two units to the remainders .75, .75
    expect(largestRemainder([3.75, 3.75, 7.5], 15)).toEqual([4, 4, 7]);
  });

  it('breaks a tie toward the lower node index', () => {
    expect(largestRemainder([3.5, 3.5], 7)).toEqual([4, 3]);
    expect(largestRemainder([0.5, 0.5, 0.5, 0.5], 2)).toEqual([1, 1, 0, 0]);
  });

  it('takes remainders equal up to float noise as a tie (10.333… is not more than 1.333…)', () => {
    // as floats the remainders are 0.33333333333333326, …35 and …39: the last would win a plain sort
    expect(largestRemainder([15 * 0.1 / 1.125, 15 * 0.25 / 1.125, 15 * 0.775 / 1.125], 15)).toEqual([2, 3, 10]);
  });

  it('never gives a unit to a share of 0', () => {
    expect(largestRemainder([0, 2.5, 0, 1.5], 4)).toEqual([0, 3, 0, 1]);
  });
});

describe('batch stage proportional', () => {
  it('splits G = floor(B · n / 2) in proportion to efficiency', () => {
    // e = 1, 0.5, 0.5, 0 → n = 3, G = floor(64 · 3 / 2) = 96; Σe = 2 → 48, 24, 24, 0
    const decision = proportional.decide(view({ samplesMs: [window(20, 5, 90), window(10, 5, 90), window(10, 5, null), window(0, 5, null)] }));

    expect(decision.batches).toEqual([48, 24, 24, 0]);
    expect(decision.working[1]).toEqual({ rule: 'proportional', G: 96, e: 0.5, share: 24, split: 24 });
  });

  it('rounds by largest remainder, a tie to the lower index, so Σ b = G', () => {
    // 40-sample windows: e = 0.1, 0.25, 0.775, Σe = 1.125; B = 10, n = 3 → G = 15
    // shares 15 · e / 1.125 = 1.333…, 3.333…, 10.333…: floors 1, 3, 10 (14), the one unit
    // left goes to the tie of three remainders ⅓ → node 0
    const decision = proportional.decide(view({
      s1: { windowMs: 4000 },
      s2: { standardBatch: 10 },
      samplesMs: [window(4, 5, 90, 40), window(10, 5, 90, 40), window(31, 5, 90, 40)],
    }));

    expect(decision.batches).toEqual([2, 3, 10]);
  });

  it('clamps to [minBatch, maxBatch], except that a split of 0 stays 0', () => {
    // e = 1, 1, 0.05; B = 2, n = 3 → G = 3; shares 1.463, 1.463, 0.073 → floors 1, 1, 0,
    // the unit left to node 0 (tie with node 1) → 2, 1, 0
    const samplesMs = [window(20, 5, 90), window(20, 5, 90), window(1, 5, 90)];
    expect(proportional.decide(view({ samplesMs, s2: { standardBatch: 2 } })).batches).toEqual([2, 1, 0]);
    // minBatch 2 lifts node 1; node 2 had e > 0 but a split of 0, and stays 0
    expect(proportional.decide(view({ samplesMs, s2: { standardBatch: 2, minBatch: 2 } })).batches).toEqual([2, 2, 0]);
    // maxBatch defaults to B = 2 here; maxBatch 1 caps node 0
    expect(proportional.decide(view({ samplesMs, s2: { standardBatch: 2, maxBatch: 1 } })).batches).toEqual([1, 1, 0]);
  });

  it('dispatches nobody when no node has e > 0 (G = 0)', () => {
    expect(proportional.decide(view({ samplesMs: [window(0, 5, 90), window(0, 5, null)] })).batches).toEqual([0, 0]);
  });
});

describe('batch stage balanced', () => {
  // Three nodes, B = 64, every e > 0 → n = 3, G = 96. Transfers 0.5 ms each way (1 ms in all).
  //   node 0: 20 samples at 4.5 ms            → d = 2 · 4.5 + 1 = 10    c = 32 ms / 32 = 1
  //   node 1: 20 samples at 9.5 ms            → d = 2 · 9.5 + 1 = 20    c = 64 ms / 32 = 2
  //   node 2: 10 at 5 ms, 10 at 395 ms (e ½)  → d = 2 · 200 + 1 = 401   c = 32 ms / 32 = 1
  // first solve: T = (96 + 10 + 10 + 401) / (1 + ½ + 1) = 517 / 2.5 = 206.8
  //   b = 196.8, 93.4, −194.2 → node 2 is clipped to 0
  // re-solve over nodes 0, 1: T = (96 + 10 + 10) / 1.5 = 77.333…
  //   b = 67.333…, 28.666… (Σ 96) → floors 67, 28; the unit left to the larger remainder (node 1)
  const threeNodes = {
    samplesMs: [window(20, 4.5, null), window(20, 9.5, null), window(10, 5, 395)],
    lastResponseMs: [32, 64, 32],
    lastBatch: [32, 32, 32],
  };

  it('equalises predicted finish times, clipping a node whose batch would be negative and solving again', () => {
    const decision = balanced.decide(view(threeNodes));

    expect(decision.batches).toEqual([67, 29, 0]);
    const [a, b, c] = decision.working;
    expect(a).toMatchObject({ rule: 'balanced', G: 96, latencyMs: 4.5, d: 10, c: 1, cFrom: 'last round', solves: 2, clipped: 'no', split: 67 });
    expect(a!.T).toBeCloseTo(116 / 1.5, 12);
    expect(a!.share).toBeCloseTo(116 / 1.5 - 10, 12);
    expect(b).toMatchObject({ d: 20, c: 2, clipped: 'no', split: 29 });
    expect(b!.share).toBeCloseTo((116 / 1.5 - 20) / 2, 12);
    expect(c).toMatchObject({ latencyMs: 200, d: 401, c: 1, share: 0, clipped: 'yes', split: 0 });
  });

  it('uses localSteps · responseMs / batch of the last aggregated round as the time per sample', () => {
    // localSteps 2 doubles every c (2, 4, 2) while d stays: node 2 is still clipped
    // (T = (96 + 5 + 5 + 200.5) / 1.25 = 245.2, b_2 = (245.2 − 401) / 2 < 0); over nodes 0, 1:
    // T = (96 + 5 + 5) / 0.75 = 141.33…, b = 65.67, 30.33 → floors 65, 30, the unit to node 0
    const decision = balanced.decide(view({ ...threeNodes, localSteps: 2 }));

    expect(decision.batches).toEqual([66, 30, 0]);
    expect(decision.working.map((w) => w.c)).toEqual([2, 4, 2]);
  });

  it('before a node was measured: localSteps · the step time at B/2 (not rounded) with S3 base resources, over B/2', () => {
    // B = 65 → B/2 = 32.5, asked of the time model with baseThreads 4 and baseQueue 8;
    // the estimate says 13 ms → c = 2 · 13 / 32.5 = 0.8 ms per sample
    const calls: Array<[number, number, number, number]> = [];
    const stepMsOf: StepTimeEstimator = (i, batch, threads, ioQueue) => {
      calls.push([i, batch, threads, ioQueue]);
      return 13;
    };
    const decision = balanced.decide(view({ samplesMs: [window(20, 5, null)], s2: { standardBatch: 65 }, localSteps: 2, stepMsOf }));

    expect(calls).toEqual([[0, 32.5, 4, 8]]);
    expect(decision.working[0]).toMatchObject({ c: 0.8, cFrom: 'estimate at B/2' });
    // one node: G = floor(65 / 2) = 32, all of it; maxBatch defaults to G, not B
    expect(decision.batches).toEqual([32]);
  });

  it('floors the time per sample at 1e-6 ms', () => {
    const decision = balanced.decide(view({ samplesMs: [window(20, 5, null), window(20, 5, null)], lastResponseMs: [0, 0], lastBatch: [10, 10] }));

    expect(decision.working.map((w) => w.c)).toEqual([1e-6, 1e-6]);
    expect(decision.batches).toEqual([32, 32]);
  });

  it('gives 0 to a node without a non-lost sample, and to all when G = 0', () => {
    // node 1 lost every sample: not in the split (n = 1 → G = 32, all to node 0)
    const decision = balanced.decide(view({ samplesMs: [window(20, 5, null), window(0, 5, null)], lastResponseMs: [10, null], lastBatch: [10, null] }));
    expect(decision.batches).toEqual([32, 0]);
    expect(decision.working[1]).toMatchObject({ latencyMs: null, d: null, c: null, clipped: 'no samples', split: 0 });
    // every sample at 90 ms: e = 0 everywhere, so G = 0 even though the samples are not lost
    const none = balanced.decide(view({ samplesMs: [window(0, 5, 90)], lastResponseMs: [10], lastBatch: [10] }));
    expect(none.batches).toEqual([0]);
  });

  it('clamps to [minBatch, maxBatch ?? G], except that a split of 0 stays 0', () => {
    // the three nodes above split 67, 29, 0
    expect(balanced.decide(view({ ...threeNodes, s2: { maxBatch: 50 } })).batches).toEqual([50, 29, 0]);
    expect(balanced.decide(view({ ...threeNodes, s2: { minBatch: 40 } })).batches).toEqual([67, 40, 0]);
  });
});

describe('resources stage cores', () => {
  function resourceView(s3: S3Config = { ...S3_DEFAULTS }): ResourceRoundView {
    return {
      nodes: [{ cores: 16, bandwidthBps: 1e9 }, { cores: 2, bandwidthBps: 1e9 }, { cores: 64, bandwidthBps: 1e9 }],
      batches: [32, 8, 0],
      responseMs: [4, 1, null],
      pressures: [128, 8, 0],
      referencePressure: 68,
      s3,
    };
  }

  it('gives every dispatched node all its cores, whatever maxThreads says, and the base queue', () => {
    const { allocations, working } = cores.allocate(resourceView({ ...S3_DEFAULTS, maxThreads: 4 }));

    expect(allocations).toEqual([{ threads: 16, ioQueue: 8 }, { threads: 2, ioQueue: 8 }, { threads: 0, ioQueue: 0 }]);
    expect(working[0]).toEqual({ rule: 'cores', cores: 16 });
  });

  it('clamps the queue as S3 does', () => {
    expect(cores.allocate(resourceView({ ...S3_DEFAULTS, maxQueue: 5 })).allocations[0]).toEqual({ threads: 16, ioQueue: 5 });
    expect(cores.allocate(resourceView({ ...S3_DEFAULTS, baseQueue: 2, minQueue: 3 })).allocations[1]).toEqual({ threads: 2, ioQueue: 3 });
  });
});

describe('aggregation stage batch', () => {
  it('weighs each participant by the samples it trained this round (batch × localSteps)', () => {
    // batches 40, 20, 28 with 2 local steps → 80, 40, 56 of 176 → 5/11, 5/22, 7/22
    const participants = [40, 20, 28].map((batch) => ({ gradNormHistory: [1, 2, 3], sampleCount: 100, batch, localSteps: 2 }));
    const { weights, volatilities, working } = batchWeights.weigh(participants, { ...S4_DEFAULTS, maxWeight: null });

    expect(weights[0]).toBeCloseTo(5 / 11, 15);
    expect(weights[1]).toBeCloseTo(5 / 22, 15);
    expect(weights[2]).toBeCloseTo(7 / 22, 15);
    expect(working[2]).toEqual({ rule: 'batch', samples: 56, total: 176 });
    // shown, not weighed by: cv of [1, 2, 3] = 0.8165 / 2
    expect(volatilities[0]).toBeCloseTo(Math.sqrt(2 / 3) / 2, 12);
  });

  it('ignores the nodes’ training-set sizes (that is `samples`, FedAvg)', () => {
    const participants = [{ gradNormHistory: [1], sampleCount: 10, batch: 8, localSteps: 1 }, { gradNormHistory: [1], sampleCount: 1000, batch: 8, localSteps: 1 }];
    expect(batchWeights.weigh(participants, { ...S4_DEFAULTS, maxWeight: null }).weights).toEqual([0.5, 0.5]);
  });
});

describe('preset lb-bsp', () => {
  it('is balanced batches, all cores and weights by samples trained', () => {
    expect(registry.presetStrategy('lb-bsp')).toEqual({ name: 'lb-bsp', batch: 'balanced', resources: 'cores', aggregation: 'batch' });
    expect(registry.strategyOf({ batch: 'balanced', resources: 'cores', aggregation: 'batch' }).name).toBe('lb-bsp');
  });
});
