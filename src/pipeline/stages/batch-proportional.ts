/**
 * Batch stage `proportional` (SPEC §7.1): the global batch the patent's e = 1 would give,
 * G = floor(B · n / 2) over the n nodes with e > 0, shared out in proportion to efficiency.
 *
 *   b_i = G · e_i / Σ_j e_j   → whole numbers by largest remainder (Σ b_i = G)
 *                             → clamp [minBatch, maxBatch ?? B], a split of 0 stays 0
 *
 * It keeps the round's global batch fixed while moving work toward the better-connected
 * nodes, so a comparison with `efficiency` isolates how the patent sizes batches from how
 * many samples a round trains.
 */
import type { BatchStageDefinition } from '../stage-registry.js';
import { clampSplit, globalBatch, largestRemainder } from './split.js';

export const proportionalBatchStage: BatchStageDefinition = {
  kind: 'batch',
  name: 'proportional',
  summary: 'proportional (the global batch G = B · n / 2 split in proportion to efficiency)',
  decide: (view, options) => {
    const { s2 } = view;
    const G = globalBatch(view.efficiency, s2.standardBatch);
    let sum = 0;
    for (const e of view.efficiency) sum += e.efficiency;
    const shares = view.efficiency.map((e) => (sum > 0 ? (G * e.efficiency) / sum : 0));
    const splits = largestRemainder(shares, G);
    const maxBatch = s2.maxBatch ?? s2.standardBatch;
    const batches = splits.map((split) => clampSplit(split, s2, maxBatch));
    if (options?.working === false) return { batches, working: [] };
    const working = shares.map((share, i) => ({ rule: 'proportional', G, e: view.efficiency[i]!.efficiency, share, split: splits[i]! }));
    return { batches, working };
  },
};
