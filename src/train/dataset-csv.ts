/**
 * Classification CSV (SPEC §3 `{ csv: path }`, and the shipped datasets): one header row,
 * numeric feature columns, an integer `label` column (anywhere; the shipped files have it
 * last). Labels must be 0..k-1 with every class id below the largest present.
 */

export interface Dataset {
  name: string;
  /** row-major samples × featureCount */
  features: Float32Array;
  labels: Int32Array;
  samples: number;
  featureCount: number;
  classCount: number;
}

/** A problem in a data file, with a 1-based position in that file. */
export class DataFileError extends Error {
  constructor(
    readonly line: number,
    readonly column: number,
    readonly expected: string,
    readonly found: string,
  ) {
    super(`expected ${expected}, found ${found}`);
    this.name = 'DataFileError';
  }
}

function describe(cell: string): string {
  return cell === '' ? 'an empty cell' : JSON.stringify(cell.length > 24 ? `${cell.slice(0, 24)}…` : cell);
}

export function parseDatasetCsv(text: string, name: string): Dataset {
  if (text.includes('\u0000')) throw new DataFileError(1, 1, 'a text CSV file', 'binary data');
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  if (lines.length === 0) throw new DataFileError(1, 1, 'a header row with a `label` column', 'an empty file');
  const header = lines[0]!.split(',').map((cell) => cell.trim());
  const labelColumn = header.indexOf('label');
  if (labelColumn < 0) {
    throw new DataFileError(1, 1, 'a header row with a `label` column', `columns ${header.slice(0, 6).join(', ')}`);
  }
  if (header.length < 2) throw new DataFileError(1, 1, 'at least one feature column besides `label`', 'none');
  const rowCount = lines.length - 1;
  if (rowCount === 0) throw new DataFileError(2, 1, 'at least one data row', 'only a header');
  const featureCount = header.length - 1;
  const features = new Float32Array(rowCount * featureCount);
  const labels = new Int32Array(rowCount);
  let maxLabel = 0;
  for (let row = 0; row < rowCount; row++) {
    const lineNo = row + 2;
    const cells = lines[row + 1]!.split(',');
    if (cells.length !== header.length) {
      throw new DataFileError(lineNo, 1, `${header.length} comma-separated cells`, `${cells.length}`);
    }
    let column = 1;
    let f = 0;
    for (let c = 0; c < cells.length; c++) {
      const cell = cells[c]!.trim();
      const value = cell === '' ? Number.NaN : Number(cell);
      if (c === labelColumn) {
        if (!Number.isInteger(value) || value < 0) {
          throw new DataFileError(lineNo, column, 'an integer class label ≥ 0', describe(cell));
        }
        labels[row] = value;
        if (value > maxLabel) maxLabel = value;
      } else {
        if (!Number.isFinite(value)) throw new DataFileError(lineNo, column, 'a finite number', describe(cell));
        features[row * featureCount + f++] = value;
      }
      column += cells[c]!.length + 1;
    }
  }
  const classCount = maxLabel + 1;
  if (classCount < 2) throw new DataFileError(2, 1, 'at least two classes in `label`', 'one');
  return { name, features, labels, samples: rowCount, featureCount, classCount };
}
