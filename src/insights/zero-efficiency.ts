/**
 * A node not dispatched because S1 gave it e = 0: none of its window's samples was under the
 * threshold (lost samples never count), so S2 gave batch B·0/1 = 0 (SPEC §2 S2). Only the
 * `efficiency` batch stage can do this; `fixed` uses e = 1.
 */
import { groupByNode, type Occurrence } from './occurrences.js';
import { detectorOf, type Insight, type InsightScannerFactory } from './types.js';

export const scanZeroEfficiency: InsightScannerFactory = (strategy) => {
  const occurrences: Occurrence[] = [];
  return {
    round(round) {
      for (const node of round.nodes) {
        if (node.dropReason === 'notDispatched' && node.efficiency === 0) occurrences.push({ round: round.round, nodeId: node.id, value: 0 });
      }
    },
    finish: () => groupByNode(occurrences).map((group): Insight => ({
      kind: 'zeroEfficiency', strategy: strategy.name, nodeId: group.nodeId, rounds: group.rounds,
    })),
  };
};

export const detectZeroEfficiency = detectorOf(scanZeroEfficiency);
