/**
 * Batch stages from S2's formula (claim 3): `efficiency` (the patent: b' = B · e / (e + 1)
 * from each node's S1 efficiency) and `fixed` (the classic baseline: every node as if e = 1,
 * i.e. B/2), both rounded and clamped as S2 says.
 */
import { applyRounding, chooseBatchSize, preliminaryBatch } from '../s2-batch-size.js';
import type { BatchRoundView, BatchStageDefinition, StageWorking } from '../stage-registry.js';

/** `fixed` is S2 with e = 1 for every node (SPEC §2 Strategies). */
export const FIXED_STAGE_EFFICIENCY = 1;

/**
 * A node's batch and working depend on its efficiency alone, and S1 gives few distinct ones
 * (K + 1 for a window of K samples): nodes with the same efficiency share one frozen working
 * rather than an object each per round.
 */
function s2Decision(view: BatchRoundView, keepWorking: boolean, rule: 'efficiency' | 'fixed', efficiencyOf: (i: number) => number) {
  const n = view.efficiency.length;
  const batches = new Array<number>(n);
  const working = keepWorking ? new Array<StageWorking>(n) : null;
  const known = new Map<number, { batch: number; working: StageWorking }>();
  for (let i = 0; i < n; i++) {
    const used = efficiencyOf(i);
    let decided = known.get(used);
    if (decided === undefined) {
      const preliminary = preliminaryBatch(used, view.s2.standardBatch);
      decided = { batch: chooseBatchSize(used, view.s2), working: Object.freeze({ rule, efficiencyUsed: used, preliminary, rounded: applyRounding(preliminary, view.s2.rounding) }) };
      known.set(used, decided);
    }
    batches[i] = decided.batch;
    if (working !== null) working[i] = decided.working;
  }
  return { batches, working: working ?? [] };
}

export const efficiencyBatchStage: BatchStageDefinition = {
  kind: 'batch',
  name: 'efficiency',
  summary: 'efficiency',
  decide: (view, options) => s2Decision(view, options?.working !== false, 'efficiency', (i) => view.efficiency[i]!.efficiency),
};

export const fixedBatchStage: BatchStageDefinition = {
  kind: 'batch',
  name: 'fixed',
  summary: 'fixed (every node as if e = 1)',
  decide: (view, options) => s2Decision(view, options?.working !== false, 'fixed', () => FIXED_STAGE_EFFICIENCY),
};
