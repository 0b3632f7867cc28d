import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/scenario/dataset-csv.js';
import { nodeHost } from '../../src/node/host.js';
import { parseScenarioText } from '../../src/node/load.js';
import { loadDataset } from '../../src/train/datasets.js';
import { prepareTraining } from '../../src/train/prepare.js';
import { featureStats, selectRows, splitRows, testSampleCount, type FeatureStats } from '../../src/train/split.js';

/** The two splits as datasets of their own. */
function splitTrainTest(dataset: Dataset, testFraction: number, seed: number): { train: Dataset; test: Dataset } {
  const rows = splitRows(dataset, testFraction, seed);
  return { train: selectRows(dataset, rows.train), test: selectRows(dataset, rows.test) };
}

/** Both splits standardised by the training split's statistics, as prepareTraining does. */
function standardiseSplit(split: { train: Dataset; test: Dataset }): { train: Dataset; test: Dataset; stats: FeatureStats } {
  const stats = featureStats(split.train);
  const all = (dataset: Dataset): Int32Array => Int32Array.from({ length: dataset.samples }, (_, i) => i);
  return { train: selectRows(split.train, all(split.train), stats), test: selectRows(split.test, all(split.test), stats), stats };
}

function tinyDataset(samples: number): Dataset {
  const features = Float32Array.from({ length: samples * 2 }, (_, i) => i);
  const labels = Int32Array.from({ length: samples }, (_, i) => i % 2);
  return { name: 'tiny', features, labels, samples, featureCount: 2, classCount: 2 };
}

describe('testSampleCount', () => {
  it('rounds n · testFraction half up', () => {
    expect(testSampleCount(150, 0.2)).toBe(30);
    expect(testSampleCount(5, 0.3)).toBe(2); // 1.5 → 2
    expect(testSampleCount(10, 0.25)).toBe(3); // 2.5 → 3
  });

  it('keeps at least one sample in each split', () => {
    expect(testSampleCount(10, 0)).toBe(1);
    expect(testSampleCount(10, 0.99)).toBe(9);
  });
});

describe('splitRows and selectRows', () => {
  it('splits iris 120 / 30 at testFraction 0.2, covering every sample once', () => {
    // Arrange
    const iris = loadDataset({ kind: 'builtin', name: 'iris' }, 1, nodeHost.shippedDataset);
    // Act
    const { train, test } = splitTrainTest(iris, 0.2, 7);
    // Assert
    expect([train.samples, test.samples]).toEqual([120, 30]);
    const labelCounts = [0, 0, 0];
    for (const l of [...train.labels, ...test.labels]) labelCounts[l]! += 1;
    expect(labelCounts).toEqual([50, 50, 50]);
  });

  it('moves whole rows (features stay with their label)', () => {
    const { train, test } = splitTrainTest(tinyDataset(10), 0.3, 1);
    for (const part of [train, test]) {
      for (let r = 0; r < part.samples; r++) {
        const original = part.features[r * 2]! / 2;
        expect(part.features[r * 2 + 1]).toBe(part.features[r * 2]! + 1);
        expect(part.labels[r]).toBe(original % 2);
      }
    }
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const a = splitTrainTest(tinyDataset(40), 0.25, 3);
    const b = splitTrainTest(tinyDataset(40), 0.25, 3);
    const c = splitTrainTest(tinyDataset(40), 0.25, 4);
    expect(b.test.features).toEqual(a.test.features);
    expect(c.test.features).not.toEqual(a.test.features);
  });
});

describe('standardisation by the training split (featureStats, selectRows with stats)', () => {
  it('gives the training split mean 0 and population std 1 per feature (wine)', () => {
    // Arrange
    const wine = loadDataset({ kind: 'builtin', name: 'wine' }, 1, nodeHost.shippedDataset);
    // Act
    const { train } = standardiseSplit(splitTrainTest(wine, 0.2, 11));
    const stats = featureStats({ ...train });
    // Assert
    for (let f = 0; f < train.featureCount; f++) {
      expect(stats.mean[f]).toBeCloseTo(0, 5);
      expect(stats.std[f]).toBeCloseTo(1, 5);
    }
  });

  it('applies the training statistics to the test split (hand-computed)', () => {
    // train feature values 1, 3 → mean 2, population std 1; test value 5 → (5 − 2) / 1 = 3
    const train: Dataset = { name: 't', features: Float32Array.of(1, 3), labels: Int32Array.of(0, 1), samples: 2, featureCount: 1, classCount: 2 };
    const test: Dataset = { ...train, features: Float32Array.of(5), labels: Int32Array.of(0), samples: 1 };
    const out = standardiseSplit({ train, test });
    expect(Array.from(out.train.features)).toEqual([-1, 1]);
    expect(Array.from(out.test.features)).toEqual([3]);
  });

  it('reads the rows it is given where they lie, in their order: the bits of the same rows copied out first', () => {
    // rows 2 and 0 of one feature 1, 7, 3: mean (3 + 1) / 2 = 2, population std 1
    const dataset: Dataset = { name: 't', features: Float32Array.of(1, 7, 3), labels: Int32Array.of(0, 1, 0), samples: 3, featureCount: 1, classCount: 2 };
    const picked = featureStats(dataset, Int32Array.of(2, 0));
    expect([picked.mean[0], picked.std[0]]).toEqual([2, 1]);
    // wine's training split: sums in a given row order round as they do over a copy in that order
    const wine = loadDataset({ kind: 'builtin', name: 'wine' }, 1, nodeHost.shippedDataset);
    const rows = splitRows(wine, 0.2, 11);
    const inPlace = featureStats(wine, rows.train);
    const copied = featureStats(selectRows(wine, rows.train));
    expect(Buffer.from(inPlace.mean.buffer).equals(Buffer.from(copied.mean.buffer))).toBe(true);
    expect(Buffer.from(inPlace.std.buffer).equals(Buffer.from(copied.std.buffer))).toBe(true);
    // and the order matters: the same rows sorted give other bits in some feature's std (the
    // means agree: float32 values of one feature add up exactly in float64, in any order)
    const sorted = featureStats(wine, Int32Array.from(rows.train).sort());
    expect(Buffer.from(sorted.mean.buffer).equals(Buffer.from(copied.mean.buffer))).toBe(true);
    expect(Buffer.from(sorted.std.buffer).equals(Buffer.from(copied.std.buffer))).toBe(false);
  });

  it('maps a feature constant on the training split to 0 instead of NaN', () => {
    const train: Dataset = { name: 't', features: Float32Array.of(0.1, 0.1, 0.1), labels: Int32Array.of(0, 1, 0), samples: 3, featureCount: 1, classCount: 2 };
    const test: Dataset = { ...train, features: Float32Array.of(1.1), labels: Int32Array.of(0), samples: 1 };
    const out = standardiseSplit({ train, test });
    expect(Array.from(out.train.features)).toEqual([0, 0, 0]);
    expect(out.test.features[0]).toBeCloseTo(1, 6);
  });
});

describe('prepareTraining', () => {
  it("is the standardised training split, rows by node in the partition's order, and the standardised test split", () => {
    const wine = loadDataset({ kind: 'builtin', name: 'wine' }, 1, nodeHost.shippedDataset);
    const scenario = parseScenarioText(`
name: prepared
seed: 11
rounds: 1
data: { dataset: wine, testFraction: 0.2, partition: { dirichlet: 0.3 } }
model: { hidden: [4] }
cluster:
  defaults: { latency: { constant: 4 } }
  nodes:
    - { id: a, count: 3 }
    - { id: b, dataShare: 2 }
`, 'prepared.yaml');
    const prepared = prepareTraining({
      data: scenario.data, nodes: scenario.cluster.nodes, seed: scenario.seed, hidden: [4], shipped: nodeHost.shippedDataset,
    });
    const { train, test } = standardiseSplit(splitTrainTest(wine, 0.2, 11));
    expect(prepared.test.features).toEqual(test.features);
    expect(prepared.test.labels).toEqual(test.labels);
    // every node's rows are rows of the standardised training split, each used once
    const rowsOf = new Map<string, number[]>();
    for (let r = 0; r < train.samples; r++) {
      const key = Array.from(train.features.subarray(r * train.featureCount, (r + 1) * train.featureCount)).join(',');
      rowsOf.set(key, [...(rowsOf.get(key) ?? []), r]);
    }
    const used = new Set<number>();
    for (let r = 0; r < prepared.train.samples; r++) {
      const key = Array.from(prepared.train.features.subarray(r * train.featureCount, (r + 1) * train.featureCount)).join(',');
      const match = rowsOf.get(key)?.find((row) => !used.has(row));
      expect(match).toBeDefined();
      used.add(match!);
      expect(prepared.train.labels[r]).toBe(train.labels[match!]);
    }
    expect(used.size).toBe(train.samples);
  });
});
