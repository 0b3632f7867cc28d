import { describe, expect, it } from 'vitest';
import { referencePressure, S3_DEFAULTS } from '../../src/pipeline/s3-resources.js';
import type { ResourceStageDefinition } from '../../src/pipeline/stage-registry.js';
import { createStageRegistry } from '../../src/pipeline/stages/builtin.js';

describe('the pressure resources stage', () => {
  const stage = createStageRegistry().stage('resources', 'pressure') as ResourceStageDefinition;
  const s3 = { ...S3_DEFAULTS, baseThreads: 4, baseQueue: 8, minThreads: 1, maxThreads: 16, minQueue: 1, maxQueue: 64 };
  const node = (cores: number) => ({ cores, bandwidthBps: 1e9 });

  it('nodes of one pressure share one frozen working, and of one pressure and core count one frozen allocation', () => {
    // P_ref 100: pressure 150 → threads round(6) = 6 (4 on a 4-core node), queue 12; pressure 50 → 2 and 4
    const decision = stage.allocate({
      nodes: [node(8), node(8), node(4), node(8), node(8)],
      batches: [32, 32, 32, 16, 0],
      responseMs: [4.6875, 4.6875, 4.6875, 3.125, null],
      pressures: [150, 150, 150, 50, 0],
      referencePressure: 100,
      s3,
    });
    expect(decision.allocations).toEqual([
      { threads: 6, ioQueue: 12 }, { threads: 6, ioQueue: 12 }, { threads: 4, ioQueue: 12 }, { threads: 2, ioQueue: 4 }, { threads: 0, ioQueue: 0 },
    ]);
    expect(decision.allocations[0]).toBe(decision.allocations[1]);
    expect(decision.allocations[0]).not.toBe(decision.allocations[2]);
    expect(Object.isFrozen(decision.allocations[0])).toBe(true);
    expect(decision.working.slice(0, 4)).toEqual([
      { rule: 'pressure', threadsRatio: 6, queueRatio: 12 },
      { rule: 'pressure', threadsRatio: 6, queueRatio: 12 },
      { rule: 'pressure', threadsRatio: 6, queueRatio: 12 },
      { rule: 'pressure', threadsRatio: 2, queueRatio: 4 },
    ]);
    expect(decision.working[0]).toBe(decision.working[2]);
    expect(Object.isFrozen(decision.working[0])).toBe(true);
    // a node not dispatched still shows its pressure's working (0 here), as before
    expect(decision.working[4]).toEqual({ rule: 'pressure', threadsRatio: 0, queueRatio: 0 });
  });
});

describe('referencePressure', () => {
  it('is the median of many pressures, as a comparator sort gives it', () => {
    let state = 3;
    const pressures = Array.from({ length: 10_001 }, () => (state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 1_000);
    const sorted = [...pressures].sort((a, b) => a - b);
    expect(referencePressure(pressures)).toBe(sorted[5_000]);
    // the round's pressures come as a column; the column is left as it was
    const column = Float64Array.from(pressures);
    expect(referencePressure(column)).toBe(sorted[5_000]);
    expect(Array.from(column)).toEqual(pressures);
    expect(referencePressure(pressures.slice(1))).toBe((sorted.filter((p) => p !== pressures[0])[4_999]! + sorted.filter((p) => p !== pressures[0])[5_000]!) / 2);
  });

  it('is finite for two middle pressures whose sum is not (each halved first), and unchanged where the sum is finite', () => {
    // 1e308-scale step times: (a + b) / 2 was Infinity, which S3 refused with a RangeError
    expect(referencePressure([1.75e308, 1.75e308])).toBe(1.75e308);
    expect(referencePressure(Float64Array.from([1e308, 1.5e308]))).toBe(1.25e308);
    expect(referencePressure([0.1, 0.2])).toBe((0.1 + 0.2) / 2);
  });

  it('keeps the comparator order when a pressure is NaN', () => {
    // the comparator sort leaves the NaN where it is relative to its neighbours: [3, NaN, 1] stays
    expect(referencePressure([3, Number.NaN, 1])).toBe([3, Number.NaN, 1].sort((a, b) => a - b)[1]);
    expect(referencePressure(Float64Array.from([3, Number.NaN, 1]))).toBe([3, Number.NaN, 1].sort((a, b) => a - b)[1]);
  });
});
