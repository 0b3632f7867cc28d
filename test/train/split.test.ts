import { describe, expect, it } from 'vitest';
import type { Dataset } from '../../src/scenario/dataset-csv.js';
import { nodeHost } from '../../src/node/host.js';
import { loadDataset } from '../../src/train/datasets.js';
import { featureStats, splitTrainTest, standardiseSplit, testSampleCount } from '../../src/train/split.js';

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

describe('splitTrainTest', () => {
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

describe('standardiseSplit', () => {
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

  it('maps a feature constant on the training split to 0 instead of NaN', () => {
    const train: Dataset = { name: 't', features: Float32Array.of(0.1, 0.1, 0.1), labels: Int32Array.of(0, 1, 0), samples: 3, featureCount: 1, classCount: 2 };
    const test: Dataset = { ...train, features: Float32Array.of(1.1), labels: Int32Array.of(0), samples: 1 };
    const out = standardiseSplit({ train, test });
    expect(Array.from(out.train.features)).toEqual([0, 0, 0]);
    expect(out.test.features[0]).toBeCloseTo(1, 6);
  });
});
