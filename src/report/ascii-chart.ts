/**
 * Accuracy against simulated time in the terminal (issue 4 item 5), drawn with asciichart.
 *
 * asciichart plots values against their index, so each strategy's accuracy is first put on
 * a common time grid: column c stands for simulated time c · T / (width − 1), T the longest
 * run; a round's accuracy appears at the column of its end time and holds until the next
 * round's end. A line starts at its first round's end and stops at its last, so a faster
 * strategy's line is shorter. Each strategy is plotted alone (same range and height) and
 * the plots are overlaid, the first strategy on top where lines cross; each line has its
 * own box-drawing style (─, ═, ━, ┄) so lines stay apart without colour, and a colour from
 * asciichart's palette when colour is on. Pure: same result ⇒ same text.
 */
import asciichartModule from 'asciichart';
import { maxOf, minOf } from '../extremes.js';
import type { RunResult, StrategyRun } from '../sim/records.js';
import { formatDuration } from './format.js';
import { escapeForTerminal } from '../text/terminal-escape.js';

interface AsciiChart {
  plot(series: number[], cfg: { min: number; max: number; height: number; offset: number; format: (x: number) => string; symbols: string[] }): string;
  colored(char: string, color: string | undefined): string;
  [color: string]: unknown;
}

// asciichart is CommonJS without type declarations (asciichart.d.ts declares the module as
// unknown); its shape is declared above.
const asciichart = asciichartModule as AsciiChart;

export interface AccuracyChartOptions {
  color: boolean;
  /** plot columns (time steps) */
  width?: number;
  /** plot rows */
  height?: number;
}

export const CHART_TITLE = 'test accuracy vs simulated time';
const DEFAULT_WIDTH = 60;
const DEFAULT_HEIGHT = 10;
const LABEL_WIDTH = 5;
const AXIS_OFFSET = 2;

/** asciichart symbol sets: [axis ×4, horizontal, ╰, ╭, ╮, ╯, vertical]. */
const LINE_STYLES: readonly string[][] = [
  ['┼', '┤', '╶', '╴', '─', '╰', '╭', '╮', '╯', '│'],
  ['┼', '┤', '╶', '╴', '═', '╚', '╔', '╗', '╝', '║'],
  ['┼', '┤', '╶', '╴', '━', '┗', '┏', '┓', '┛', '┃'],
  ['┼', '┤', '╶', '╴', '┄', '╰', '╭', '╮', '╯', '┆'],
];
const COLORS = ['blue', 'magenta', 'yellow', 'cyan', 'red', 'green'] as const;

interface GridSeries {
  /** one value per column (padded outside the run so asciichart draws flat) */
  values: number[];
  firstColumn: number;
  lastColumn: number;
}

function columnOf(timeMs: number, spanMs: number, width: number): number {
  return spanMs > 0 ? Math.round((timeMs / spanMs) * (width - 1)) : 0;
}

/** The run's accuracy on the time grid; null when it has no round. */
export function toGridSeries(run: StrategyRun, spanMs: number, width: number): GridSeries | null {
  if (run.rounds.length === 0) return null;
  const columns = run.rounds.map((round) => columnOf(round.endMs, spanMs, width));
  const firstColumn = columns[0]!;
  const lastColumn = columns[columns.length - 1]!;
  const values: number[] = [];
  let r = 0;
  for (let c = 0; c <= width; c++) {
    while (r + 1 < columns.length && columns[r + 1]! <= c) r++;
    values.push(run.rounds[Math.min(r, run.rounds.length - 1)]!.accuracy);
  }
  return { values, firstColumn, lastColumn };
}

/** Accuracy range: tenths around the data, at least 0.1 wide, within [0, 1]. */
function accuracyRange(series: readonly GridSeries[]): { min: number; max: number } {
  const all = series.flatMap((s) => s.values.slice(s.firstColumn, s.lastColumn + 1));
  let min = Math.floor(minOf(all) * 10 + 1e-9) / 10;
  let max = Math.ceil(maxOf(all) * 10 - 1e-9) / 10; // 0.7 · 10 = 7.000000000000001
  if (max - min < 0.1) {
    max = Math.min(1, min + 0.1);
    min = max - 0.1;
  }
  return { min, max };
}

function label(x: number): string {
  return x.toFixed(2).padStart(LABEL_WIDTH);
}

/** Each series alone, as rows of single-character cells (no colour codes yet). */
function plotAlone(series: GridSeries, range: { min: number; max: number }, height: number, style: number): string[] {
  const text = asciichart.plot(series.values, {
    ...range, height, offset: AXIS_OFFSET, format: label, symbols: LINE_STYLES[style % LINE_STYLES.length]!,
  });
  return text.split('\n');
}

function paintCell(char: string, series: number, color: boolean): string {
  if (!color) return char;
  return asciichart.colored(char, asciichart[COLORS[series % COLORS.length]!] as string);
}

/** The chart, legend and time axis; '' when no run has a round. Ends with a newline. */
export function renderAccuracyChart(result: RunResult, options: AccuracyChartOptions): string {
  const width = options.width ?? DEFAULT_WIDTH;
  const height = options.height ?? DEFAULT_HEIGHT;
  const spanMs = maxOf(result.runs.map((run) => run.rounds.at(-1)?.endMs ?? 0), 0);
  const named = result.runs
    .map((run, index) => ({ name: escapeForTerminal(run.strategy.name), index, series: toGridSeries(run, spanMs, width) }))
    .filter((entry): entry is { name: string; index: number; series: GridSeries } => entry.series !== null);
  if (named.length === 0) return '';
  const range = accuracyRange(named.map((entry) => entry.series));
  const plots = named.map((entry) => plotAlone(entry.series, range, height, entry.index));
  // Every plot has the same axis prefix; the last `width + 1` cells of a row are the plot area.
  const prefixLength = plots[0]![0]!.length - (width + 1);
  const rows = plots[0]!.map((row, r) => {
    const axis = row.slice(0, prefixLength - 1) + '┤';
    let cells = '';
    for (let c = 0; c < width; c++) {
      let cell = ' ';
      // Later strategies first, so the first strategy ends up on top.
      for (let k = named.length - 1; k >= 0; k--) {
        const { series, index } = named[k]!;
        const char = plots[k]![r]![prefixLength + c]!;
        if (char !== ' ' && c >= series.firstColumn && c <= series.lastColumn) cell = paintCell(char, index, options.color);
      }
      cells += cell;
    }
    return `${axis}${cells}`.trimEnd();
  });
  const pad = ' '.repeat(prefixLength - 1);
  const startLabel = '0';
  const endLabel = formatDuration(spanMs);
  const timeLabels = `${pad} ${startLabel}${endLabel.padStart(width - startLabel.length)}`;
  const legend = named
    .map(({ name, index }) => {
      const dash = LINE_STYLES[index % LINE_STYLES.length]![4]!;
      return `${paintCell(dash + dash, index, options.color)} ${name}`;
    })
    .join('   ');
  return [
    `  ${CHART_TITLE}`,
    ...rows.map((row) => `  ${row}`),
    `  ${pad}└${'─'.repeat(width)}`,
    `  ${timeLabels}  simulated time`,
    `  ${pad} ${legend}`,
  ].join('\n') + '\n';
}
