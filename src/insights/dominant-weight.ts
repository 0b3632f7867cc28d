/**
 * One node holding more than half of a round's aggregation weight: the global model then
 * mostly follows that node. A round with a single participant gives it all the weight by
 * definition and is not flagged (the round line already shows participants 1/N).
 */
import { groupByNode, indexOfMax, type Occurrence } from './occurrences.js';
import { detectorOf, type Insight, type InsightScannerFactory } from './types.js';

/** Share of the weight above which one node dominates. */
export const DOMINANT_WEIGHT = 0.5;

export const scanDominantWeight: InsightScannerFactory = (strategy) => {
  const occurrences: Occurrence[] = [];
  return {
    round(round) {
      let participants = 0;
      for (const node of round.nodes) if (node.participated) participants += 1;
      if (participants < 2) return;
      for (const node of round.nodes) {
        if (node.participated && node.weight > DOMINANT_WEIGHT) occurrences.push({ round: round.round, nodeId: node.id, value: node.weight });
      }
    },
    finish: () => groupByNode(occurrences).map((group): Insight => {
      const peak = indexOfMax(group.values);
      return {
        kind: 'dominantWeight', strategy: strategy.name, nodeId: group.nodeId, rounds: group.rounds,
        maxWeight: group.values[peak]!, maxRound: group.rounds[peak]!,
      };
    }),
  };
};

export const detectDominantWeight = detectorOf(scanDominantWeight);
