import { describe, expect, it } from 'vitest';
import { S4_DEFAULTS, type S4Config } from '../../src/pipeline/s4-aggregation.js';
import { createStageRegistry } from '../../src/pipeline/stages/builtin.js';

const cfg: S4Config = { ...S4_DEFAULTS, maxWeight: null };

const registry = createStageRegistry();
const AGGREGATORS = {
  volatility: registry.stage('aggregation', 'volatility').weigh,
  mean: registry.stage('aggregation', 'mean').weigh,
  samples: registry.stage('aggregation', 'samples').weigh,
};

describe('the built-in aggregation stages', () => {
  it('are volatility, mean, samples and batch, in that order', () => {
    expect(registry.names('aggregation')).toEqual(['volatility', 'mean', 'samples', 'batch']);
  });

  it('volatility weighs by inverse volatility (relchange 0.099 / 0.399 → ≈ 0.8 / 0.2)', () => {
    // Arrange
    const participants = [
      { gradNormHistory: [100, 109.9], sampleCount: 10, batch: 1, localSteps: 1 },
      { gradNormHistory: [100, 139.9], sampleCount: 10, batch: 1, localSteps: 1 },
    ];

    // Act
    const { weights, volatilities } = AGGREGATORS.volatility(participants, { ...cfg, volatility: 'relchange' });

    // Assert
    expect(volatilities[0]).toBeCloseTo(0.099, 12);
    expect(volatilities[1]).toBeCloseTo(0.399, 12);
    expect(weights[0]).toBeCloseTo(0.8, 10);
    expect(weights[1]).toBeCloseTo(0.2, 10);
  });

  it('every built-in stage gives the same weights and volatilities without its working when it is not kept', () => {
    const participants = [
      { gradNormHistory: [100, 109.9], sampleCount: 10, batch: 4, localSteps: 1 },
      { gradNormHistory: [100, 139.9], sampleCount: 30, batch: 2, localSteps: 1 },
    ];
    for (const name of registry.names('aggregation')) {
      const weigh = registry.stage('aggregation', name).weigh;
      const kept = weigh(participants, cfg);
      const dropped = weigh(participants, cfg, { working: false });
      expect(dropped, name).toEqual({ weights: kept.weights, volatilities: kept.volatilities, working: [] });
      expect(kept.working, name).toHaveLength(2);
      expect(weigh(participants, cfg, { working: true }), name).toEqual(kept);
    }
  });

  it('volatility reports the mean it filled in for a node with one norm: the value its weight used', () => {
    // relchange 0.099 and 0.399 known; the newcomer is weighed (and reported) at their mean 0.249
    const participants = [
      { gradNormHistory: [100, 109.9], sampleCount: 10, batch: 1, localSteps: 1 },
      { gradNormHistory: [7], sampleCount: 10, batch: 1, localSteps: 1 },
      { gradNormHistory: [100, 139.9], sampleCount: 10, batch: 1, localSteps: 1 },
    ];

    const { weights, volatilities } = AGGREGATORS.volatility(participants, { ...cfg, volatility: 'relchange' });

    expect(volatilities[1]).toBe((volatilities[0]! + volatilities[2]!) / 2);
    expect(volatilities[1]).toBeCloseTo(0.249, 12);
    // 10 : 4 : 2.5 over 16.5
    expect(weights[1]).toBeCloseTo(8 / 33, 10);
  });

  it('volatility reports null for everyone when no node has 2 norms (equal weights, nothing filled in)', () => {
    const participants = [{ gradNormHistory: [1], sampleCount: 1, batch: 1, localSteps: 1 }, { gradNormHistory: [], sampleCount: 1, batch: 1, localSteps: 1 }];

    const { weights, volatilities } = AGGREGATORS.volatility(participants, cfg);

    expect({ weights, volatilities }).toEqual({ weights: [0.5, 0.5], volatilities: [null, null] });
  });

  it('mean gives equal weights and still reports each node\'s own volatility (none filled in: none is used)', () => {
    const participants = [
      { gradNormHistory: [1, 2, 3], sampleCount: 5, batch: 1, localSteps: 1 },
      { gradNormHistory: [4], sampleCount: 500, batch: 1, localSteps: 1 },
    ];

    const { weights, volatilities } = AGGREGATORS.mean(participants, cfg);

    expect(weights).toEqual([0.5, 0.5]);
    expect(volatilities[0]).toBeCloseTo(0.408248290463863, 14);
    expect(volatilities[1]).toBeNull();
  });

  it('samples weighs by training-sample count (FedAvg): 100 : 300 → 0.25 / 0.75', () => {
    const participants = [
      { gradNormHistory: [1], sampleCount: 100, batch: 1, localSteps: 1 },
      { gradNormHistory: [1], sampleCount: 300, batch: 1, localSteps: 1 },
    ];

    expect(AGGREGATORS.samples(participants, cfg).weights).toEqual([0.25, 0.75]);
  });

  it('samples falls back to equal weights when every count is 0', () => {
    const participants = [
      { gradNormHistory: [], sampleCount: 0, batch: 1, localSteps: 1 },
      { gradNormHistory: [], sampleCount: 0, batch: 1, localSteps: 1 },
    ];

    expect(AGGREGATORS.samples(participants, cfg).weights).toEqual([0.5, 0.5]);
  });
});

describe("the aggregation stages' working (explain renders it)", () => {
  it('volatility: each participant\'s v (own or the filled-in mean), 1/(v + ε), the sum and the share before the cap', () => {
    // relchange 0.1 (own) and 0.3 (own); the newcomer takes their mean 0.2; ε = 0.001
    const participants = [
      { gradNormHistory: [100, 110], sampleCount: 1, batch: 1, localSteps: 1 },
      { gradNormHistory: [5], sampleCount: 1, batch: 1, localSteps: 1 },
      { gradNormHistory: [100, 130], sampleCount: 1, batch: 1, localSteps: 1 },
    ];

    const { working } = AGGREGATORS.volatility(participants, { ...cfg, volatility: 'relchange', maxWeight: 0.4 });

    const v = working.map((w) => w.v as number);
    expect(v[0]).toBeCloseTo(0.1, 12);
    expect(v[1]).toBeCloseTo(0.2, 12);
    expect(working.map((w) => w.own)).toEqual(['yes', 'no', 'yes']);
    const terms = working.map((w) => w.term as number);
    expect(terms[0]).toBeCloseTo(1 / 0.101, 9);
    const sum = 1 / 0.101 + 1 / 0.201 + 1 / 0.301;
    expect(working[2]!.sum as number).toBeCloseTo(sum, 9);
    expect(working[0]!.raw as number).toBeCloseTo(1 / 0.101 / sum, 12);
    // the first share (≈ 0.55) is above 0.4: the cap changed the weights
    expect(working.map((w) => w.capped)).toEqual(['yes', 'yes', 'yes']);
    expect(working[0]).toMatchObject({ rule: 'inverse-volatility', epsilon: 0.001, maxWeight: 0.4 });
  });

  it('volatility with no volatility known: no terms (equal weights)', () => {
    const { working } = AGGREGATORS.volatility([{ gradNormHistory: [1], sampleCount: 1, batch: 1, localSteps: 1 }, { gradNormHistory: [2], sampleCount: 1, batch: 1, localSteps: 1 }], cfg);

    expect(working.map((w) => [w.rule, w.term, w.sum, w.own])).toEqual([['inverse-volatility', null, null, 'no'], ['inverse-volatility', null, null, 'no']]);
  });

  it('mean: the number of participants; samples: each count and their total', () => {
    const participants = [{ gradNormHistory: [1], sampleCount: 100, batch: 1, localSteps: 1 }, { gradNormHistory: [1], sampleCount: 300, batch: 1, localSteps: 1 }];

    expect(AGGREGATORS.mean(participants, cfg).working).toEqual([{ rule: 'mean', participants: 2 }, { rule: 'mean', participants: 2 }]);
    expect(AGGREGATORS.samples(participants, cfg).working).toEqual([
      { rule: 'samples', samples: 100, total: 400 }, { rule: 'samples', samples: 300, total: 400 },
    ]);
  });
});
