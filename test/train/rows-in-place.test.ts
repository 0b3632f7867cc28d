import { describe, expect, it } from 'vitest';
import { nodeHost } from '../../src/node/host.js';
import { parseScenarioText } from '../../src/node/load.js';
import { makeBlobs } from '../../src/train/datasets.js';
import { prepareTraining, type PreparedTraining } from '../../src/train/prepare.js';
import { destinations, permuteRows, standardiseInPlace } from '../../src/train/rows-in-place.js';

const bytes = (array: ArrayBufferView): Buffer => Buffer.from(array.buffer, array.byteOffset, array.byteLength);

describe('destinations', () => {
  it('numbers the rows of each group in turn (hand-computed)', () => {
    // groups [3, 0] and [2], then [1]: row 3 → 0, row 0 → 1, row 2 → 2, row 1 → 3
    expect(Array.from(destinations(4, [Int32Array.of(3, 0), Int32Array.of(2), Int32Array.of(1)])!)).toEqual([1, 3, 2, 0]);
  });

  it('is null unless every row is named exactly once', () => {
    expect(destinations(3, [Int32Array.of(0, 1), Int32Array.of(1, 2)])).toBeNull();
    expect(destinations(3, [Int32Array.of(0, 2)])).toBeNull();
  });
});

describe('permuteRows', () => {
  it('moves each row and its label to its destination, cycles and fixed points alike (hand-computed)', () => {
    // rows 0…5 of two features (10r, 10r + 1), labels 100 + r; to = [2, 0, 1, 3, 5, 4]:
    // the cycle 0 → 2 → 1 → 0, row 3 stays, and 4 ↔ 5
    const features = Float32Array.from({ length: 12 }, (_, i) => 10 * Math.floor(i / 2) + (i % 2));
    const labels = Int32Array.from({ length: 6 }, (_, r) => 100 + r);
    permuteRows(features, labels, 2, Int32Array.of(2, 0, 1, 3, 5, 4));
    expect(Array.from(features)).toEqual([10, 11, 20, 21, 0, 1, 30, 31, 50, 51, 40, 41]);
    expect(Array.from(labels)).toEqual([101, 102, 100, 103, 105, 104]);
  });

  it('moves the values as they are: −0, NaN and subnormals keep their bits', () => {
    const features = Float32Array.of(-0, Number.NaN, 1e-45, 3);
    const before = bytes(Float32Array.from(features));
    permuteRows(features, Int32Array.of(0, 1), 2, Int32Array.of(1, 0));
    expect(bytes(features).equals(Buffer.concat([before.subarray(8), before.subarray(0, 8)]))).toBe(true);
  });
});

describe('standardiseInPlace', () => {
  it('is (x − mean) / std per feature, stored as float32 (hand-computed)', () => {
    const features = Float32Array.of(1, 10, 3, 30);
    standardiseInPlace(features, 2, { mean: Float64Array.of(2, 20), std: Float64Array.of(1, 4) });
    expect(Array.from(features)).toEqual([-1, -2.5, 1, 2.5]);
  });
});

describe('prepareTraining arranges a generated dataset in its own memory', () => {
  const scenarioText = (samples: number, nodes: number): string => `
name: in-place
seed: 5
rounds: 1
data: { dataset: { blobs: { samples: ${samples}, features: 3, classes: 4 } }, testFraction: 0.25, partition: { dirichlet: 0.5 } }
model: { hidden: [4] }
cluster:
  defaults: { latency: { constant: 4 } }
  nodes:
    - { id: a, count: ${nodes - 1}, labelNoise: 0.3 }
    - { id: b, dataShare: 3 }
`;
  /** The same scenario prepared from blobs and from the same rows given as a CSV's (which are copied out). */
  function bothWays(samples: number, nodes: number): { generated: PreparedTraining; copied: PreparedTraining } {
    const scenario = parseScenarioText(scenarioText(samples, nodes), 'in-place.yaml');
    const prepare = (data: typeof scenario.data): PreparedTraining => prepareTraining({
      data, nodes: scenario.cluster.nodes, seed: scenario.seed, hidden: [4], shipped: nodeHost.shippedDataset,
    });
    const parsed = makeBlobs(samples, 3, 4, 1, scenario.seed);
    return {
      generated: prepare(scenario.data),
      copied: prepare({ ...scenario.data, dataset: { kind: 'csv', file: 'same.csv', sha256: '', parsed } }),
    };
  }
  const same = (a: PreparedTraining, b: PreparedTraining): void => {
    expect(bytes(a.train.features).equals(bytes(b.train.features))).toBe(true);
    expect(bytes(a.train.labels).equals(bytes(b.train.labels))).toBe(true);
    expect(bytes(a.test.features).equals(bytes(b.test.features))).toBe(true);
    expect(bytes(a.test.labels).equals(bytes(b.test.labels))).toBe(true);
    expect([a.sampleRanges, a.sampleCounts]).toEqual([b.sampleRanges, b.sampleCounts]);
  };

  it('the same bytes as rows copied out, in one shared buffer: the shards, then the test split', () => {
    const { generated, copied } = bothWays(400, 12);
    same(generated, copied);
    expect(generated.train.features.buffer).toBeInstanceOf(SharedArrayBuffer);
    expect(generated.test.features.buffer).toBe(generated.train.features.buffer);
    expect([generated.train.features.byteOffset, generated.test.features.byteOffset]).toEqual([0, 300 * 3 * 4]);
    expect(copied.test.features.buffer).not.toBe(copied.train.features.buffer);
    expect([generated.train.samples, generated.test.samples]).toEqual([300, 100]);
  });

  it('copies when nodes share rows (fewer training samples than nodes), with the same bytes', () => {
    const { generated, copied } = bothWays(20, 40);
    same(generated, copied);
    expect(generated.train.samples).toBe(40);
    expect(generated.test.features.buffer).not.toBe(generated.train.features.buffer);
  });
});
