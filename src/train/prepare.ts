/**
 * Everything the engines need before round 1, from the resolved scenario (SPEC §3 data, §2
 * "All strategies in one run share data split, initial weights and network"): dataset →
 * seeded split → standardisation → per-node partition → per-node label noise → initial params.
 *
 * The engine's training set is node-expanded: the concatenation of every node's shard, each
 * with that node's noisy labels, and a node's samples are a contiguous index range into it.
 * Shards are disjoint, so this is just the training split reordered; but when there are fewer
 * training samples than nodes, nodes share samples and each still gets its own label view.
 */
import type { NodeSpec, Scenario } from '../scenario/types.js';
import { cursorsOver, type BatchCursor, type SampleRanges } from './batches.js';
import type { EngineData } from './engine.js';
import type { Dataset } from '../scenario/dataset-csv.js';
import { datasetInSteps, type ShippedDatasets } from './datasets.js';
import { addLabelNoise } from './label-noise.js';
import { initParams } from './params.js';
import { partitionSteps } from './partition.js';
import { destinations, permuteRowsSteps, standardiseInPlace } from './rows-in-place.js';
import { isShareable, shareable } from './shared-memory.js';
import { copyRows, featureStatsSteps, selectRows, splitRows, type FeatureStats, type SplitRows } from './split.js';
import { runSteps, type Steps } from './steps.js';

export interface TrainingInput {
  data: Scenario['data'];
  nodes: readonly NodeSpec[];
  seed: number;
  hidden: readonly number[];
  /** the text of the shipped datasets (the host's) */
  shipped: ShippedDatasets;
}

export interface PreparedTraining {
  /** node-expanded training set (standardised, label noise applied) */
  train: EngineData;
  /** test split (standardised, clean labels) */
  test: EngineData;
  /** node ids, in scenario order; index i of every per-node array below */
  nodeIds: string[];
  /** per node, its samples in `train`: a contiguous range (what a helper thread makes its batch cursors from) */
  sampleRanges: SampleRanges;
  /** per node, its number of training samples (FedAvg weights) */
  sampleCounts: number[];
  initialParams: Float32Array[];
  datasetName: string;
  featureCount: number;
  classCount: number;
}

function toEngineData(dataset: Dataset): EngineData {
  const { features, labels, samples, featureCount, classCount } = dataset;
  return { features, labels, samples, featureCount, classCount };
}

/**
 * Concatenates the node shards, each with its own noisy labels: shard i holds the dataset's
 * rows `parts[i]`, standardised by `stats` as they are copied. Each row is written once,
 * into the training set itself (no copy of the training split, standardised or not, nor of
 * each shard: 131,072 shards at the largest scale, and a first touch of memory is slow on the
 * virtual machines this runs on).
 */
function expandByNode(dataset: Dataset, stats: FeatureStats, parts: Int32Array[], nodes: readonly NodeSpec[], seed: number): { train: EngineData; ranges: SampleRanges } {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const width = dataset.featureCount;
  const features = new Float32Array(shareable(total * width * 4));
  const labels = new Int32Array(shareable(total * 4));
  let offset = 0;
  for (const part of parts) {
    copyRows(dataset, part, features.subarray(offset * width, (offset + part.length) * width), labels.subarray(offset, offset + part.length), stats);
    offset += part.length;
  }
  const ranges = labelShards(labels, parts, dataset.classCount, nodes, seed);
  return { train: { features, labels, samples: total, featureCount: width, classCount: dataset.classCount }, ranges };
}

/** Each node's noisy labels, shard by shard, and the shards' places in the training set. */
function labelShards(labels: Int32Array, parts: Int32Array[], classCount: number, nodes: readonly NodeSpec[], seed: number): SampleRanges {
  return runSteps(labelShardsSteps(labels, parts, classCount, nodes, seed));
}

/** Parts between two steps of a loop over every node's part: a few hundredths of a second at 131,072 nodes. */
const STEP_PARTS = 16_384;

function* labelShardsSteps(labels: Int32Array, parts: Int32Array[], classCount: number, nodes: readonly NodeSpec[], seed: number): Steps<SampleRanges> {
  const ranges: SampleRanges = { first: new Int32Array(parts.length), count: new Int32Array(parts.length) };
  let offset = 0;
  for (let i = 0; i < parts.length; i++) {
    if (i > 0 && i % STEP_PARTS === 0) yield;
    const part = parts[i]!;
    addLabelNoise(labels.subarray(offset, offset + part.length), classCount, nodes[i]!.labelNoise, seed, nodes[i]!.id);
    ranges.first[i] = offset;
    ranges.count[i] = part.length;
    offset += part.length;
  }
  return ranges;
}

/**
 * The training set (the shards one after the other) and then the test split, arranged in the
 * dataset's own memory: possible when the dataset is this run's alone, in memory a helper
 * thread can share, and every row is in exactly one shard or the test split (not so when
 * there are fewer training samples than nodes: nodes then share rows). Null otherwise.
 */
function* arrangeInPlace(dataset: Dataset, owned: boolean, stats: FeatureStats, parts: Int32Array[], rows: SplitRows, nodes: readonly NodeSpec[], seed: number): Steps<{ train: EngineData; test: EngineData; ranges: SampleRanges } | null> {
  const { features, labels, featureCount: width, classCount } = dataset;
  if (!owned || !isShareable(features.buffer) || !isShareable(labels.buffer)) return null;
  const to = destinations(dataset.samples, [...parts, rows.test]);
  if (to === null) return null;
  yield;
  standardiseInPlace(features, width, stats);
  yield;
  yield* permuteRowsSteps(features, labels, width, to);
  yield;
  const trainCount = dataset.samples - rows.test.length;
  const ranges = yield* labelShardsSteps(labels.subarray(0, trainCount), parts, classCount, nodes, seed);
  const part = (from: number, to: number): EngineData => ({
    features: features.subarray(from * width, to * width), labels: labels.subarray(from, to), samples: to - from, featureCount: width, classCount,
  });
  return { train: part(0, trainCount), test: part(trainCount, dataset.samples), ranges };
}

export function prepareTraining(input: TrainingInput): PreparedTraining {
  return runSteps(preparingTraining(input));
}

/**
 * prepareTraining, yielding between its phases and inside each long one (generating, the
 * feature statistics, the partition, moving rows), some hundredths of a second apart, for a
 * host to take its turns and, between them, to stop (a Ctrl-C answered at once, not after the
 * seconds a large dataset takes).
 */
export function* preparingTraining(input: TrainingInput): Steps<PreparedTraining> {
  const { data, nodes, seed, hidden } = input;
  const dataset = yield* datasetInSteps(data.dataset, seed, input.shipped);
  yield;
  // the split (split.ts), standardised as its rows are arranged, or copied, into place
  const rows = splitRows(dataset, data.testFraction, seed);
  yield;
  const stats = yield* featureStatsSteps(dataset, rows.train);
  yield;
  const trainLabels = rows.train.map((row) => dataset.labels[row]!);
  yield;
  const parts = yield* partitionSteps(trainLabels, dataset.classCount, nodes.map((n) => n.dataShare), data.partition, seed);
  yield;
  // a part holds positions in the training split: the dataset's rows in their place
  for (let i = 0; i < parts.length; i++) {
    if (i > 0 && i % STEP_PARTS === 0) yield;
    const part = parts[i]!;
    for (let k = 0; k < part.length; k++) part[k] = rows.train[part[k]!]!;
  }
  yield;
  // a generated dataset is this run's own; a CSV's rows belong to the scenario, which a study or
  // sweep runs again
  const arranged = (yield* arrangeInPlace(dataset, data.dataset.kind === 'blobs', stats, parts, rows, nodes, seed))
    ?? { ...expandByNode(dataset, stats, parts, nodes, seed), test: toEngineData(selectRows(dataset, rows.test, stats)) };
  const { train, test, ranges } = arranged;
  return {
    train,
    test,
    nodeIds: nodes.map((n) => n.id),
    sampleRanges: ranges,
    sampleCounts: Array.from(ranges.count),
    initialParams: initParams(dataset.featureCount, hidden, dataset.classCount, seed),
    datasetName: dataset.name,
    featureCount: dataset.featureCount,
    classCount: dataset.classCount,
  };
}

/**
 * Fresh batch cursors, one per node in `prepared.nodeIds` order (one set per strategy run);
 * `drawn`: each moved on by as many indices as its node drew so far.
 */
export function makeCursors(prepared: PreparedTraining, seed: number, drawn?: ArrayLike<number>): BatchCursor[] {
  const cursors = cursorsOver(prepared.sampleRanges, prepared.nodeIds, seed);
  if (drawn !== undefined) cursors.forEach((cursor, i) => cursor.advance(drawn[i]!));
  return cursors;
}
