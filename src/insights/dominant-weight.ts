/**
 * One node holding more than half of a round's aggregation weight: the global model then
 * mostly follows that node. A round with a single participant gives it all the weight by
 * definition and is not flagged (the round line already shows participants 1/N).
 */
import { groupByNode, indexOfMax } from './occurrences.js';
import type { Insight, InsightDetector } from './types.js';

/** Share of the weight above which one node dominates. */
export const DOMINANT_WEIGHT = 0.5;

export const detectDominantWeight: InsightDetector = (run) => {
  const occurrences = run.rounds.flatMap((round) => {
    const participants = round.nodes.filter((node) => node.participated);
    if (participants.length < 2) return [];
    return participants
      .filter((node) => node.weight > DOMINANT_WEIGHT)
      .map((node) => ({ round: round.round, nodeId: node.id, value: node.weight }));
  });
  return groupByNode(occurrences).map((group): Insight => {
    const peak = indexOfMax(group.values);
    return {
      kind: 'dominantWeight', strategy: run.strategy.name, nodeId: group.nodeId, rounds: group.rounds,
      maxWeight: group.values[peak]!, maxRound: group.rounds[peak]!,
    };
  });
};
