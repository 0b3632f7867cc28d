import { describe, expect, it } from 'vitest';
import { planRound } from '../../src/pipeline/index.js';
import { SampleWindows } from '../../src/pipeline/sample-windows.js';
import { computeEfficiency, S1_DEFAULTS } from '../../src/pipeline/s1-efficiency.js';
import { S2_DEFAULTS } from '../../src/pipeline/s2-batch-size.js';
import { S3_DEFAULTS } from '../../src/pipeline/s3-resources.js';
import type { BatchStageDefinition } from '../../src/pipeline/stage-registry.js';
import { createStageRegistry } from '../../src/pipeline/stages/builtin.js';
import type { PlanRoundInput } from '../../src/pipeline/types.js';
import { stepMs } from '../../src/sim/time-model.js';

const NaN_ = Number.NaN;
// node 0: 3 of 4 below 50 ms; node 1: one lost, one at the threshold (not below), 2 below; node 2: all lost
const column = new Float64Array([5, 49.9, 90, 10, NaN_, 50, 1, 2, NaN_, NaN_, NaN_, NaN_]);
const rows = [[5, 49.9, 90, 10], [null, 50, 1, 2], [null, null, null, null]];
const s1 = { intervalMs: 100, thresholdMs: 50 };

describe('SampleWindows', () => {
  it('gives each node its row, NaN read as a lost sample (null)', () => {
    const windows = new SampleWindows(4, column);
    expect(windows.nodeCount).toBe(3);
    expect(windows.rows()).toEqual(rows);
    expect(windows.rows()).toBe(windows.rows()); // made once
  });

  it("computes each node's efficiency exactly as computeEfficiency of its row", () => {
    const windows = new SampleWindows(4, column);
    expect(windows.efficiencies(s1)).toEqual([
      { efficiency: 0.75, effectiveMs: 300, observedMs: 400 },
      { efficiency: 0.5, effectiveMs: 200, observedMs: 400 },
      { efficiency: 0, effectiveMs: 0, observedMs: 400 },
    ]);
    expect(windows.efficiencies(s1)).toEqual(rows.map((row) => computeEfficiency(row, s1)));
  });

  it('shares one frozen efficiency among the nodes with the same count', () => {
    // nodes 0 and 2: 2 of 3 below 50 ms; node 1: none
    const efficiencies = new SampleWindows(3, new Float64Array([1, 2, 60, NaN_, 70, 80, 60, 3, 4])).efficiencies(s1);
    expect(efficiencies[0]).toBe(efficiencies[2]);
    expect(efficiencies[0]).not.toBe(efficiencies[1]);
    expect(Object.isFrozen(efficiencies[0])).toBe(true);
    expect(efficiencies.map((e) => e.efficiency)).toEqual([2 / 3, 0, 2 / 3]);
  });
});

describe('planRound over a column of windows', () => {
  const node = { cores: 8, msPerSample: 0.5, parallelFraction: 1, ioMsPerBatch: 0, bandwidthBps: 1e9 };
  const registry = createStageRegistry();
  const input = (samplesMs: PlanRoundInput['samplesMs'], batch: BatchStageDefinition = registry.stage('batch', 'efficiency') as BatchStageDefinition): PlanRoundInput => ({
    nodes: [node, node, node],
    samplesMs,
    lastResponseMs: [null, 3, 7],
    lastBatch: [null, 24, 32],
    transferBytes: 62_500,
    localSteps: 1,
    stepMsOf: (_, b, threads, ioQueue) => stepMs(node, b, threads, ioQueue),
    stages: { batch, resources: registry.stage('resources', 'pressure') },
    s1: { ...S1_DEFAULTS, intervalMs: 100, windowMs: 400 },
    s2: { ...S2_DEFAULTS, maxBatch: null },
    s3: { ...S3_DEFAULTS },
  });

  it('plans as it does over rows, for the efficiency and the balanced batch stages', () => {
    for (const name of ['efficiency', 'balanced']) {
      const stage = registry.stage('batch', name) as BatchStageDefinition;
      expect(planRound(input(new SampleWindows(4, column), stage))).toEqual(planRound(input(rows, stage)));
    }
  });

  it('makes rows only for a batch stage that reads samplesMs', () => {
    const windows = new SampleWindows(4, column);
    let made = 0;
    const rowsOf = windows.rows.bind(windows);
    windows.rows = () => { made++; return rowsOf(); };
    planRound(input(windows));
    expect(made).toBe(0);
    const reader: BatchStageDefinition = {
      kind: 'batch', name: 'reader', summary: 'reads rows',
      decide: (view) => ({ batches: view.samplesMs.map((row) => row.filter((s) => s !== null).length), working: view.nodes.map(() => ({})) }),
    };
    expect(planRound(input(windows, reader)).map((plan) => plan.batch)).toEqual([4, 3, 0]);
    expect(made).toBe(1);
  });

  it('refuses a column of another node count', () => {
    expect(() => planRound(input(new SampleWindows(4, column.subarray(0, 8))))).toThrow(
      'planRound: 3 nodes but 2 sample windows, 3 response times and 3 last batches',
    );
  });
});

describe('the efficiency batch stage', () => {
  it('gives nodes of one efficiency one frozen working, and each efficiency its own batch', () => {
    const registry = createStageRegistry();
    const stage = registry.stage('batch', 'efficiency') as BatchStageDefinition;
    const node = { cores: 8, bandwidthBps: 1e9 };
    const e = (efficiency: number) => ({ efficiency, effectiveMs: 0, observedMs: 0 });
    const decision = stage.decide({
      nodes: [node, node, node, node],
      samplesMs: [],
      efficiency: [e(1), e(0.6), e(1), e(0)],
      lastResponseMs: [null, null, null, null],
      lastBatch: [null, null, null, null],
      transferBytes: 0,
      localSteps: 1,
      stepMsOf: () => 1,
      s1: { ...S1_DEFAULTS },
      s2: { ...S2_DEFAULTS, maxBatch: null },
      s3: { ...S3_DEFAULTS },
    });
    // B = 64: 64·1/2 = 32; 64·0.6/1.6 = 24; 0
    expect(decision.batches).toEqual([32, 24, 32, 0]);
    expect(decision.working[0]).toBe(decision.working[2]);
    expect(Object.isFrozen(decision.working[0])).toBe(true);
    expect(decision.working.slice(0, 2)).toEqual([
      { rule: 'efficiency', efficiencyUsed: 1, preliminary: 32, rounded: 32 },
      // 38.4 / 1.6 is 23.999999999999996 in doubles: S2 snaps it to the boundary before rounding
      { rule: 'efficiency', efficiencyUsed: 0.6, preliminary: (64 * 0.6) / (0.6 + 1), rounded: 24 },
    ]);
  });
});
