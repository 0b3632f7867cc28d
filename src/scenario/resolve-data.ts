/**
 * `data.dataset` → DatasetSpec (SPEC §3). A CSV dataset is read and checked now, so that a
 * bad cell is reported with the scenario's other problems; the spec keeps its absolute path.
 */
import { resolve } from 'node:path';
import { DataFileError, parseDatasetCsv } from '../train/dataset-csv.js';
import { readTextFile, type ScenarioContext } from './context.js';
import type { RawData } from './schema.js';
import type { DatasetSpec, PartitionSpec } from './types.js';

export function resolveDataset(ctx: ScenarioContext, raw: RawData['dataset']): DatasetSpec | undefined {
  if (typeof raw === 'string') return { kind: 'builtin', name: raw };
  if (raw.blobs !== undefined) return { kind: 'blobs', ...raw.blobs };
  const written = raw.csv!;
  const file = resolve(ctx.baseDir, written);
  const path = ['data', 'dataset', 'csv'];
  const read = readTextFile(file, written, 'CSV file');
  if (!('text' in read)) {
    ctx.report(path, read.expected, read.found);
    return undefined;
  }
  try {
    parseDatasetCsv(read.text, written);
  } catch (error) {
    if (!(error instanceof DataFileError)) throw error;
    ctx.report(path, error.expected, `${error.found} at ${written}:${error.line}:${error.column}`);
    return undefined;
  }
  return { kind: 'csv', file };
}

export function resolvePartition(raw: RawData['partition']): PartitionSpec {
  if (typeof raw === 'string') return { kind: 'iid' };
  return raw.dirichlet !== undefined ? { kind: 'dirichlet', alpha: raw.dirichlet } : { kind: 'shards', shards: raw.shards! };
}
