/**
 * Datasets (SPEC §3 "Datasets"): the four shipped CSVs, seeded Gaussian blobs, or a user CSV.
 *
 * Shipped files live in `<package root>/data/datasets/`. This module sits two levels below the
 * root both as `src/train/datasets.ts` (vitest) and as `dist/train/datasets.js` (built CLI), so
 * one relative URL finds them in both.
 */
import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DtrainError, formatIssue } from '../errors.js';
import { MAX_DATA_FILE_BYTES, readFileBounded, readTextFileLimited } from '../scenario/text-file.js';
import type { DatasetSpec } from '../scenario/types.js';
import { fillGaussian, makeBulkRng } from '../sim/rng.js';
import { DataFileError, parseDatasetCsv, type Dataset } from './dataset-csv.js';

const SHIPPED_DIR = new URL('../../data/datasets/', import.meta.url);

/**
 * Blob class centres are drawn per feature from N(0, BLOB_CENTER_STD²): with `spread` 1 the
 * classes overlap a little (a useful, non-trivial task); a larger spread makes it harder.
 */
export const BLOB_CENTER_STD = 2.5;

export function shippedDatasetPath(name: string): string {
  return fileURLToPath(new URL(`${name}.csv`, SHIPPED_DIR));
}

/**
 * A CSV dataset's bytes (for the scenario hash), read like every other read of it: bounded,
 * and refused unless the open file is a regular one. The file was checked when the scenario
 * was loaded, but it may have been swapped since (a FIFO there would block forever).
 */
export function readDatasetBytes(file: string): Uint8Array {
  const read = readFileBounded(file, MAX_DATA_FILE_BYTES, { regularOnly: true });
  if (!read.ok) throw new DtrainError('data.notFound', `cannot read dataset ${file}: ${read.problem}`);
  return read.bytes;
}

function readCsvDataset(file: string, name: string): Dataset {
  const read = readTextFileLimited(file, MAX_DATA_FILE_BYTES, { regularOnly: true, quoteBytes: false });
  if (!read.ok) {
    if ('line' in read) {
      throw new DtrainError('data.invalid', `dataset ${formatIssue({ file, line: read.line, column: read.column, path: '', expected: 'a UTF-8 text file', found: read.problem })}`);
    }
    throw new DtrainError('data.notFound', `cannot read dataset ${file}: ${read.problem}`);
  }
  try {
    return parseDatasetCsv(read.text, name);
  } catch (error) {
    if (!(error instanceof DataFileError)) throw error;
    const { line, column, expected, found } = error;
    throw new DtrainError('data.invalid', `dataset ${formatIssue({ file, line, column, path: '', expected, found })}`);
  }
}

/**
 * Seeded Gaussian blobs (stream `<seed>/data/blobs`): class centres c_k ~ N(0, 2.5²) per
 * feature, then sample i has label `i mod classes` (balanced, round-robin) and features
 * N(c_label, spread²). Draw order: all centres class-major, then samples row by row, from a
 * seedrandom Alea stream with both Box–Muller branches.
 */
export function makeBlobs(samples: number, featureCount: number, classCount: number, spread: number, seed: number): Dataset {
  if (!(Number.isInteger(samples) && Number.isInteger(featureCount) && Number.isInteger(classCount))
    || samples < 2 || featureCount < 1 || classCount < 2 || !(spread >= 0)) {
    throw new DtrainError('data.invalid', `blobs needs samples ≥ 2, features ≥ 1, classes ≥ 2 and spread ≥ 0, found ${samples}, ${featureCount}, ${classCount}, ${spread}`);
  }
  // Alea, not ARC4: a 100k × 64 dataset needs millions of draws (issue 3 start-up cost).
  const noise = new Float64Array(classCount * featureCount + samples * featureCount);
  fillGaussian(noise, makeBulkRng(seed, 'data', 'blobs'));
  const centers = noise.subarray(0, classCount * featureCount).map((z) => BLOB_CENTER_STD * z);
  const features = new Float32Array(samples * featureCount);
  const labels = new Int32Array(samples);
  const offset = centers.length;
  for (let i = 0; i < samples; i++) {
    const label = i % classCount;
    labels[i] = label;
    for (let f = 0; f < featureCount; f++) {
      features[i * featureCount + f] = centers[label * featureCount + f]! + spread * noise[offset + i * featureCount + f]!;
    }
  }
  return { name: 'blobs', features, labels, samples, featureCount, classCount };
}

/** The dataset a scenario names; `seed` is used only by generated datasets. */
export function loadDataset(spec: DatasetSpec, seed: number): Dataset {
  switch (spec.kind) {
    case 'builtin':
      return readCsvDataset(shippedDatasetPath(spec.name), spec.name);
    case 'csv':
      return readCsvDataset(spec.file, basename(spec.file));
    case 'blobs':
      return makeBlobs(spec.samples, spec.features, spec.classes, spec.spread, seed);
  }
}
