/**
 * A node that takes part but barely counts, judged against an equal share: its weight is under
 * STARVED_FRACTION × 1/|P_t| in at least STARVED_STREAK consecutive rounds it takes part in.
 * Rounds it sits out (not dispatched, dropped) neither extend nor break a streak: its weight is
 * only defined when it is aggregated, and a node that S2 leaves out now and then while S4
 * keeps it at a few per cent is starved all the same (issue 12: a node held at 1.3–6 % of the
 * weight for 39 rounds used to pass unnoticed under a fixed 2 % bound). Every round of every
 * streak of at least STARVED_STREAK rounds is listed; the longest streak is described.
 */
import { detectorOf, type Insight, type InsightScannerFactory } from './types.js';

/** Under this fraction of an equal share 1/|P_t| a participant counts as starved. */
export const STARVED_FRACTION = 0.5;
export const STARVED_STREAK = 5;

/** One starved round of a node's current streak. */
interface StreakRound {
  round: number;
  weight: number;
  /** |P_t| of that round */
  participants: number;
}

/** What one node has shown so far: its open streak and what its closed streaks found. */
interface NodeState {
  current: StreakRound[];
  rounds: number[];
  minWeight: number;
  /** the equal share 1/|P_t| of the round with the lowest weight */
  equalShare: number;
  longest: { from: number; to: number; length: number } | null;
}

function close(state: NodeState): void {
  const { current } = state;
  if (current.length >= STARVED_STREAK) {
    for (const entry of current) {
      state.rounds.push(entry.round);
      if (entry.weight < state.minWeight) {
        state.minWeight = entry.weight;
        state.equalShare = 1 / entry.participants;
      }
    }
    if (state.longest === null || current.length > state.longest.length) {
      state.longest = { from: current[0]!.round, to: current[current.length - 1]!.round, length: current.length };
    }
  }
  state.current = [];
}

/**
 * Per node, only the rounds of its open streak are kept (a streak ends at a round the node
 * takes part in above the bound), so a run of many nodes keeps little beyond the starved ones.
 */
export const scanStarvedWeight: InsightScannerFactory = (strategy) => {
  const states = new Map<number, NodeState>();
  const ids: string[] = [];
  return {
    round(round) {
      let participants = 0;
      for (const node of round.nodes) if (node.participated) participants += 1;
      round.nodes.forEach((node, i) => {
        if (ids.length <= i) ids.push(node.id);
        if (!node.participated) return;
        const state = states.get(i);
        if (node.weight < STARVED_FRACTION / participants) {
          const open = state ?? { current: [], rounds: [], minWeight: Infinity, equalShare: 0, longest: null };
          if (state === undefined) states.set(i, open);
          open.current.push({ round: round.round, weight: node.weight, participants });
        } else if (state !== undefined) {
          close(state);
        }
      });
    },
    finish() {
      const found: Array<{ index: number; state: NodeState }> = [];
      for (const [index, state] of states) {
        close(state);
        if (state.longest !== null) found.push({ index, state });
      }
      // by first round, ties in node order, as over the whole run
      found.sort((a, b) => a.index - b.index);
      return found
        .sort((a, b) => a.state.rounds[0]! - b.state.rounds[0]!)
        .map(({ index, state }): Insight => ({
          kind: 'starvedWeight', strategy: strategy.name, nodeId: ids[index]!, rounds: state.rounds,
          minWeight: state.minWeight, equalShare: state.equalShare,
          longestStreak: [state.longest!.from, state.longest!.to], longestLength: state.longest!.length,
        }));
    },
  };
};

export const detectStarvedWeight = detectorOf(scanStarvedWeight);
