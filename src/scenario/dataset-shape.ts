/**
 * The size of a scenario's dataset without generating or loading it: known for the shipped
 * datasets and for blobs; a CSV dataset's rows came with the scenario (read once, at load).
 * What the estimate (limits/) and a run's helper thread, started before the data is prepared
 * (run/), read.
 */
import { SHIPPED_SHAPES } from './shipped-datasets.js';
import type { DatasetSpec } from './types.js';

export { SHIPPED_SHAPES };

export interface DatasetShape {
  samples: number;
  features: number;
  classes: number;
}

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
