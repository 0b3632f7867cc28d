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
import { loadDataset, type ShippedDatasets } from './datasets.js';
import { addLabelNoise } from './label-noise.js';
import { initParams } from './params.js';
import { partitionIndices } from './partition.js';
import { copyRows, featureStats, selectRows, splitRows, type FeatureStats } from './split.js';

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
 * Memory a host's helper thread can read without a copy of its own (the training set is the
 * run's largest array), where the platform has shared memory.
 */
function shareable(bytes: number): ArrayBuffer | SharedArrayBuffer {
  return typeof SharedArrayBuffer === 'function' ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes);
}

/**
 * Concatenates the node shards, each with its own noisy labels: shard i holds the dataset's
 * rows `parts[i]`, standardised by `stats` as they are copied. Each row is written once,
 * into the training set itself (no copy of the training split, standardised or not, nor of
 * each shard: 131,072 shards at the largest scale, and a first touch of memory is slow on the
 * virtual machines this runs on).
 */
function expandByNode(dataset: Dataset, stats: FeatureStats, parts: Int32Array[], nodes: readonly NodeSpec[], seed: number): { data: EngineData; ranges: SampleRanges } {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const width = dataset.featureCount;
  const features = new Float32Array(shareable(total * width * 4));
  const labels = new Int32Array(shareable(total * 4));
  const ranges: SampleRanges = { first: new Int32Array(parts.length), count: new Int32Array(parts.length) };
  let offset = 0;
  parts.forEach((part, i) => {
    const end = offset + part.length;
    const shardLabels = labels.subarray(offset, end);
    copyRows(dataset, part, features.subarray(offset * width, end * width), shardLabels, stats);
    addLabelNoise(shardLabels, dataset.classCount, nodes[i]!.labelNoise, seed, nodes[i]!.id);
    ranges.first[i] = offset;
    ranges.count[i] = part.length;
    offset = end;
  });
  return { data: { features, labels, samples: total, featureCount: width, classCount: dataset.classCount }, ranges };
}

export function prepareTraining(input: TrainingInput): PreparedTraining {
  const { data, nodes, seed, hidden } = input;
  const dataset = loadDataset(data.dataset, seed, input.shipped);
  // the split (split.ts), standardised as each part is copied into place from the dataset
  const rows = splitRows(dataset, data.testFraction, seed);
  const stats = featureStats(dataset, rows.train);
  const parts = partitionIndices(rows.train.map((row) => dataset.labels[row]!), dataset.classCount, nodes.map((n) => n.dataShare), data.partition, seed);
  // a part holds positions in the training split: the dataset's rows in their place
  for (const part of parts) for (let k = 0; k < part.length; k++) part[k] = rows.train[part[k]!]!;
  const { data: train, ranges } = expandByNode(dataset, stats, parts, nodes, seed);
  return {
    train,
    test: toEngineData(selectRows(dataset, rows.test, stats)),
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
