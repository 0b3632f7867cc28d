/**
 * Aggregation stage `batch` (SPEC §7.1): w_i ∝ batch_i × localSteps, the samples node i
 * processed this round. When batches differ this is the unbiased mini-batch estimator: every
 * sample of the round counts the same, wherever it was trained.
 */
import { volatilityOf, type S4Config } from '../s4-aggregation.js';
import type { AggregationStageDefinition, WeighOptions } from '../stage-registry.js';
import type { AggregatorInput, AggregatorOutput } from '../types.js';

function weigh(participants: readonly AggregatorInput[], cfg: S4Config, options?: WeighOptions): AggregatorOutput {
  let total = 0;
  for (const p of participants) total += p.batch * p.localSteps;
  const weights = participants.map((p) => (total > 0 ? (p.batch * p.localSteps) / total : 1 / participants.length));
  return {
    weights,
    // not weighed by, shown as under `mean` and `samples`
    volatilities: participants.map((p) => volatilityOf(p.gradNormHistory, cfg.volatility)),
    working: options?.working === false ? [] : participants.map((p) => ({ rule: 'batch', samples: p.batch * p.localSteps, total })),
  };
}

export const batchAggregation: AggregationStageDefinition = {
  kind: 'aggregation',
  name: 'batch',
  summary: 'batch (weights ∝ the samples each node trained this round: batch × local steps)',
  weigh,
};
