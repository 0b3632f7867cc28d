/**
 * Classification CSV (SPEC §3 `{ csv: path }`, and the shipped datasets): one header row,
 * numeric feature columns, an integer `label` column (anywhere; the shipped files have it
 * last). Labels are class ids 0..MAX_CLASS_LABEL; the model gets one output unit per id up to
 * the largest present, so at least two distinct ids must occur.
 *
 * Problems name the line, the column and the kind of value found, never the value itself:
 * a scenario may name a secret (`csv: ../.env`) by mistake, and CI logs are public.
 */
import { parseDecimal } from '../text/decimal.js';

/** Largest class id: 1000 output units is far beyond any tabular dataset, and bounds the model. */
export const MAX_CLASS_LABEL = 999;

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

/**
 * A (trimmed) cell's number: plain decimal only, as on the command line. `Number()` would also
 * read `0x1F`, `0b11`, `0o7` and `Infinity`, which no data file means.
 */
export function cellNumber(cell: string): number {
  return parseDecimal(cell) ?? Number.NaN;
}

/** The kind of value a (trimmed) cell holds, in words that never quote it. */
export function describeCellKind(cell: string): string {
  if (cell === '') return 'an empty cell';
  const value = parseDecimal(cell);
  if (value === undefined) {
    // a plain run of digits too long for a double (400 of them) is no less a number than 1e999
    const digits = /^([-+]?)(\d+)(?:\.\d*)?$/.exec(cell);
    if (digits !== null) return `a ${digits[1] === '-' ? 'negative ' : ''}number too large for a double (${digits[2]!.length} digits before the point)`;
    if (/^[+-]?nan$/i.test(cell)) return 'NaN';
    if (/^[+-]?(infinity|inf)$/i.test(cell) || /^[+-]?(\d|\.\d)[\d.]*[eE][+-]?\d+$/.test(cell)) return 'an infinite number';
    return 'text that is not a number';
  }
  if (value < 0) return 'a negative number';
  if (!Number.isInteger(value)) return 'a fractional number';
  return 'a number';
}

function describeLabel(cell: string): string {
  const value = cellNumber(cell);
  return cell !== '' && Number.isInteger(value) && value > MAX_CLASS_LABEL ? `a number above ${MAX_CLASS_LABEL}` : describeCellKind(cell);
}

const LABEL_WORDS = `a whole-number class label from 0 to ${MAX_CLASS_LABEL}`;

/** Features are float32, whose largest finite value is about 3.4028e38. */
const FEATURE_RANGE_WORDS = 'a number within ±3.4e38';

/**
 * Columns a dataset may have (features and the label). Counted before the header is split:
 * a 100 MiB line of 52 million empty cells split into 1.3 GB of strings before it was refused.
 */
export const MAX_COLUMNS = 65_536;

function countColumns(line: string): number {
  let columns = 1;
  for (let at = line.indexOf(','); at >= 0; at = line.indexOf(',', at + 1)) columns++;
  return columns;
}

/** Exact powers of ten as doubles (10^0 … 10^22: every one is representable). */
const POW10 = Array.from({ length: 23 }, (_, k) => 10 ** k);
/** Digits a plain cell's mantissa may have and stay an exact double (10^15 < 2^53). */
const FAST_DIGITS = 15;
const COMMA = 44;
const DOT = 46;
const MINUS = 45;
const PLUS = 43;
const ZERO = 48;

/**
 * One row read without splitting it: every cell a plain decimal (sign, digits, a point)
 * of at most 15 digits, no blanks or exponent, the label a class id in range. Such a cell's
 * value is m / 10^k with both exact doubles, so the one rounded division gives what Number()
 * gives (Clinger's fast path). False for anything else, and the row is then read cell by cell
 * by `readRow`, which gives the same values for these and the error for the rest. Writes the
 * row's features and label in place; returns the label, or -1 (also when the row has no label
 * column: labelColumn -1, as a test reads single values into doubles).
 */
export function readPlainRow(line: string, cellCount: number, labelColumn: number, features: Float32Array | Float64Array, at: number): number {
  let label = -1;
  let position = 0;
  const end = line.length;
  for (let c = 0; c < cellCount; c++) {
    let code = line.charCodeAt(position);
    let negative = false;
    if (code === MINUS || code === PLUS) {
      negative = code === MINUS;
      code = line.charCodeAt(++position);
    }
    let mantissa = 0;
    let digits = 0;
    let decimals = 0;
    let point = false;
    for (; position < end; code = line.charCodeAt(++position)) {
      const digit = code - ZERO;
      if (digit >= 0 && digit <= 9) {
        mantissa = mantissa * 10 + digit;
        digits++;
        if (point) decimals++;
      } else if (code === DOT && !point) {
        point = true;
      } else {
        break;
      }
    }
    if (digits === 0 || digits > FAST_DIGITS) return -1;
    // the cell must end here: at its comma, or at the line's end after the last cell
    if (c < cellCount - 1 ? code !== COMMA : position !== end) return -1;
    position++;
    const magnitude = mantissa / POW10[decimals]!;
    // `-0` is 0 (parseDecimal)
    const value = negative ? 0 - magnitude : magnitude;
    if (c === labelColumn) {
      if (!Number.isInteger(value) || value < 0 || value > MAX_CLASS_LABEL) return -1;
      label = value;
    } else {
      features[at++] = value;
    }
  }
  return label;
}

/** One row cell by cell: its features and label in place, or the error of its first bad cell. */
function readRow(line: string, lineNo: number, cellCount: number, labelColumn: number, features: Float32Array, at: number): number {
  const cells = line.split(',');
  if (cells.length !== cellCount) {
    throw new DataFileError(lineNo, 1, `${cellCount} comma-separated cells`, `${cells.length}`);
  }
  let label = -1;
  let column = 1;
  for (let c = 0; c < cells.length; c++) {
    const cell = cells[c]!.trim();
    const value = cellNumber(cell);
    if (c === labelColumn) {
      if (!Number.isInteger(value) || value < 0 || value > MAX_CLASS_LABEL) {
        throw new DataFileError(lineNo, column, LABEL_WORDS, describeLabel(cell));
      }
      label = value;
    } else {
      if (!Number.isFinite(value)) throw new DataFileError(lineNo, column, 'a finite number', describeCellKind(cell));
      // features are stored as float32: 1e39 is finite here but Infinity once stored, and the
      // run would then "diverge" in round 1 for no reason the user could see
      if (!Number.isFinite(Math.fround(value))) throw new DataFileError(lineNo, column, FEATURE_RANGE_WORDS, 'a number too large for a 32-bit float');
      features[at++] = value;
    }
    column += cells[c]!.length + 1;
  }
  return label;
}

export function parseDatasetCsv(text: string, name: string): Dataset {
  if (text.includes('\u0000')) throw new DataFileError(1, 1, 'a text CSV file', 'binary data');
  const lines = text.split(/\r?\n/);
  while (lines.length > 0 && lines[lines.length - 1]!.trim() === '') lines.pop();
  if (lines.length === 0) throw new DataFileError(1, 1, 'a header row with a `label` column', 'an empty file');
  const columns = countColumns(lines[0]!);
  if (columns > MAX_COLUMNS) throw new DataFileError(1, 1, `at most ${MAX_COLUMNS.toLocaleString('en-US')} columns`, `${columns.toLocaleString('en-US')}`);
  const header = lines[0]!.split(',').map((cell) => cell.trim());
  const labelColumn = header.indexOf('label');
  if (labelColumn < 0) {
    throw new DataFileError(1, 1, 'a header row with a `label` column', `${header.length} column${header.length === 1 ? '' : 's'}, none named label`);
  }
  if (header.length < 2) throw new DataFileError(1, 1, 'at least one feature column besides `label`', 'none');
  const rowCount = lines.length - 1;
  if (rowCount === 0) throw new DataFileError(2, 1, 'at least one data row', 'only a header');
  const featureCount = header.length - 1;
  const features = new Float32Array(rowCount * featureCount);
  const labels = new Int32Array(rowCount);
  let maxLabel = 0;
  const seen = new Uint8Array(MAX_CLASS_LABEL + 1);
  let distinct = 0;
  for (let row = 0; row < rowCount; row++) {
    const line = lines[row + 1]!;
    const at = row * featureCount;
    let value = readPlainRow(line, header.length, labelColumn, features, at);
    if (value < 0) value = readRow(line, row + 2, header.length, labelColumn, features, at);
    labels[row] = value;
    if (seen[value] === 0) {
      seen[value] = 1;
      distinct++;
    }
    if (value > maxLabel) maxLabel = value;
  }
  if (distinct < 2) throw new DataFileError(2, 1, 'at least two classes in `label`', 'one');
  const classCount = maxLabel + 1;
  return { name, features, labels, samples: rowCount, featureCount, classCount };
}
