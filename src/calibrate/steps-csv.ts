/**
 * The measured-steps CSV of `dtrain calibrate --from` (SPEC §8): a header naming the columns
 * `node`, `batch`, `threads` and `stepMs` (any order, any case; other columns are ignored, as
 * a real log has more), then one row per measured step. Numbers are plain decimals only
 * (parseDecimal); batch and threads are whole numbers ≥ 1, stepMs a time > 0. Every problem is
 * an Issue with the row's line and the cell's column (1-based), so that all of them are shown
 * at once, with the well-formed rows (whose node ids node-entries.ts checks, so that those
 * problems are shown in the same list).
 */
import type { Issue } from '../errors.js';
import { describeCellKind } from '../scenario/dataset-csv.js';
import { didYouMean } from '../scenario/suggest.js';
import { parseDecimal } from '../text/decimal.js';
import { shorten } from '../text/shorten.js';

export const STEP_COLUMNS = ['node', 'batch', 'threads', 'stepMs'] as const;
type Column = (typeof STEP_COLUMNS)[number];

export interface CsvStep {
  node: string;
  batch: number;
  threads: number;
  stepMs: number;
  /** 1-based line of the row, and the column where its node cell starts */
  line: number;
  nodeColumn: number;
}

/** The rows that are well-formed, and an issue for every problem (the file is usable only without any). */
export interface StepsCsv {
  rows: CsvStep[];
  issues: Issue[];
}

const HEADER_WORDS = 'the header node,batch,threads,stepMs';

/** Cells of one line with the 1-based column where each starts (blanks around a cell are not part of it). */
function splitCells(line: string): { text: string; column: number }[] {
  const cells: { text: string; column: number }[] = [];
  let start = 0;
  for (;;) {
    const comma = line.indexOf(',', start);
    const raw = line.slice(start, comma < 0 ? line.length : comma);
    const lead = raw.length - raw.trimStart().length;
    cells.push({ text: raw.trim(), column: start + lead + 1 });
    if (comma < 0) return cells;
    start = comma + 1;
  }
}

export function parseStepsCsv(text: string, file: string): StepsCsv {
  const issues: Issue[] = [];
  const report = (line: number, column: number, path: string, expected: string, found: string): void => {
    issues.push({ code: 'file.invalid', file, line, column, path, expected, found });
  };
  const lines = text.split(/\r?\n/);
  const headerIndex = lines.findIndex((line) => line.trim() !== '');
  if (headerIndex < 0) {
    report(1, 1, '', HEADER_WORDS, 'an empty file');
    return { rows: [], issues };
  }
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    const before = text.slice(0, nul).split('\n');
    report(before.length, before[before.length - 1]!.length + 1, '', 'a text file', 'binary data (a NUL byte)');
    return { rows: [], issues };
  }
  const header = splitCells(lines[headerIndex]!);
  const index = new Map<Column, number>();
  header.forEach((cell, i) => {
    const column = STEP_COLUMNS.find((name) => name.toLowerCase() === cell.text.toLowerCase());
    if (column === undefined) return;
    if (index.has(column)) report(headerIndex + 1, cell.column, '', `the column ${column} once`, 'it twice');
    else index.set(column, i);
  });
  const names = header.map((cell) => cell.text);
  if (index.size === 0) {
    // None of the four: a file without a header line, or one separated by something else.
    const line = lines[headerIndex]!.trim();
    const separator = line.includes(',') ? undefined : [';', '\t', '|'].find((s) => line.includes(s));
    const why = separator === undefined ? '' : `: its cells are separated by ${separator === '\t' ? 'tabs' : `'${separator}'`}, not commas`;
    report(headerIndex + 1, 1, '', `${HEADER_WORDS} (any order, any case)`, `${JSON.stringify(shorten(line))}, which names none of these columns${why}`);
    return { rows: [], issues };
  }
  for (const column of STEP_COLUMNS) {
    if (index.has(column)) continue;
    const near = didYouMean(column, names);
    const found = near === undefined ? 'a header without it' : `a header without it — is ${near} meant to be ${column}?`;
    report(headerIndex + 1, 1, '', `a column named ${column} (${HEADER_WORDS})`, found);
  }
  if (issues.length > 0) return { rows: [], issues };

  const rows: CsvStep[] = [];
  for (let i = headerIndex + 1; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const lineNo = i + 1;
    const cells = splitCells(line);
    if (cells.length !== header.length) {
      report(lineNo, 1, '', `${header.length} comma-separated cells, as in the header`, `${cells.length}`);
      continue;
    }
    const cell = (column: Column) => cells[index.get(column)!]!;
    const before = issues.length;
    const node = cell('node');
    if (node.text === '') report(lineNo, node.column, 'node', 'a node id or a group id', 'an empty cell');
    const whole = (column: 'batch' | 'threads'): number => {
      const { text: value, column: at } = cell(column);
      const n = parseDecimal(value);
      if (n === undefined || !Number.isInteger(n) || n < 1) {
        report(lineNo, at, column, `a whole number ≥ 1`, n === 0 ? 'zero' : describeCellKind(value));
        return Number.NaN;
      }
      return n;
    };
    const batch = whole('batch');
    const threads = whole('threads');
    const step = cell('stepMs');
    const stepMs = parseDecimal(step.text);
    if (stepMs === undefined || !(stepMs > 0)) {
      report(lineNo, step.column, 'stepMs', 'a step time in ms > 0', stepMs === 0 ? 'zero' : describeCellKind(step.text));
    }
    if (issues.length === before) rows.push({ node: node.text, batch, threads, stepMs: stepMs!, line: lineNo, nodeColumn: node.column });
  }
  if (rows.length === 0 && issues.length === 0) report(headerIndex + 2, 1, '', 'at least one row of measured steps', 'only a header');
  return { rows, issues };
}
