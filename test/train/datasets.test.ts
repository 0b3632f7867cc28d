import seedrandom from 'seedrandom';
import { describe, expect, it } from 'vitest';
import { DtrainError } from '../../src/errors.js';
import { nodeHost, shippedDatasetPath } from '../../src/node/host.js';
import { DataFileError, describeCellKind, parseDatasetCsv, readPlainRow } from '../../src/scenario/dataset-csv.js';
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

  it('at most 65,536 columns, counted before the header is split', () => {
    expect(csvError(`${'x,'.repeat(65_536)}label\n`)).toEqual({ line: 1, column: 1, expected: 'at most 65,536 columns', found: '65,537' });
    expect(parseDatasetCsv(`${'x,'.repeat(65_535)}label\n${'0,'.repeat(65_535)}0\n${'1,'.repeat(65_535)}1\n`, 'd.csv').featureCount).toBe(65_535);
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


describe('parseDatasetCsv — plain rows read without splitting them', () => {
  /** What a cell is worth, read as the CSV reader always read it: trimmed, Number(), -0 as 0, stored as float32. */
  function reference(cell: string): number {
    return Math.fround(Number(cell.trim()) + 0);
  }

  it('gives, for cells of every shape, the values Number() gives (15 digits and fewer exactly, longer ones and exponents by Number)', () => {
    const random = seedrandom('csv-cells');
    const digits = (count: number) => Array.from({ length: count }, () => Math.floor(random() * 10)).join('');
    const shapes = [
      () => `${digits(1 + Math.floor(random() * 15))}`,
      () => `-${digits(1 + Math.floor(random() * 7))}.${digits(1 + Math.floor(random() * 8))}`,
      () => `+${digits(1 + Math.floor(random() * 3))}.${digits(12)}`,
      () => `0.${digits(14)}`,
      () => `${digits(8)}.${digits(8)}`, // 16 digits: past the exact range, read by Number()
      () => `${digits(20)}.${digits(5)}`,
      () => `.${digits(6)}`,
      () => `${digits(3)}.`,
      () => `-0.${'0'.repeat(Math.floor(random() * 5))}`,
      () => `${digits(2)}e${Math.floor(random() * 60) - 30}`,
      () => ` ${digits(3)}.${digits(2)} `,
      () => `\t-${digits(4)}`,
      () => `000${digits(5)}.${digits(3)}00`,
      () => `3.4028234e38`,
    ];
    const rows = Array.from({ length: 2000 }, (_, row) => {
      const cells = Array.from({ length: 5 }, () => shapes[Math.floor(random() * shapes.length)]!());
      // the label in the middle, sometimes written as 2.0 or -0
      return [...cells.slice(0, 2), ['1', '2.0', '-0', '0', ' 3 '][row % 5]!, ...cells.slice(2)];
    });
    // line breaks now and then Windows', and blank lines at the end
    const text = `a,b,label,c,d,e\r\n${rows.map((cells) => `${cells.join(',')}${random() < 0.5 ? '\n' : '\r\n'}`).join('')}\n \n`;
    const dataset = parseDatasetCsv(text, 'shapes.csv');
    expect(dataset.samples).toBe(2000);
    const expected = rows.flatMap((cells) => [...cells.slice(0, 2), ...cells.slice(3)].map(reference));
    // Object.is tells 0 from -0: neither parse may give -0
    expect(Array.from(dataset.features).every((value, i) => Object.is(value, expected[i]))).toBe(true);
    expect(Array.from(dataset.labels)).toEqual(rows.map((cells) => Number(cells[2]!.trim()) + 0));
  });

  it('a plain cell is read as the double Number() reads, bit for bit; any other is left to Number()', () => {
    const random = seedrandom('csv-doubles');
    const digits = (count: number) => Array.from({ length: count }, () => Math.floor(random() * 10)).join('');
    const value = new Float64Array(1);
    for (let i = 0; i < 20_000; i++) {
      const whole = Math.floor(random() * 16);
      const cell = `${random() < 0.5 ? '-' : ''}${digits(whole)}.${digits(Math.max(whole === 0 ? 1 : 0, Math.floor(random() * (18 - whole))))}`;
      const plain = cell.replace(/[-.]/g, '').length <= 15;
      value[0] = Number.NaN;
      readPlainRow(cell, 1, -1, value, 0);
      // a plain cell is read here, and to the same double; a longer one is not read at all
      expect([cell, Object.is(value[0], Number(cell) + 0)]).toEqual([cell, plain]);
    }
  });

  it('a bad cell after plain rows is reported at its line and column, as before', () => {
    const good = Array.from({ length: 50 }, (_, i) => `${i}.5,${i % 2},-${i}`).join('\n');
    expect(() => parseDatasetCsv(`x,label,y\n${good}\n1.5,1,1e39\n`, 'd.csv')).toThrow(new DataFileError(52, 7, 'a number within ±3.4e38', 'a number too large for a 32-bit float'));
    expect(() => parseDatasetCsv(`x,label,y\n${good}\n1.5,1\n`, 'd.csv')).toThrow(new DataFileError(52, 1, '3 comma-separated cells', '2'));
    expect(() => parseDatasetCsv(`x,label,y\n${good}\n1.5,1,2,\n`, 'd.csv')).toThrow(new DataFileError(52, 1, '3 comma-separated cells', '4'));
    expect(() => parseDatasetCsv(`x,label,y\n${good}\n1.5,1000,2\n`, 'd.csv')).toThrow(new DataFileError(52, 5, 'a whole-number class label from 0 to 999', 'a number above 999'));
    expect(() => parseDatasetCsv(`x,label,y\n${good}\n1.5,1,-\n`, 'd.csv')).toThrow(new DataFileError(52, 7, 'a finite number', 'text that is not a number'));
  });
});

