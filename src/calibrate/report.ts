/**
 * What `dtrain calibrate` prints (stdout): the measurements or rows, the fitted values, the
 * error on what the fit did not see, and the YAML to paste. Names from the user's files are
 * escaped for the terminal.
 */
import { listNames } from '../text/shorten.js';
import { escapeForTerminal } from '../text/terminal-escape.js';
import type { EntryFit } from './fit-entries.js';
import { lineStepMs, type LineFit } from './line-fit.js';
import { entryLabel, type NodeEntry } from './node-entries.js';
import { formatYamlNumber } from './yaml-edit.js';

export interface SizeTiming {
  batch: number;
  /** per-step time of each timed repetition, ms */
  repetitionsMs: number[];
  medianMs: number;
}

export interface MeasureReport {
  scenarioFile: string;
  /** `64 → 32 → 10 (2,410 parameters)` */
  model: string;
  localSteps: number;
  backend: string;
  timings: SizeTiming[];
  fitSizes: number[];
  heldOutSizes: number[];
  fit: LineFit;
  mape: number;
  /** node entries that set msPerSample or stepOverheadMs themselves (the defaults do not reach them) */
  overriding: string[];
}

const ms = (value: number): string => formatYamlNumber(value);
const percent = (value: number): string => `${value.toFixed(1)} %`;

function table(header: string[], rows: string[][], rightAligned: readonly boolean[]): string[] {
  const widths = header.map((cell, j) => Math.max(cell.length, ...rows.map((row) => (row[j] ?? '').length)));
  const line = (cells: string[]): string =>
    cells.map((cell, j) => (rightAligned[j] === true ? cell.padStart(widths[j]!) : cell.padEnd(widths[j]!))).join('  ').trimEnd();
  return [line(header), ...rows.map(line)];
}

export const NOISE_NOTE =
  'Host timings are noisy: other programs, CPU frequency scaling and caches move them from\n' +
  'run to run, and the spread column shows how much they moved here. Run it again on an idle\n' +
  'machine if the spread is wide or the held-out error is large.';

/**
 * Entries that set their own compute values keep them: said in the singular or plural, with
 * what that does to a node meant to be some times slower or faster than the defaults.
 */
function overridingNote(entries: readonly string[]): string[] {
  const names = listNames(entries.map(escapeForTerminal));
  if (entries.length === 1) {
    return [
      `Node entry ${names} sets msPerSample or stepOverheadMs itself: cluster.defaults does not`,
      'change it. Scale its values too if it should stay as much slower or faster as it was.',
    ];
  }
  return [
    `Node entries ${names} set msPerSample or stepOverheadMs themselves: cluster.defaults`,
    'does not change them. Scale their values too if they should stay as much slower or faster',
    'as they were.',
  ];
}

export function formatMeasureReport(report: MeasureReport): string {
  const heldOut = new Set(report.heldOutSizes);
  const rows = report.timings.map((timing) => {
    let low = Infinity;
    let high = -Infinity;
    for (const value of timing.repetitionsMs) {
      low = Math.min(low, value);
      high = Math.max(high, value);
    }
    const predicted = lineStepMs(report.fit, timing.batch);
    const role = heldOut.has(timing.batch) ? `held out, ${percent((100 * Math.abs(predicted - timing.medianMs)) / timing.medianMs)} off` : 'fit';
    return [String(timing.batch), ms(timing.medianMs), `${ms(low)}–${ms(high)}`, ms(predicted), role];
  });
  const repetitions = report.timings[0]?.repetitionsMs.length ?? 0;
  const { fit } = report;
  const lines = [
    `calibrate ${escapeForTerminal(report.scenarioFile)} on this host`,
    `model ${report.model}, localSteps ${report.localSteps}; the fast engine on ${report.backend}, one thread`,
    `per batch size: the median step time of ${repetitions} timed repetitions after a warm-up`,
    '',
    ...table(['batch', 'median ms', 'spread ms (min–max)', 'fitted ms', 'used for'], rows, [true, true, true, true, false]),
    '',
    `fit on batches ${report.fitSizes.join(', ')}: stepMs = ${ms(fit.stepOverheadMs)} + ${ms(fit.msPerSample)} · batch`,
    `held-out error on batches ${report.heldOutSizes.join(', ')}: ${percent(report.mape)} (mean absolute percentage error)`,
    '',
    NOISE_NOTE,
    'The engine runs on one thread, so msPerSample is the time per sample on one thread;',
    'parallelFraction is not measured here and is left as it is.',
  ];
  if (report.overriding.length > 0) lines.push(...overridingNote(report.overriding));
  lines.push(
    '',
    "Set in the scenario's cluster.defaults (or run again with --write):",
    'cluster:',
    `  defaults: { msPerSample: ${ms(fit.msPerSample)}, stepOverheadMs: ${ms(fit.stepOverheadMs)} }`,
  );
  return `${lines.join('\n')}\n`;
}

export interface FromReport {
  scenarioFile: string;
  csvFile: string;
  rows: number;
  fits: EntryFit[];
  /** entries no row names: left as they are */
  untouched: NodeEntry[];
}

export function formatFromReport(report: FromReport): string {
  const keyed = report.fits.map((f) => ({
    index: f.entry.index,
    cells: [
      escapeForTerminal(entryLabel(f.entry)),
      String(f.rows),
      ms(f.fit.msPerSample),
      ms(f.fit.parallelFraction),
      ms(f.fit.stepOverheadMs),
      f.heldOut === null ? 'none (too few rows to hold half out)' : `${percent(f.heldOut.mape)} on ${f.heldOut.rows} rows`,
    ],
  }));
  for (const entry of report.untouched) keyed.push({ index: entry.index, cells: [escapeForTerminal(entryLabel(entry)), '0', '', '', '', 'no rows: left as it is'] });
  const rows = keyed.sort((a, b) => a.index - b.index).map((row) => row.cells);
  const lines = [
    `calibrate ${escapeForTerminal(report.scenarioFile)} from ${escapeForTerminal(report.csvFile)}: ${report.rows} rows`,
    'per node entry: the fit of all its rows to the time model (Amdahl speedup)',
    '  stepMs = stepOverheadMs + batch · msPerSample / speedup(threads)',
    'and its error on held-out rows: every other row, predicted by a fit of the rest',
    '',
    ...table(['node', 'rows', 'msPerSample', 'parallelFraction', 'stepOverheadMs', 'held-out error'], rows, [false, true, true, true, true, false]),
    '',
    "Set in each node's entry of cluster.nodes (or run again with --write):",
    ...report.fits.map(
      (f) => `  - { id: ${escapeForTerminal(f.entry.id)}, msPerSample: ${ms(f.fit.msPerSample)}, parallelFraction: ${ms(f.fit.parallelFraction)}, stepOverheadMs: ${ms(f.fit.stepOverheadMs)} }`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}
