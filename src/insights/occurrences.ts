/**
 * Shared bookkeeping of the detectors: occurrences (round, node, value) grouped per node in
 * the order nodes first showed up, so each insight is listed once per run with all its rounds.
 */

export interface Occurrence {
  round: number;
  nodeId: string;
  value: number;
}

export interface NodeOccurrences {
  nodeId: string;
  /** ascending, as the rounds were scanned in order */
  rounds: number[];
  values: number[];
}

/** Groups occurrences by node; nodes ordered by their first occurrence (ties: input order). */
export function groupByNode(occurrences: readonly Occurrence[]): NodeOccurrences[] {
  const groups = new Map<string, NodeOccurrences>();
  for (const { round, nodeId, value } of occurrences) {
    let group = groups.get(nodeId);
    if (group === undefined) {
      group = { nodeId, rounds: [], values: [] };
      groups.set(nodeId, group);
    }
    group.rounds.push(round);
    group.values.push(value);
  }
  return [...groups.values()];
}

/** Index of the largest value (the first one on ties). */
export function indexOfMax(values: readonly number[]): number {
  let best = 0;
  values.forEach((value, i) => { if (value > values[best]!) best = i; });
  return best;
}

/** Median; the mean of the two middle values when the count is even (as S3's P_ref). */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
