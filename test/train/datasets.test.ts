import { describe, expect, it } from 'vitest';
import { DtrainError } from '../../src/errors.js';
import { nodeHost, shippedDatasetPath } from '../../src/node/host.js';
import { DataFileError, describeCellKind, parseDatasetCsv } from '../../src/scenario/dataset-csv.js';
import { loadDataset, makeBlobs } from '../../src/train/datasets.js';

const shipped = nodeHost.shippedDataset;

describe('loadDataset — shipped datasets', () => {
  it.each([
    ['iris', 150, 4, 3],
    ['wine', 178, 13, 3],
    ['breast_cancer', 569, 30, 2],
    ['digits', 1797, 64, 10],
  ] as const)('%s has %i samples × %i features and %i classes', (name, samples, featureCount, classCount) => {
    // Act
    const dataset = loadDataset({ kind: 'builtin', name }, 1, shipped);
    // Assert
    expect([dataset.samples, dataset.featureCount, dataset.classCount]).toEqual([samples, featureCount, classCount]);
    expect(dataset.features).toHaveLength(samples * featureCount);
    expect(dataset.labels).toHaveLength(samples);
    expect(dataset.name).toBe(name);
  });

  it('reads the iris rows as written in the CSV (first row 5.1,3.5,1.4,0.2 → 0)', () => {
    const iris = loadDataset({ kind: 'builtin', name: 'iris' }, 1, shipped);
    expect(Array.from(iris.features.subarray(0, 4))).toEqual([5.1, 3.5, 1.4, 0.2].map(Math.fround));
    expect(iris.labels[0]).toBe(0);
  });

  it('reports a bad cell of the host\'s text as data.invalid with file:line:column', () => {
    const broken = () => ({ file: '/pkg/data/datasets/iris.csv', text: 'a,label\n1,0\nx,1\n' });
    let caught: unknown;
    try {
      loadDataset({ kind: 'builtin', name: 'iris' }, 1, broken);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(DtrainError);
    expect((caught as DtrainError).code).toBe('data.invalid');
    expect((caught as DtrainError).message).toBe('dataset /pkg/data/datasets/iris.csv:3:1  expected a finite number, found text that is not a number');
  });

  it('the Node host reports a shipped file it cannot read as data.notFound, naming the path', () => {
    const name = 'no_such_dataset' as 'iris';
    expect(() => nodeHost.shippedDataset(name)).toThrow(`cannot read dataset ${shippedDatasetPath(name)}: no such file`);
  });
});

describe('loadDataset — csv', () => {
  it('trains on the rows read when the scenario was loaded: no file is opened again', () => {
    // Arrange: the path names nothing; only the parsed rows can be used
    const parsed = parseDatasetCsv('a,label,b\n1,0,2\n3,1,4\n', 'tiny.csv');
    // Act
    const dataset = loadDataset({ kind: 'csv', file: '/nowhere/tiny.csv', sha256: '', parsed }, 1, shipped);
    // Assert
    expect(dataset).toBe(parsed);
    expect(dataset.name).toBe('tiny.csv');
    expect(Array.from(dataset.features)).toEqual([1, 2, 3, 4]);
    expect(Array.from(dataset.labels)).toEqual([0, 1]);
  });
});

describe('makeBlobs', () => {
  it('labels samples round-robin, so classes are balanced', () => {
    const blobs = makeBlobs(7, 2, 3, 1, 5);
    expect(Array.from(blobs.labels)).toEqual([0, 1, 2, 0, 1, 2, 0]);
    expect([blobs.samples, blobs.featureCount, blobs.classCount]).toEqual([7, 2, 3]);
  });

  it('is deterministic for a seed and differs between seeds', () => {
    const a = loadDataset({ kind: 'blobs', samples: 50, features: 3, classes: 2, spread: 1 }, 9, shipped);
    const b = loadDataset({ kind: 'blobs', samples: 50, features: 3, classes: 2, spread: 1 }, 9, shipped);
    const c = loadDataset({ kind: 'blobs', samples: 50, features: 3, classes: 2, spread: 1 }, 10, shipped);
    expect(b.features).toEqual(a.features);
    expect(c.features).not.toEqual(a.features);
  });

  it('puts every sample exactly on its class centre when spread is 0', () => {
    const blobs = makeBlobs(6, 2, 2, 0, 3);
    // samples 0, 2, 4 are class 0; 1, 3, 5 class 1
    expect(Array.from(blobs.features.subarray(4, 6))).toEqual(Array.from(blobs.features.subarray(0, 2)));
    expect(Array.from(blobs.features.subarray(10, 12))).toEqual(Array.from(blobs.features.subarray(2, 4)));
    expect(Array.from(blobs.features.subarray(0, 2))).not.toEqual(Array.from(blobs.features.subarray(2, 4)));
  });

  it('rejects fewer than two classes', () => {
    expect(() => makeBlobs(10, 2, 1, 1, 1)).toThrow(DtrainError);
  });
});

describe('parseDatasetCsv — labels and messages', () => {
  function csvError(text: string) {
    try {
      parseDatasetCsv(text, 'd.csv');
    } catch (error) {
      if (!(error instanceof DataFileError)) throw error;
      return { line: error.line, column: error.column, expected: error.expected, found: error.found };
    }
    throw new Error('expected the CSV to be rejected');
  }
  const LABEL = 'a whole-number class label from 0 to 999';

  it('labels {0, 1, 1e9} are refused at the 1e9 cell: the model cannot have a billion output units', () => {
    expect(csvError('x,label\n1,0\n2,1\n3,1e9\n')).toEqual({ line: 4, column: 3, expected: LABEL, found: 'a number above 999' });
  });

  it('999 is the largest label; negative and fractional labels are named as such', () => {
    expect(parseDatasetCsv('x,label\n1,0\n2,999\n', 'd.csv').classCount).toBe(1000);
    expect(csvError('x,label\n1,0\n2,1000\n')).toMatchObject({ line: 3, found: 'a number above 999' });
    expect(csvError('x,label\n1,-1\n')).toMatchObject({ line: 2, found: 'a negative number' });
    expect(csvError('x,label\n1,0.5\n')).toMatchObject({ line: 2, found: 'a fractional number' });
  });

  it('at least two distinct classes, whatever their ids', () => {
    expect(csvError('x,label\n1,1\n2,1\n')).toEqual({ line: 2, column: 1, expected: 'at least two classes in `label`', found: 'one' });
  });

  it('cells are described by kind, never quoted', () => {
    expect(['', 'NaN', 'hunter2', '1e400', '-3', '2.5', '7'].map(describeCellKind)).toEqual([
      'an empty cell', 'NaN', 'text that is not a number', 'an infinite number', 'a negative number', 'a fractional number', 'a number',
    ]);
    expect(['1'.repeat(400), `-${'9'.repeat(320)}.5`].map(describeCellKind)).toEqual([
      'a number too large for a double (400 digits before the point)', 'a negative number too large for a double (320 digits before the point)',
    ]);
    expect(csvError('PASSWORD=hunter2\n1\n')).toEqual({ line: 1, column: 1, expected: 'a header row with a `label` column', found: '1 column, none named label' });
  });
});

