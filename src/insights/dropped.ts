/**
 * Dispatched but not aggregated: every try of a transfer was lost (`retries`) or the round's
 * deadline passed (`deadline`) (SPEC §2 time model). And rounds in which no node took part
 * (skipped: θ unchanged).
 */
import { groupByNode } from './occurrences.js';
import type { Insight, InsightDetector } from './types.js';

const RETRIES = 0;
const DEADLINE = 1;

export const detectDropped: InsightDetector = (run) => {
  const occurrences = run.rounds.flatMap((round) =>
    round.nodes
      .filter((node) => node.dropReason === 'retries' || node.dropReason === 'deadline')
      .map((node) => ({ round: round.round, nodeId: node.id, value: node.dropReason === 'retries' ? RETRIES : DEADLINE })));
  return groupByNode(occurrences).map((group): Insight => ({
    kind: 'dropped', strategy: run.strategy.name, nodeId: group.nodeId, rounds: group.rounds,
    retries: group.values.filter((v) => v === RETRIES).length,
    deadline: group.values.filter((v) => v === DEADLINE).length,
  }));
};

export const detectSkippedRounds: InsightDetector = (run) => {
  const rounds = run.rounds.filter((round) => round.skipped).map((round) => round.round);
  return rounds.length === 0 ? [] : [{ kind: 'skippedRound', strategy: run.strategy.name, rounds }];
};
