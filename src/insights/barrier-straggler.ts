/**
 * The round barrier dominated by one node. A synchronous round ends when the last upload
 * arrives (SPEC §2: T_{t+1} = max finishMs), so everyone waits for the slowest node. Defined
 * here as: with at least two participants, and the round ended by an upload (not by the
 * deadline), the last finisher's round time finishMs − startMs exceeds BARRIER_RATIO × the
 * median round time of the other participants.
 */
import { groupByNode, indexOfMax, median } from './occurrences.js';
import { detectorOf, type Insight, type InsightScannerFactory } from './types.js';

export const BARRIER_RATIO = 2;

interface Straggle {
  round: number;
  nodeId: string;
  value: number;
  durationMs: number;
  othersMedianMs: number;
}

export const scanBarrierStraggler: InsightScannerFactory = (strategy) => {
  const straggles: Straggle[] = [];
  return {
    round(round) {
      const finishers = round.nodes.filter((node) => node.participated && node.finishMs !== null);
      if (finishers.length < 2) return;
      const durations = finishers.map((node) => node.finishMs! - round.startMs);
      const last = indexOfMax(durations);
      if (finishers[last]!.finishMs !== round.endMs) return; // ended at the deadline
      const othersMedianMs = median(durations.filter((_, i) => i !== last));
      if (!(othersMedianMs > 0)) return;
      const ratio = durations[last]! / othersMedianMs;
      if (ratio > BARRIER_RATIO) {
        straggles.push({ round: round.round, nodeId: finishers[last]!.id, value: ratio, durationMs: durations[last]!, othersMedianMs });
      }
    },
    finish: () => groupByNode(straggles).map((group): Insight => {
      const peak = indexOfMax(group.values);
      const worst = straggles.find((s) => s.nodeId === group.nodeId && s.round === group.rounds[peak])!;
      return {
        kind: 'barrierStraggler', strategy: strategy.name, nodeId: group.nodeId, rounds: group.rounds,
        maxRatio: worst.value, maxRound: worst.round, durationMs: worst.durationMs, othersMedianMs: worst.othersMedianMs,
      };
    }),
  };
};

export const detectBarrierStraggler = detectorOf(scanBarrierStraggler);
