/**
 * The final comparison of strategies, side by side. The best final accuracy is highlighted
 * green when colour is on. A strategy whose run was interrupted is marked, with a note of how
 * many rounds it finished: its figures are not comparable with a complete run's. Wall time
 * is host time, the one non-deterministic figure, so like the JSON's `wallMs` it is shown
 * only when asked for (`timing`) — the default terminal output stays byte-identical.
 */
import { Chalk } from 'chalk';
import { escapeForTerminal } from '../text/terminal-escape.js';
import { maxOf } from '../extremes.js';
import type { RunResult } from '../sim/records.js';
import { renderAccuracyChart } from './ascii-chart.js';
import { formatAccuracy, formatCount, formatDuration } from './format.js';
import { INTERRUPTED_MARK, SUMMARY_COLUMNS, interruptedNote, summaryHeader, targetNote, untrainedNote } from './messages.js';
import { makeTable, tableText } from './table-style.js';

export interface SummaryOptions {
  color: boolean;
  /** accepted for symmetry with the table options; the summary is what quiet keeps */
  quiet?: boolean;
  /** add a wall-time column (when a run measured it) */
  timing?: boolean;
  /** append the accuracy-vs-simulated-time chart (ascii-chart.ts) */
  chart?: boolean;
}

function bestFinalAccuracy(result: RunResult): number {
  const finite = result.runs.map((run) => run.summary.finalAccuracy).filter(Number.isFinite);
  return finite.length === 0 ? Number.NaN : maxOf(finite);
}

/** Strategy, final / best accuracy, simulated time, time to target, samples, wall time if asked; ends in a newline. */
export function renderSummary(result: RunResult, options: SummaryOptions): string {
  const paint = new Chalk({ level: options.color ? 1 : 0 });
  const hasWall = options.timing === true && result.runs.some((run) => run.summary.wallMs !== undefined);
  const head: string[] = [
    SUMMARY_COLUMNS.strategy, SUMMARY_COLUMNS.finalAccuracy, SUMMARY_COLUMNS.bestAccuracy,
    SUMMARY_COLUMNS.simulated, SUMMARY_COLUMNS.timeToTarget, SUMMARY_COLUMNS.samples,
    ...(hasWall ? [SUMMARY_COLUMNS.wall] : []),
  ];
  const table = makeTable(head, ['left', ...head.slice(1).map(() => 'right' as const)], paint);
  const best = bestFinalAccuracy(result);
  const notes: string[] = [];
  for (const { strategy, summary, rounds, interrupted } of result.runs) {
    const finalAccuracy = formatAccuracy(summary.finalAccuracy);
    const name = escapeForTerminal(strategy.name);
    if (interrupted === true) notes.push(`  ${interruptedNote(name, rounds.length, result.scenario.rounds)}`);
    if (rounds.length > 0 && summary.samplesTrained === 0) notes.push(`  ${untrainedNote(name, rounds.length)}`);
    table.push([
      interrupted === true ? `${name} ${INTERRUPTED_MARK}` : name,
      summary.finalAccuracy === best ? paint.green(finalAccuracy) : finalAccuracy,
      formatAccuracy(summary.bestAccuracy),
      formatDuration(summary.simulatedMs),
      formatDuration(summary.timeToTargetMs),
      formatCount(summary.samplesTrained),
      ...(hasWall ? [formatDuration(summary.wallMs)] : []),
    ]);
  }
  const { name, seed, targetAccuracy } = result.scenario;
  return [
    paint.bold(summaryHeader(escapeForTerminal(name), seed)),
    tableText(table),
    ...notes,
    `  ${targetNote(targetAccuracy === null ? null : String(targetAccuracy))}\n`,
  ].join('\n') + (options.chart === true ? `\n${renderAccuracyChart(result, { color: options.color })}` : '');
}
