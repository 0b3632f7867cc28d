/**
 * A node not dispatched because S1 gave it e = 0: none of its window's samples was under the
 * threshold (lost samples never count), so S2 gave batch B·0/1 = 0 (SPEC §2 S2). Only the
 * `efficiency` batch stage can do this; `fixed` uses e = 1.
 */
import { groupByNode } from './occurrences.js';
import type { Insight, InsightDetector } from './types.js';

export const detectZeroEfficiency: InsightDetector = (run) => {
  const occurrences = run.rounds.flatMap((round) =>
    round.nodes
      .filter((node) => node.dropReason === 'notDispatched' && node.efficiency === 0)
      .map((node) => ({ round: round.round, nodeId: node.id, value: 0 })));
  return groupByNode(occurrences).map((group): Insight => ({
    kind: 'zeroEfficiency', strategy: run.strategy.name, nodeId: group.nodeId, rounds: group.rounds,
  }));
};
