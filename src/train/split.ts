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
import { runSteps, type Steps } from './steps.js';

export interface FeatureStats {
  mean: Float64Array;
  std: Float64Array;
}

export { testSampleCount };

/** The rows `indices` of `dataset`, in that order; standardised by `stats` when given. */
export function selectRows(dataset: Dataset, indices: ArrayLike<number>, stats?: FeatureStats): Dataset {
  const width = dataset.featureCount;
  const features = new Float32Array(indices.length * width);
  const labels = new Int32Array(indices.length);
  copyRows(dataset, indices, features, labels, stats);
  return { name: dataset.name, features, labels, samples: indices.length, featureCount: width, classCount: dataset.classCount };
}

/**
 * Rows `indices` of `dataset` into `features` and `labels` from their starts, each feature
 * standardised by `stats` when given ((x − mean) / std in float64, stored as float32). Copied
 * value by value: a subarray and a set() per row of a few features took 1.25 s for the million
 * rows of the 131,072-node benchmark, this loop about 0.2 s.
 */
export function copyRows(dataset: Dataset, indices: ArrayLike<number>, features: Float32Array, labels: Int32Array, stats?: FeatureStats): void {
  const width = dataset.featureCount;
  const source = dataset.features;
  for (let r = 0; r < indices.length; r++) {
    const row = indices[r]!;
    const from = row * width;
    const to = r * width;
    if (stats === undefined) for (let f = 0; f < width; f++) features[to + f] = source[from + f]!;
    else for (let f = 0; f < width; f++) features[to + f] = (source[from + f]! - stats.mean[f]!) / stats.std[f]!;
    labels[r] = dataset.labels[row]!;
  }
}

/** The split as rows of the dataset: the test rows, then the training rows, each in permutation order. */
export interface SplitRows {
  test: Int32Array;
  train: Int32Array;
}

export function splitRows(dataset: Dataset, testFraction: number, seed: number): SplitRows {
  if (dataset.samples < 2) {
    throw new DtrainError('data.invalid', `dataset ${dataset.name} has ${dataset.samples} sample(s); a train/test split needs at least 2`);
  }
  const order = Int32Array.from({ length: dataset.samples }, (_, i) => i);
  shuffleInPlace(order, makeRng(seed, 'data', 'split'));
  const testCount = testSampleCount(dataset.samples, testFraction);
  return { test: order.subarray(0, testCount), train: order.subarray(testCount) };
}

/**
 * Per-feature mean and population std of the rows `indices` of `dataset` (all its rows when
 * not given; std 1 for a constant feature). Each feature's sums run over the rows in the order
 * given; the rows are read one after the other, every feature's sum at once, which is the same
 * additions in the same order as a pass per feature. Read where they lie rather than from a
 * copy of the training split: at 600,000 samples of 256 features such a copy was 469 MiB of a
 * run's peak.
 */
export function featureStats(dataset: Dataset, indices?: ArrayLike<number>): FeatureStats {
  return runSteps(featureStatsSteps(dataset, indices));
}

/** Rows read between two of featureStatsSteps' steps: a few hundredths of a second. */
export const STATS_STEP_ROWS = 65_536;

/** featureStats, yielding every STATS_STEP_ROWS rows of each pass (over a second for 1,000,000 rows); the same sums in the same order. */
export function* featureStatsSteps(dataset: Dataset, indices?: ArrayLike<number>, stepRows = STATS_STEP_ROWS): Steps<FeatureStats> {
  const { features, featureCount: width } = dataset;
  const samples = indices === undefined ? dataset.samples : indices.length;
  const rowAt = indices === undefined ? (r: number) => r * width : (r: number) => indices[r]! * width;
  const sum = new Float64Array(width);
  const min = new Float64Array(width).fill(Infinity);
  const max = new Float64Array(width).fill(-Infinity);
  for (let r = 0; r < samples; r++) {
    if (r > 0 && r % stepRows === 0) yield;
    const at = rowAt(r);
    for (let f = 0; f < width; f++) {
      const x = features[at + f]!;
      sum[f] += x;
      if (x < min[f]!) min[f] = x;
      if (x > max[f]!) max[f] = x;
    }
  }
  const mean = new Float64Array(width);
  for (let f = 0; f < width; f++) mean[f] = sum[f]! / samples;
  const squares = new Float64Array(width);
  for (let r = 0; r < samples; r++) {
    if (r % stepRows === 0) yield;
    const at = rowAt(r);
    for (let f = 0; f < width; f++) squares[f] += (features[at + f]! - mean[f]!) ** 2;
  }
  const std = new Float64Array(width);
  // Tested on min === max rather than std === 0: rounding leaves a tiny non-zero variance.
  for (let f = 0; f < width; f++) std[f] = min[f] === max[f] ? 1 : Math.sqrt(squares[f]! / samples);
  return { mean, std };
}
