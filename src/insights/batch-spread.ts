/**
 * Batch sizes that differ more than BATCH_SPREAD_RATIO× across the participants of a round.
 * Averaging models trained on very different amounts of data per step optimises a mixture
 * of the nodes' objectives rather than the global one: FedNova's "objective inconsistency"
 * (Wang et al., 2020). Run-level: listed once with every round it held in and its widest gap.
 */
import type { NodeRoundRecord } from '../sim/records.js';
import type { Insight, InsightDetector, NodeValue } from './types.js';

export const BATCH_SPREAD_RATIO = 4;

interface Spread {
  round: number;
  ratio: number;
  smallest: NodeValue;
  largest: NodeValue;
}

function extreme(nodes: readonly NodeRoundRecord[], better: (a: number, b: number) => boolean): NodeValue {
  let best = nodes[0]!;
  for (const node of nodes) if (better(node.batch, best.batch)) best = node;
  return { nodeId: best.id, value: best.batch };
}

export const detectBatchSpread: InsightDetector = (run) => {
  const spreads: Spread[] = [];
  for (const round of run.rounds) {
    const participants = round.nodes.filter((node) => node.participated && node.batch > 0);
    if (participants.length < 2) continue;
    const smallest = extreme(participants, (a, b) => a < b);
    const largest = extreme(participants, (a, b) => a > b);
    const ratio = largest.value / smallest.value;
    if (ratio > BATCH_SPREAD_RATIO) spreads.push({ round: round.round, ratio, smallest, largest });
  }
  if (spreads.length === 0) return [];
  const widest = spreads.reduce((best, spread) => (spread.ratio > best.ratio ? spread : best));
  return [{
    kind: 'batchSpread', strategy: run.strategy.name, rounds: spreads.map((s) => s.round),
    maxRatio: widest.ratio, maxRound: widest.round, smallest: widest.smallest, largest: widest.largest,
  }];
};
