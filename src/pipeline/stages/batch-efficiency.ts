/**
 * Batch stages from S2's formula (claim 3): `efficiency` (the patent: b' = B · e / (e + 1)
 * from each node's S1 efficiency) and `fixed` (the classic baseline: every node as if e = 1,
 * i.e. B/2), both rounded and clamped as S2 says.
 */
import { applyRounding, chooseBatchSize, preliminaryBatch } from '../s2-batch-size.js';
import type { BatchRoundView, BatchStageDefinition } from '../stage-registry.js';

/** `fixed` is S2 with e = 1 for every node (SPEC §2 Strategies). */
export const FIXED_STAGE_EFFICIENCY = 1;

function s2Decision(view: BatchRoundView, rule: 'efficiency' | 'fixed', efficiencyOf: (i: number) => number) {
  const batches: number[] = [];
  const working = view.efficiency.map((_, i) => {
    const used = efficiencyOf(i);
    const preliminary = preliminaryBatch(used, view.s2.standardBatch);
    batches.push(chooseBatchSize(used, view.s2));
    return { rule, efficiencyUsed: used, preliminary, rounded: applyRounding(preliminary, view.s2.rounding) };
  });
  return { batches, working };
}

export const efficiencyBatchStage: BatchStageDefinition = {
  kind: 'batch',
  name: 'efficiency',
  summary: 'efficiency',
  decide: (view) => s2Decision(view, 'efficiency', (i) => view.efficiency[i]!.efficiency),
};

export const fixedBatchStage: BatchStageDefinition = {
  kind: 'batch',
  name: 'fixed',
  summary: 'fixed (every node as if e = 1)',
  decide: (view) => s2Decision(view, 'fixed', () => FIXED_STAGE_EFFICIENCY),
};
