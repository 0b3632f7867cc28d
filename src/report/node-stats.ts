/**
 * Pure helpers that condense one round's node records for the terminal report, so it stays
 * readable at 4 nodes and at 1,000: min / median / max rows, the weakest nodes, the dropped ones.
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

/**
 * The lower median: the middle value, or the lower of the two middle values for an even
 * count. Always one of the values, so a median batch is a batch some node got (30, not 30.5).
 */
export function lowerMedian(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.floor((sorted.length - 1) / 2)]!;
}

export interface ColumnStats {
  min: number;
  median: number;
  max: number;
}

/** min / lower median / max of the finite values; NaN everywhere when there is none. */
export function columnStats(values: ReadonlyArray<number | null>): ColumnStats {
  const finite = values.filter((v): v is number => typeof v === 'number' && Number.isFinite(v));
  if (finite.length === 0) return { min: Number.NaN, median: Number.NaN, max: Number.NaN };
  // a typed array sorts numerically without a comparator: this runs per column per round
  const sorted = Float64Array.from(finite).sort();
  return { min: sorted[0]!, median: sorted[Math.floor((sorted.length - 1) / 2)]!, max: sorted[sorted.length - 1]! };
}

export type WorstKey = 'efficiency' | 'weight';

/** Nodes tied with the last one listed for `key` that did not fit in the list. */
export interface TiedOut {
  key: WorstKey;
  value: number;
  more: number;
}

export interface WorstNodes {
  /** in node order */
  nodes: NodeRoundRecord[];
  tied: TiedOut[];
}

/**
 * The `count` records with the smallest `key` among those strictly below the column's lower
 * median, ties in node order; and how many more tie with the last one taken. A node equal
 * to the typical one is not weak: under mean aggregation every weight is equal and no node
 * is listed for it, instead of the first `count` of many identical rows.
 */
function lowestBy(nodes: readonly NodeRoundRecord[], key: WorstKey, count: number): { nodes: NodeRoundRecord[]; tied?: TiedOut } {
  const entries = nodes
    .map((node, index) => ({ node, index, value: node[key] }))
    .filter((entry) => Number.isFinite(entry.value));
  const typical = lowerMedian(entries.map((entry) => entry.value));
  const below = entries.filter((entry) => entry.value < typical).sort((a, b) => a.value - b.value || a.index - b.index);
  const taken = below.slice(0, count);
  const last = taken.at(-1);
  if (last === undefined) return { nodes: [] };
  let more = 0;
  for (let k = count; k < below.length && below[k]!.value === last.value; k++) more += 1;
  return { nodes: taken.map((entry) => entry.node), tied: more === 0 ? undefined : { key, value: last.value, more } };
}

/**
 * The nodes worth a row when there are too many to list: the `count` lowest efficiencies
 * over every monitored node (an idle node is idle because its link is poor) and the
 * `count` lowest weights among participants (a non-participant's 0 says nothing), each
 * only below the round's median, deduplicated and listed in node order so ids are easy to
 * scan. Nodes tied with the last one listed are counted, not listed (`tied`).
 */
export function selectWorstNodes(nodes: readonly NodeRoundRecord[], count = 5): WorstNodes {
  const byEfficiency = lowestBy(nodes, 'efficiency', count);
  const byWeight = lowestBy(nodes.filter((node) => node.participated), 'weight', count);
  const chosen = new Set<NodeRoundRecord>();
  for (const node of byEfficiency.nodes) chosen.add(node);
  for (const node of byWeight.nodes) chosen.add(node);
  const tied: TiedOut[] = [];
  if (byEfficiency.tied !== undefined) tied.push(byEfficiency.tied);
  if (byWeight.tied !== undefined) tied.push(byWeight.tied);
  return { nodes: nodes.filter((node) => chosen.has(node)), tied };
}

/** The dropped nodes not already in `shown`, at most `count` of them, and how many more there are. */
export function selectDroppedNodes(
  nodes: readonly NodeRoundRecord[], shown: ReadonlySet<NodeRoundRecord>, count: number,
): { nodes: NodeRoundRecord[]; more: number } {
  const listed: NodeRoundRecord[] = [];
  let more = 0;
  for (const node of nodes) {
    if (nodeStatus(node) !== 'dropped' || shown.has(node)) continue;
    if (listed.length < count) listed.push(node);
    else more += 1;
  }
  return { nodes: listed, more };
}
