/**
 * The size of a scenario's dataset, for the estimate (estimate.ts): known for the shipped
 * datasets and for blobs; a CSV dataset's rows came with the scenario (read once, at load).
 */
import { SHIPPED_SHAPES } from '../scenario/shipped-datasets.js';
import type { DatasetSpec } from '../scenario/types.js';
import type { DatasetShape } from './estimate.js';

export { SHIPPED_SHAPES };

export function datasetShape(spec: DatasetSpec): DatasetShape {
  switch (spec.kind) {
    case 'builtin':
      return SHIPPED_SHAPES[spec.name]!;
    case 'blobs':
      return { samples: spec.samples, features: spec.features, classes: spec.classes };
    case 'csv': {
      const data = spec.parsed;
      return { samples: data.samples, features: data.featureCount, classes: data.classCount };
    }
  }
}
