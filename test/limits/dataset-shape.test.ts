import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { datasetShape, SHIPPED_SHAPES } from '../../src/limits/dataset-shape.js';
import { loadDataset } from '../../src/train/datasets.js';

describe('datasetShape', () => {
  it.each(Object.keys(SHIPPED_SHAPES))('%s: the table matches the shipped file', (name) => {
    const data = loadDataset({ kind: 'builtin', name: name as 'iris' }, 1);
    expect(SHIPPED_SHAPES[name]).toEqual({ samples: data.samples, features: data.featureCount, classes: data.classCount });
  });

  it('blobs: as configured; csv: as read', () => {
    expect(datasetShape({ kind: 'blobs', samples: 100, features: 5, classes: 4, spread: 1 })).toEqual({ samples: 100, features: 5, classes: 4 });
    const file = join(import.meta.dirname, '..', 'scenario', 'fixtures', 'tiny-dataset.csv');
    const data = loadDataset({ kind: 'csv', file }, 1);
    expect(datasetShape({ kind: 'csv', file })).toEqual({ samples: data.samples, features: data.featureCount, classes: data.classCount });
  });
});
