/**
 * Train/test split and feature standardisation (SPEC §3: "Features are standardised with
 * training-split statistics").
 *
 * Split: a seeded permutation (stream `<seed>/data/split`); the first
 * `round(n · testFraction)` samples (half up, at least 1, at most n − 1) are the test split,
 * the rest the training split, both in permutation order. The split is not stratified: it
 * is the plain random split users know from `train_test_split`, and class balance of the test
 * split is left to chance.
 *
 * Standardisation: per feature, mean and population std over the TRAINING split only, in
 * float64; a feature that is constant on the training split keeps std 1 (it becomes 0, not
 * NaN). The same transform is applied to the test split, so no test information leaks.
 */
import { DtrainError } from '../errors.js';
import { makeRng, shuffleInPlace } from '../sim/rng.js';
import type { Dataset } from '../scenario/dataset-csv.js';
import { testSampleCount } from '../scenario/split-size.js';

export interface TrainTestSplit {
  train: Dataset;
  test: Dataset;
}

export interface FeatureStats {
  mean: Float64Array;
  std: Float64Array;
}

export { testSampleCount };

/** The rows `indices` of `dataset`, in that order. */
export function selectRows(dataset: Dataset, indices: ArrayLike<number>, name = dataset.name): Dataset {
  const width = dataset.featureCount;
  const features = new Float32Array(indices.length * width);
  const labels = new Int32Array(indices.length);
  for (let r = 0; r < indices.length; r++) {
    const source = indices[r]!;
    features.set(dataset.features.subarray(source * width, (source + 1) * width), r * width);
    labels[r] = dataset.labels[source]!;
  }
  return { name, features, labels, samples: indices.length, featureCount: width, classCount: dataset.classCount };
}

export function splitTrainTest(dataset: Dataset, testFraction: number, seed: number): TrainTestSplit {
  if (dataset.samples < 2) {
    throw new DtrainError('data.invalid', `dataset ${dataset.name} has ${dataset.samples} sample(s); a train/test split needs at least 2`);
  }
  const order = Int32Array.from({ length: dataset.samples }, (_, i) => i);
  shuffleInPlace(order, makeRng(seed, 'data', 'split'));
  const testCount = testSampleCount(dataset.samples, testFraction);
  return {
    test: selectRows(dataset, order.subarray(0, testCount)),
    train: selectRows(dataset, order.subarray(testCount)),
  };
}

/** Per-feature mean and population std of `dataset` (std 1 for a constant feature). */
export function featureStats(dataset: Dataset): FeatureStats {
  const { features, samples, featureCount: width } = dataset;
  const mean = new Float64Array(width);
  const std = new Float64Array(width);
  for (let f = 0; f < width; f++) {
    let sum = 0;
    let min = Infinity;
    let max = -Infinity;
    for (let r = 0; r < samples; r++) {
      const x = features[r * width + f]!;
      sum += x;
      if (x < min) min = x;
      if (x > max) max = x;
    }
    const m = sum / samples;
    let squares = 0;
    for (let r = 0; r < samples; r++) squares += (features[r * width + f]! - m) ** 2;
    mean[f] = m;
    // Tested on min === max rather than std === 0: rounding leaves a tiny non-zero variance.
    std[f] = min === max ? 1 : Math.sqrt(squares / samples);
  }
  return { mean, std };
}

/** (x − mean) / std per feature, as a new dataset. */
export function applyStandardisation(dataset: Dataset, stats: FeatureStats): Dataset {
  const width = dataset.featureCount;
  const features = new Float32Array(dataset.features.length);
  for (let i = 0; i < features.length; i++) {
    const f = i % width;
    features[i] = (dataset.features[i]! - stats.mean[f]!) / stats.std[f]!;
  }
  return { ...dataset, features };
}

/** Standardises both splits with the training split's statistics. */
export function standardiseSplit(split: TrainTestSplit): TrainTestSplit {
  const stats = featureStats(split.train);
  return { train: applyStandardisation(split.train, stats), test: applyStandardisation(split.test, stats) };
}
