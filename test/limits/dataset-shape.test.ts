import { describe, expect, it } from 'vitest';
import { datasetShape, SHIPPED_SHAPES } from '../../src/limits/dataset-shape.js';
import { nodeHost } from '../../src/node/host.js';
import { parseDatasetCsv } from '../../src/scenario/dataset-csv.js';
import { loadDataset } from '../../src/train/datasets.js';

describe('datasetShape', () => {
  it.each(Object.keys(SHIPPED_SHAPES))('%s: the table matches the shipped file', (name) => {
    const data = loadDataset({ kind: 'builtin', name: name as 'iris' }, 1, nodeHost.shippedDataset);
    expect(SHIPPED_SHAPES[name]).toEqual({ samples: data.samples, features: data.featureCount, classes: data.classCount });
  });

  it('blobs: as configured; csv: as read at load (the file is not opened again)', () => {
    expect(datasetShape({ kind: 'blobs', samples: 100, features: 5, classes: 4, spread: 1 })).toEqual({ samples: 100, features: 5, classes: 4 });
    const parsed = parseDatasetCsv('a,b,label\n1,2,0\n3,4,2\n5,6,1\n', 'd.csv');
    expect(datasetShape({ kind: 'csv', file: '/nowhere/d.csv', sha256: '', parsed })).toEqual({ samples: 3, features: 2, classes: 3 });
  });
});
