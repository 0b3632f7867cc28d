/**
 * The cells of the per-round node table: one row per node, or — for a large cluster — min /
 * low median / max rows. Columns follow `NODE_COLUMNS` in messages.ts. Node ids are escaped
 * for the terminal here, where they enter the table.
 */
import type { NodeRoundRecord } from '../sim/records.js';
import {
  NONE, formatEfficiency, formatInteger, formatMs, formatVolatility, formatWeight,
} from './format.js';
import { STATUS_DROPPED, STATUS_IDLE, STATUS_OK, STAT_LABELS } from './messages.js';
import { countStatuses, medianOf, nodeStatus, statsOf, type ColumnStats } from './node-stats.js';
import { escapeForTerminal } from '../text/terminal-escape.js';

export const NODE_ALIGNS = [
  'left', 'right', 'right', 'right', 'right', 'right', 'right', 'right', 'left',
] as const;

function statusText(node: NodeRoundRecord): string {
  const status = nodeStatus(node);
  if (status === 'ok') return STATUS_OK;
  if (status === 'idle') return STATUS_IDLE;
  return node.dropReason === 'deadline' ? STATUS_DROPPED.deadline : STATUS_DROPPED.retries;
}

/**
 * One node's cells. `batch` is S2's plan, so a dropped node still shows what it was sent
 * (its JSON `batch` is 0); threads and io q are `–` for an idle node, which S3 skipped.
 */
export function nodeRowCells(node: NodeRoundRecord): string[] {
  const idle = nodeStatus(node) === 'idle';
  return [
    escapeForTerminal(node.id),
    formatEfficiency(node.efficiency),
    formatInteger(node.plannedBatch),
    idle ? NONE : formatInteger(node.threads),
    idle ? NONE : formatInteger(node.ioQueue),
    formatMs(node.responseMs),
    formatVolatility(node.volatility),
    formatWeight(node.weight),
    statusText(node),
  ];
}

/**
 * min / low median / max rows: efficiency over every node (all are monitored), every other
 * column over the participants — a non-participant's 0 weight or batch would pin the min.
 */
export function statsRowsCells(nodes: readonly NodeRoundRecord[]): string[][] {
  const participants = nodes.filter((node) => node.participated);
  const columns: Array<{ stats: ColumnStats; format: (value: number) => string }> = [
    { stats: statsOf(nodes, (n) => n.efficiency), format: formatEfficiency },
    { stats: statsOf(participants, (n) => n.plannedBatch), format: formatInteger },
    { stats: statsOf(participants, (n) => n.threads), format: formatInteger },
    { stats: statsOf(participants, (n) => n.ioQueue), format: formatInteger },
    { stats: statsOf(participants, (n) => n.responseMs), format: formatMs },
    { stats: statsOf(participants, (n) => n.volatility), format: formatVolatility },
    { stats: statsOf(participants, (n) => n.weight), format: formatWeight },
  ];
  const keys = ['min', 'median', 'max'] as const;
  return keys.map((key) => [
    STAT_LABELS[key],
    ...columns.map((column) => column.format(column.stats[key])),
    '',
  ]);
}

/**
 * A group's row: its name and size, e as the low median over its nodes, the other columns
 * over its participants, the weight summed (the group's share of the round) and its counts
 * of nodes that took part, were dropped and sat idle.
 */
export function groupRowCells(name: string, nodes: readonly NodeRoundRecord[]): string[] {
  const participants = nodes.filter((node) => node.participated);
  let weight = 0;
  for (const node of participants) weight += node.weight;
  const counts = countStatuses(nodes);
  return [
    `${name} (${nodes.length})`,
    formatEfficiency(medianOf(nodes, (n) => n.efficiency)),
    formatInteger(medianOf(participants, (n) => n.plannedBatch)),
    formatInteger(medianOf(participants, (n) => n.threads)),
    formatInteger(medianOf(participants, (n) => n.ioQueue)),
    formatMs(medianOf(participants, (n) => n.responseMs)),
    formatVolatility(medianOf(participants, (n) => n.volatility)),
    formatWeight(weight),
    `${counts.ok}/${counts.dropped}/${counts.idle}`,
  ];
}
