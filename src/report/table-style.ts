/**
 * The one table look of the terminal reports: borderless, compact, a rule under the
 * header, indented under its heading line. Every colour comes from the caller's chalk
 * instance, so output depends only on the options.
 *
 * Drawn here rather than by cli-table3, which gave the same text: it took about 13 µs a cell
 * (2.2 ms for a round's table of 16 nodes, close to half the time of a long run with the
 * tables on), setting every option again on each cell and compiling a regular expression for
 * each width it measured. The layout below is cli-table3's for the tables we draw (one line
 * per cell, rows that fill the header's columns, spans across columns), so the text is the
 * same byte for byte; the golden files check it.
 */
import type { ChalkInstance } from 'chalk';
import stringWidth from 'string-width';

export type Align = 'left' | 'right';

/** A cell across `colSpan` columns (drawn in the first one's alignment). */
export interface SpanCell {
  colSpan: number;
  content: string;
}
export type TableCell = string | SpanCell;

const INDENT = '  ';
const COLUMN_GAP = '  ';
const RULE = '─';
// cli-table3's layout counts one character between spanned columns, though the gap is two
const SPAN_GAP_WIDTH = 1;

export class TextTable {
  private readonly rows: TableCell[][] = [];

  constructor(readonly head: readonly string[], readonly aligns: readonly Align[]) {}

  get length(): number {
    return this.rows.length;
  }

  /** One row; its cells' spans add up to the header's columns. */
  push(row: TableCell[]): void {
    const columns = row.reduce((sum, cell) => sum + spanOf(cell), 0);
    if (columns !== this.head.length) throw new Error(`a table row spans ${columns} columns, its header ${this.head.length}`);
    this.rows.push(row);
  }

  /** The table's lines, not indented, each ending in its last cell's padding. */
  lines(): string[] {
    const rows = [[...this.head], ...this.rows];
    // each cell measured once, for the columns' widths and for its own padding
    const measured = rows.map((row) => row.map((cell) => displayWidth(contentOf(cell))));
    const widths = columnWidths(rows, measured, this.head.length);
    const lines = rows.map((row, y) => drawRow(row, measured[y]!, widths, this.aligns));
    if (this.rows.length > 0) lines.splice(1, 0, drawRule(this.rows[0]!, widths));
    return lines;
  }
}

export function makeTable(head: readonly string[], aligns: readonly Align[], paint: ChalkInstance): TextTable {
  return new TextTable(head.map((title) => paint.bold(title)), aligns);
}

/** The table's text, indented, without trailing padding; no final newline. */
export function tableText(table: TextTable): string {
  return table.lines().map((line) => `${INDENT}${line}`.trimEnd()).join('\n');
}

function spanOf(cell: TableCell): number {
  return typeof cell === 'string' ? 1 : cell.colSpan;
}

function contentOf(cell: TableCell): string {
  return typeof cell === 'string' ? cell : cell.content;
}

const SGR = /\u001b\[(?:\d*;){0,5}\d*m/g;
const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Columns a cell's text takes on a terminal: its colours left out, wide characters counted twice. */
export function displayWidth(text: string): number {
  const plain = text.replace(SGR, '');
  // string-width of printable ASCII is its length; most cells are, and the library's call costs more
  return PRINTABLE_ASCII.test(plain) ? plain.length : stringWidth(plain);
}

/**
 * Each column as wide as its widest single cell (at least 1); then a span wider than the
 * columns it covers widens them, its excess shared out from the left, the last span first.
 */
function columnWidths(rows: readonly TableCell[][], measured: readonly number[][], columns: number): number[] {
  const widths = new Array<number>(columns).fill(1);
  const spans: Array<{ x: number; span: number; width: number }> = [];
  for (let y = 0; y < rows.length; y++) {
    let x = 0;
    for (let k = 0; k < rows[y]!.length; k++) {
      const span = spanOf(rows[y]![k]!);
      const width = measured[y]![k]!;
      if (span > 1) spans.push({ x, span, width });
      else widths[x] = Math.max(widths[x]!, width);
      x += span;
    }
  }
  for (let k = spans.length - 1; k >= 0; k--) {
    const { x, span, width } = spans[k]!;
    let covered = spanWidth(widths, x, span);
    let left = span;
    for (let i = 0; left > 0 && width > covered; i++, left--) {
      const more = Math.round((width - covered) / left);
      covered += more;
      widths[x + i]! += more;
    }
  }
  return widths;
}

function spanWidth(widths: readonly number[], x: number, span: number): number {
  let width = widths[x]!;
  for (let i = 1; i < span; i++) width += SPAN_GAP_WIDTH + widths[x + i]!;
  return width;
}

function drawRow(row: readonly TableCell[], measured: readonly number[], widths: readonly number[], aligns: readonly Align[]): string {
  let line = '';
  let x = 0;
  for (let k = 0; k < row.length; k++) {
    const cell = row[k]!;
    const span = spanOf(cell);
    const text = contentOf(cell);
    const padding = ' '.repeat(spanWidth(widths, x, span) - measured[k]!);
    line += `${x === 0 ? '' : COLUMN_GAP}${aligns[x] === 'right' ? padding + text : text + padding}`;
    x += span;
  }
  return line;
}

/** The rule under the header, drawn along the first row's cells: a span's columns join up. */
function drawRule(first: readonly TableCell[], widths: readonly number[]): string {
  let line = '';
  let x = 0;
  for (const cell of first) {
    const span = spanOf(cell);
    if (x > 0) line += RULE.repeat(COLUMN_GAP.length);
    for (let i = 0; i < span; i++) line += RULE.repeat(widths[x + i]!);
    x += span;
  }
  return line;
}
