/**
 * A node that takes part but barely counts: its weight is tiny for STARVED_STREAK rounds in
 * a row. "Tiny" is below 2 % and below half of an equal share 1/|P_t|, so that a 100-node
 * cluster (equal share 1 %) is not flagged wholesale. A round in which the node did not take
 * part breaks the streak (not being dispatched is a different story: zero-efficiency.ts).
 * Every round of every streak of at least STARVED_STREAK rounds is listed.
 */
import type { RoundRecord } from '../sim/records.js';
import type { Insight, InsightDetector } from './types.js';

export const STARVED_WEIGHT = 0.02;
export const STARVED_STREAK = 5;

/** The weight under which a participant of this round counts as starved. */
export function starvedThreshold(round: RoundRecord): number {
  const participants = round.nodes.filter((node) => node.participated).length;
  return Math.min(STARVED_WEIGHT, 0.5 / Math.max(1, participants));
}

interface Streaks {
  rounds: number[];
  minWeight: number;
  firstStreak: [number, number] | null;
}

export const detectStarvedWeight: InsightDetector = (run) => {
  const thresholds = run.rounds.map(starvedThreshold);
  const nodeIds = run.rounds[0]?.nodes.map((node) => node.id) ?? [];
  const found: Array<{ nodeId: string; streaks: Streaks }> = [];
  nodeIds.forEach((nodeId, i) => {
    const streaks: Streaks = { rounds: [], minWeight: Infinity, firstStreak: null };
    let current: RoundRecord[] = [];
    const close = (): void => {
      if (current.length >= STARVED_STREAK) {
        streaks.firstStreak ??= [current[0]!.round, current[current.length - 1]!.round];
        for (const round of current) {
          streaks.rounds.push(round.round);
          streaks.minWeight = Math.min(streaks.minWeight, round.nodes[i]!.weight);
        }
      }
      current = [];
    };
    run.rounds.forEach((round, r) => {
      const node = round.nodes[i]!;
      if (node.participated && node.weight < thresholds[r]!) current.push(round);
      else close();
    });
    close();
    if (streaks.firstStreak !== null) found.push({ nodeId, streaks });
  });
  return found
    .sort((a, b) => a.streaks.rounds[0]! - b.streaks.rounds[0]!)
    .map(({ nodeId, streaks }): Insight => ({
      kind: 'starvedWeight', strategy: run.strategy.name, nodeId, rounds: streaks.rounds,
      minWeight: streaks.minWeight, firstStreak: streaks.firstStreak!,
    }));
};
