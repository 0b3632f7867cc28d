/**
 * Pure helpers that condense one round's node records for the terminal report, so it stays
 * readable at 4 nodes and at 1,000: min / median / max rows, the weakest nodes, the dropped ones.
 */
import { quickselect } from 'd3-array';
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
 * Float64Array.prototype.sort's order of finite numbers: −0 before +0. Selecting by it picks
 * the value a sort would put at that place, sign of a zero included.
 */
function ascending(a: number, b: number): number {
  if (a < b) return -1;
  if (a > b) return 1;
  if (a !== 0) return 0;
  const negativeA = Object.is(a, -0);
  return negativeA === Object.is(b, -0) ? 0 : negativeA ? -1 : 1;
}

/**
 * The value at `k` of `values` sorted (in place, only partly sorted afterwards). A selection,
 * not a sort: the terminal's summaries take a few medians of every column every round, and at
 * 131,072 nodes sorting them took 2.3 s of a run (bench/README.md).
 */
function selectValue(values: Float64Array, k: number): number {
  return quickselect(values, k, 0, values.length - 1, ascending)[k]!;
}

/** Where the finite values of a column are gathered; reused, as the summaries run one after another. */
let scratch = new Float64Array(0);

/** The finite values of `pick` over `items`, in `scratch` (valid until the next call). */
function finiteValues<T>(items: readonly T[], pick: (item: T) => number | null): Float64Array {
  if (scratch.length < items.length) scratch = new Float64Array(items.length);
  let count = 0;
  for (const item of items) {
    const value = pick(item);
    if (typeof value === 'number' && Number.isFinite(value)) scratch[count++] = value;
  }
  return scratch.subarray(0, count);
}

export interface ColumnStats {
  min: number;
  /** the lower median (medianOf) */
  median: number;
  max: number;
}

/**
 * min / lower median / max of the finite values of `pick` over `items`, without an array of
 * the values in between; NaN everywhere when there is none.
 */
export function statsOf<T>(items: readonly T[], pick: (item: T) => number | null): ColumnStats {
  const finite = finiteValues(items, pick);
  if (finite.length === 0) return { min: Number.NaN, median: Number.NaN, max: Number.NaN };
  let min = finite[0]!;
  let max = min;
  for (let k = 1; k < finite.length; k++) {
    const value = finite[k]!;
    if (ascending(value, min) < 0) min = value;
    if (ascending(value, max) > 0) max = value;
  }
  return { min, median: selectValue(finite, (finite.length - 1) >> 1), max };
}

/**
 * The lower median of the finite values of `pick` over `items`: the middle value, or the lower
 * of the two middle values for an even count. Always one of the values, so a median batch is a
 * batch some node got (30, not 30.5). NaN when no value is finite.
 */
export function medianOf<T>(items: readonly T[], pick: (item: T) => number | null): number {
  const finite = finiteValues(items, pick);
  return finite.length === 0 ? Number.NaN : selectValue(finite, (finite.length - 1) >> 1);
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
  if (count <= 0) return { nodes: [] };
  const typical = medianOf(nodes, (node) => node[key]);
  // the `count` smallest below it in (value, node order), kept sorted as the nodes go by
  const taken: Array<{ node: NodeRoundRecord; value: number }> = [];
  let more = 0;
  for (const node of nodes) {
    const value = node[key];
    if (!(Number.isFinite(value) && value < typical)) continue;
    const last = taken.at(-1);
    if (taken.length === count && last !== undefined && value >= last.value) {
      if (value === last.value) more += 1;
      continue;
    }
    let at = taken.length;
    while (at > 0 && taken[at - 1]!.value > value) at--;
    taken.splice(at, 0, { node, value });
    if (taken.length > count) {
      const dropped = taken.pop()!;
      // the ties counted were ties of the old last one: recount for the new last one
      const now = taken.at(-1)!;
      more = dropped.value === now.value ? more + 1 : 0;
    }
  }
  const last = taken.at(-1);
  if (last === undefined) return { nodes: [] };
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
