/**
 * The report's HTML tables: the strategy summary (the terminal's final table, same
 * formatters and headers), the scenario's settings and its nodes. Every cell is escaped.
 */
import type { RunResult } from '../../sim/records.js';
import type { NodeSpec, Scenario } from '../../scenario/types.js';
import { nodeGroups } from '../node-groups.js';
import { formatAccuracy, formatCount, formatDuration } from '../format.js';
import { SUMMARY_COLUMNS } from '../messages.js';
import type { PathDisplay } from './path-display.js';
import { escapeHtml } from './escape.js';
import {
  describeDataset, describeLatency, describePartition, describeStrategy, formatBandwidth,
} from './scenario-text.js';

export type Align = 'left' | 'right';

/** A table of escaped text cells; `align` per column. */
export function table(className: string, head: string[], rows: string[][], align: Align[] = []): string {
  const cell = (tag: 'th' | 'td', text: string, i: number) =>
    `<${tag}${align[i] === 'right' ? ' class="num"' : ''}>${escapeHtml(text)}</${tag}>`;
  const header = `<thead><tr>${head.map((h, i) => cell('th', h, i)).join('')}</tr></thead>`;
  const body = rows.map((row) => `<tr>${row.map((text, i) => cell('td', text, i)).join('')}</tr>`).join('\n');
  return `<table class="${className}">${header}\n<tbody>\n${body}\n</tbody></table>`;
}

/** Strategy, final / best accuracy, simulated time, time to target, samples (+ wall time with `timing`). */
export function summaryTable(result: RunResult, timing: boolean): string {
  const hasWall = timing && result.runs.some((run) => run.summary.wallMs !== undefined);
  const head = [
    SUMMARY_COLUMNS.strategy, SUMMARY_COLUMNS.finalAccuracy, SUMMARY_COLUMNS.bestAccuracy, SUMMARY_COLUMNS.simulated,
    SUMMARY_COLUMNS.timeToTarget, SUMMARY_COLUMNS.samples, ...(hasWall ? [SUMMARY_COLUMNS.wall] : []),
  ];
  const rows = result.runs.map(({ strategy, summary }) => [
    strategy.name,
    formatAccuracy(summary.finalAccuracy),
    formatAccuracy(summary.bestAccuracy),
    formatDuration(summary.simulatedMs),
    formatDuration(summary.timeToTargetMs),
    formatCount(summary.samplesTrained),
    ...(hasWall ? [formatDuration(summary.wallMs)] : []),
  ]);
  return table('summary', head, rows, ['left', ...head.slice(1).map(() => 'right' as const)]);
}

function orDefault(value: number | null, none: string, format: (v: number) => string = String): string {
  return value === null ? none : format(value);
}

/** The scenario's settings, one `setting | value` row each; file paths through `showPath` (path-display.ts). */
export function scenarioTable(scenario: Scenario, showPath: PathDisplay): string {
  const { s1, s2, s3, s4 } = scenario.pipeline;
  const { cluster, model, data } = scenario;
  const rows: Array<[string, string]> = [
    ['name', scenario.name],
    ...(scenario.description === '' ? [] : [['description', scenario.description] as [string, string]]),
    ['file', scenario.file === null ? '(in memory)' : showPath(scenario.file)],
    ['seed', String(scenario.seed)],
    ['rounds', String(scenario.rounds)],
    ['target accuracy', orDefault(scenario.targetAccuracy, 'none')],
    ['strategies', scenario.strategies.map(describeStrategy).join('; ')],
    ['dataset', `${describeDataset(data.dataset, showPath)}, test fraction ${data.testFraction}, partition ${describePartition(data.partition)}`],
    ['model', `hidden [${model.hidden.join(', ')}], learning rate ${model.learningRate}, local steps ${model.localSteps}`],
    ['S1 efficiency', `interval Δ ${formatDuration(s1.intervalMs)}, window ${formatDuration(s1.windowMs)}, threshold ${formatDuration(s1.thresholdMs)}`],
    ['S2 batch', `B ${s2.standardBatch}, rounding ${s2.rounding}, min ${s2.minBatch}, max ${orDefault(s2.maxBatch, `${s2.standardBatch} (= B)`)}`],
    ['S3 resources', `threads ${s3.baseThreads} (${s3.minThreads}–${s3.maxThreads}), I/O queue ${s3.baseQueue} (${s3.minQueue}–${s3.maxQueue})`],
    ['S4 aggregation', `volatility ${s4.volatility}, window ${s4.window}, ε ${s4.epsilon}, max weight ${orDefault(s4.maxWeight, 'none')}`],
    ['cluster', `${formatCount(cluster.nodes.length)} nodes, retry ${formatDuration(cluster.retryMs)}, max tries ${cluster.maxRetries}, `
      + `round timeout ${orDefault(cluster.roundTimeoutMs, 'none', formatDuration)}, latency grid ${formatDuration(cluster.latencyResolutionMs)}`],
  ];
  return table('scenario', ['setting', 'value'], rows);
}

/**
 * A row per run of consecutive nodes of one group with the same cells (a group's nodes share
 * their spec unless the ids only look like a group), the first NODE_TABLE_ROWS of them.
 */
function groupRows(nodes: readonly NodeSpec[], row: (node: NodeSpec, name: string) => string[]): string[][] {
  const rows: string[][] = [];
  const name = (start: number, end: number) => (end - start === 1 ? nodes[start]!.id : `${nodes[start]!.id} … ${nodes[end - 1]!.id} (${formatCount(end - start)} nodes)`);
  for (const group of nodeGroups(nodes.map((node) => node.id))) {
    let start = group.start;
    let cells = row(nodes[start]!, '');
    for (let i = group.start + 1; i <= group.end; i++) {
      const next = i < group.end ? row(nodes[i]!, '') : null;
      if (next !== null && next.join('\u0000') === cells.join('\u0000')) continue;
      if (rows.length === NODE_TABLE_ROWS) {
        rows.push([`… and ${formatCount(nodes.length - start)} more nodes`, '', '', '', '', '', '', '', '']);
        return rows;
      }
      rows.push([name(start, i), ...cells.slice(1)]);
      if (next !== null) [start, cells] = [i, next];
    }
  }
  return rows;
}

/** Above this many nodes the table has a row per group (`count:`), not per node. */
export const NODE_TABLE_ROWS = 1024;

/**
 * One row per node: its latency process and compute profile. A cluster of more than
 * NODE_TABLE_ROWS nodes gets a row per group instead (`edge-1 … edge-4096`: the nodes one
 * `count` expanded share one spec), at most NODE_TABLE_ROWS rows, so that the page of a
 * 131,072-node run stays small.
 */
export function nodesTable(scenario: Scenario, showPath: PathDisplay): string {
  const head = ['node', 'latency', 'cores', 'ms / sample', 'parallel fraction', 'I/O ms / batch', 'bandwidth', 'label noise', 'data share'];
  const { nodes } = scenario.cluster;
  const row = (node: NodeSpec, name: string) => [
    name, describeLatency(node.latency, showPath), String(node.cores), String(node.msPerSample), String(node.parallelFraction),
    String(node.ioMsPerBatch), formatBandwidth(node.bandwidthBps), String(node.labelNoise), String(node.dataShare),
  ];
  const rows = nodes.length <= NODE_TABLE_ROWS ? nodes.map((node) => row(node, node.id)) : groupRows(nodes, row);
  return table('nodes', head, rows, ['left', 'left', ...head.slice(2).map(() => 'right' as const)]);
}
