/**
 * Pure helpers that condense one round's node records for the terminal report (SPEC §4:
 * "readable at 4 nodes and at 1,000 — summaries and the worst nodes").
 */
import type { NodeRoundRecord } from '../sim/records.js';

export type NodeStatus = 'ok' | 'dropped' | 'idle';

/** ok = took part; dropped = dispatched but lost (retries / deadline); idle = not dispatched. */
export function nodeStatus(node: NodeRoundRecord): NodeStatus {
  if (node.participated) return 'ok';
  return node.dropReason === 'retries' || node.dropReason === 'deadline' ? 'dropped' : 'idle';
}

export function countStatuses(nodes: readonly NodeRoundRecord[]): Record<NodeStatus, number> {
  const counts: Record<NodeStatus, number> = { ok: 0, dropped: 0, idle: 0 };
  for (const node of nodes) counts[nodeStatus(node)] += 1;
  return counts;
}

/** Median; the mean of the two middle values when the count is even (as SPEC §2 S3's P_ref). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export interface ColumnStats {
  min: number;
  median: number;
  max: number;
}

/** min / median / max of the finite values; NaN everywhere when there is none. */
export function columnStats(values: ReadonlyArray<number | null>): ColumnStats {
  const finite = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (finite.length === 0) return { min: Number.NaN, median: Number.NaN, max: Number.NaN };
  // a typed array sorts numerically without a comparator: this runs per column per round
  const sorted = Float64Array.from(finite).sort();
  const middle = Math.floor(sorted.length / 2);
  const mid = sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
  return { min: sorted[0], median: mid, max: sorted[sorted.length - 1] };
}

/** The `count` records with the smallest `key`, ties in node order. */
function lowestBy(
  nodes: readonly NodeRoundRecord[], key: (node: NodeRoundRecord) => number, count: number,
): NodeRoundRecord[] {
  return nodes
    .map((node, index) => ({ node, index, value: key(node) }))
    .filter((entry) => Number.isFinite(entry.value))
    .sort((a, b) => a.value - b.value || a.index - b.index)
    .slice(0, count)
    .map((entry) => entry.node);
}

/**
 * The nodes worth a row when there are too many to list: the `count` lowest efficiencies
 * over every monitored node (an idle node is idle because its link is poor) and the
 * `count` lowest weights among participants (a non-participant's 0 says nothing),
 * deduplicated and listed in node order so ids are easy to scan.
 */
export function selectWorstNodes(nodes: readonly NodeRoundRecord[], count = 5): NodeRoundRecord[] {
  const chosen = new Set<NodeRoundRecord>([
    ...lowestBy(nodes, (node) => node.efficiency, count),
    ...lowestBy(nodes.filter((node) => node.participated), (node) => node.weight, count),
  ]);
  return nodes.filter((node) => chosen.has(node));
}
