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
    expect([0, 1, 2].map((i) => windows.efficiencyOf(i, s1))).toEqual([
      { efficiency: 0.75, effectiveMs: 300, observedMs: 400 },
      { efficiency: 0.5, effectiveMs: 200, observedMs: 400 },
      { efficiency: 0, effectiveMs: 0, observedMs: 400 },
    ]);
    rows.forEach((row, i) => expect(windows.efficiencyOf(i, s1)).toEqual(computeEfficiency(row, s1)));
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
