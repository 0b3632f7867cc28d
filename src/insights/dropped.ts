/**
 * Dispatched but not aggregated: every try of a transfer was lost (`retries`) or the round's
 * deadline passed (`deadline`) (SPEC §2 time model). And rounds in which no node took part
 * (skipped: θ unchanged).
 */
import { groupByNode, type Occurrence } from './occurrences.js';
import { detectorOf, type Insight, type InsightScannerFactory } from './types.js';

const RETRIES = 0;
const DEADLINE = 1;

export const scanDropped: InsightScannerFactory = (strategy) => {
  const occurrences: Occurrence[] = [];
  return {
    round(round) {
      for (const node of round.nodes) {
        if (node.dropReason === 'retries' || node.dropReason === 'deadline') {
          occurrences.push({ round: round.round, nodeId: node.id, value: node.dropReason === 'retries' ? RETRIES : DEADLINE });
        }
      }
    },
    finish: () => groupByNode(occurrences).map((group): Insight => ({
      kind: 'dropped', strategy: strategy.name, nodeId: group.nodeId, rounds: group.rounds,
      retries: group.values.filter((v) => v === RETRIES).length,
      deadline: group.values.filter((v) => v === DEADLINE).length,
    })),
  };
};

export const detectDropped = detectorOf(scanDropped);

export const scanSkippedRounds: InsightScannerFactory = (strategy) => {
  const rounds: number[] = [];
  return {
    round(round) {
      if (round.skipped) rounds.push(round.round);
    },
    finish: () => (rounds.length === 0 ? [] : [{ kind: 'skippedRound', strategy: strategy.name, rounds }]),
  };
};

export const detectSkippedRounds = detectorOf(scanSkippedRounds);
