/**
 * The size of a scenario's dataset, for the estimate (estimate.ts): known for the shipped
 * datasets and for blobs; a CSV dataset is read (it was already checked at load time).
 */
import type { DatasetSpec } from '../scenario/types.js';
import { loadDataset } from '../train/datasets.js';
import type { DatasetShape } from './estimate.js';

/** Rows × feature columns × classes of the shipped files (data/datasets/). */
export const SHIPPED_SHAPES: Readonly<Record<string, DatasetShape>> = {
  iris: { samples: 150, features: 4, classes: 3 },
  wine: { samples: 178, features: 13, classes: 3 },
  breast_cancer: { samples: 569, features: 30, classes: 2 },
  digits: { samples: 1797, features: 64, classes: 10 },
};

export function datasetShape(spec: DatasetSpec): DatasetShape {
  switch (spec.kind) {
    case 'builtin':
      return SHIPPED_SHAPES[spec.name]!;
    case 'blobs':
      return { samples: spec.samples, features: spec.features, classes: spec.classes };
    case 'csv': {
      const data = loadDataset(spec, 0);
      return { samples: data.samples, features: data.featureCount, classes: data.classCount };
    }
  }
}
