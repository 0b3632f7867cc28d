/**
 * Datasets (SPEC §3 "Datasets"): the four shipped CSVs, seeded Gaussian blobs, or a user CSV.
 *
 * A user CSV was read and parsed once, when the scenario was loaded (scenario/resolve-data.ts):
 * its rows come with the scenario and no file is opened here. A shipped dataset's text comes
 * from the host (src/host.ts), which knows where the package's data/datasets/ lives.
 */
import { DtrainError, formatIssue } from '../errors.js';
import type { Host } from '../host.js';
import { DataFileError, parseDatasetCsv, type Dataset } from '../scenario/dataset-csv.js';
import type { DatasetSpec } from '../scenario/types.js';
import { gaussianStream, makeBulkRng } from '../sim/rng.js';
import { shareable } from './shared-memory.js';
import { runSteps, type Steps } from './steps.js';

/** Where the text of a shipped dataset comes from: the host's `shippedDataset`. */
export type ShippedDatasets = Host['shippedDataset'];

/**
 * Blob class centres are drawn per feature from N(0, BLOB_CENTER_STD²): with `spread` 1 the
 * classes overlap a little (a useful, non-trivial task); a larger spread makes it harder.
 */
export const BLOB_CENTER_STD = 2.5;

function parseShipped(shipped: ShippedDatasets, name: Extract<DatasetSpec, { kind: 'builtin' }>['name']): Dataset {
  const { file, text } = shipped(name);
  try {
    return parseDatasetCsv(text, name);
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
  return runSteps(blobsInSteps(samples, featureCount, classCount, spread, seed));
}

/** Values generated between two steps of blobsInSteps: about 20 ms here. */
const BLOB_STEP_VALUES = 1 << 18;

/** makeBlobs, yielding every BLOB_STEP_VALUES values or so. */
function* blobsInSteps(samples: number, featureCount: number, classCount: number, spread: number, seed: number): Steps<Dataset> {
  if (!(Number.isInteger(samples) && Number.isInteger(featureCount) && Number.isInteger(classCount))
    || samples < 2 || featureCount < 1 || classCount < 2 || !(spread >= 0)) {
    throw new DtrainError('data.invalid', `blobs needs samples ≥ 2, features ≥ 1, classes ≥ 2 and spread ≥ 0, found ${samples}, ${featureCount}, ${classCount}, ${spread}`);
  }
  // Alea, not ARC4: a 100k × 64 dataset needs millions of draws (issue 3 start-up cost).
  // one stream of normals: the centers' first, then each sample's in order
  const noise = gaussianStream(makeBulkRng(seed, 'data', 'blobs'));
  const centers = new Float64Array(classCount * featureCount);
  for (let k = 0; k < centers.length; k++) centers[k] = BLOB_CENTER_STD * noise();
  // in memory a helper thread can share: the training and test sets are arranged in it (prepare.ts)
  const features = new Float32Array(shareable(samples * featureCount * 4));
  const labels = new Int32Array(shareable(samples * 4));
  const rowsPerStep = Math.max(1, Math.floor(BLOB_STEP_VALUES / featureCount));
  for (let i = 0; i < samples; i++) {
    const label = i % classCount;
    labels[i] = label;
    for (let f = 0; f < featureCount; f++) {
      features[i * featureCount + f] = centers[label * featureCount + f]! + spread * noise();
    }
    if ((i + 1) % rowsPerStep === 0) yield;
  }
  return { name: 'blobs', features, labels, samples, featureCount, classCount };
}

/** The dataset a scenario names; `seed` is used only by generated datasets. */
export function loadDataset(spec: DatasetSpec, seed: number, shipped: ShippedDatasets): Dataset {
  return runSteps(datasetInSteps(spec, seed, shipped));
}

/** loadDataset, in steps while blobs are generated. */
export function* datasetInSteps(spec: DatasetSpec, seed: number, shipped: ShippedDatasets): Steps<Dataset> {
  switch (spec.kind) {
    case 'builtin':
      return parseShipped(shipped, spec.name);
    case 'csv':
      return spec.parsed;
    case 'blobs':
      return yield* blobsInSteps(spec.samples, spec.features, spec.classes, spec.spread, seed);
  }
}
