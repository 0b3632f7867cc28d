/**
 * `data.dataset` → DatasetSpec (SPEC §3). A CSV dataset is read and parsed now, once: a bad
 * cell is reported with the scenario's other problems, and the spec carries the parsed rows
 * and the sha-256 of the bytes they came from, so training, the estimate and the scenario hash
 * never open the file again (it may have changed or been swapped since).
 * `data.partition` is checked against the dataset's size once the node count is known.
 */
import { sha256Hex } from '../text/sha256.js';
import { readDataFile, type ScenarioContext } from './context.js';
import { DataFileError, parseDatasetCsv } from './dataset-csv.js';
import { baseName } from './file-name.js';
import { SHIPPED_SHAPES } from './shipped-datasets.js';
import { testSampleCount } from './split-size.js';
import type { RawData } from './schema.js';
import type { DatasetSpec, PartitionSpec } from './types.js';

/** A resolved dataset and its number of rows (the partition check needs it). */
export interface ResolvedDataset {
  spec: DatasetSpec;
  samples: number;
}

export function resolveDataset(ctx: ScenarioContext, raw: RawData['dataset']): ResolvedDataset | undefined {
  if (typeof raw === 'string') return { spec: { kind: 'builtin', name: raw }, samples: SHIPPED_SHAPES[raw].samples };
  if (raw.blobs !== undefined) return { spec: { kind: 'blobs', ...raw.blobs }, samples: raw.blobs.samples };
  const written = raw.csv!;
  const file = ctx.host.resolvePath(ctx.baseDir, written);
  const path = ['data', 'dataset', 'csv'];
  const read = readDataFile(ctx.host, file, written, 'CSV file');
  if (!('text' in read)) {
    ctx.report(path, read.expected, read.found, 'value', read.code);
    return undefined;
  }
  try {
    const parsed = parseDatasetCsv(read.text, baseName(file));
    return { spec: { kind: 'csv', file, sha256: sha256Hex(read.bytes), parsed }, samples: parsed.samples };
  } catch (error) {
    if (!(error instanceof DataFileError)) throw error;
    ctx.report(path, error.expected, `${error.found} at ${written}:${error.line}:${error.column}`, 'value', 'file.invalid');
    return undefined;
  }
}

/**
 * `shards: k` cuts the training split into nodes · k shards of at least one sample each: a
 * larger k holds only empty shards, and `shards: 1e9` would allocate billions of them.
 */
export function checkPartition(ctx: ScenarioContext, partition: PartitionSpec, samples: number, testFraction: number, nodeCount: number): void {
  if (partition.kind !== 'shards') return;
  const train = samples - testSampleCount(samples, testFraction);
  const most = Math.max(1, Math.floor(train / nodeCount));
  if (partition.shards <= most) return;
  ctx.report(['data', 'partition', 'shards'], `at most ${most} shards per node (${train} training samples over ${nodeCount} node${nodeCount === 1 ? '' : 's'}, one sample per shard at least)`, undefined, 'value', 'field.range');
}

export function resolvePartition(raw: RawData['partition']): PartitionSpec {
  if (typeof raw === 'string') return { kind: 'iid' };
  return raw.dirichlet !== undefined ? { kind: 'dirichlet', alpha: raw.dirichlet } : { kind: 'shards', shards: raw.shards! };
}
