/**
 * Aggregation stage `batch` (SPEC §7.1): w_i ∝ batch_i × localSteps, the samples node i
 * processed this round. When batches differ this is the unbiased mini-batch estimator: every
 * sample of the round counts the same, wherever it was trained.
 */
import { weighFromColumns } from '../aggregator-columns.js';
import { volatilitiesOf } from '../aggregators.js';
import type { S4Config } from '../s4-aggregation.js';
import type { AggregationStageDefinition, WorkingOptions } from '../stage-registry.js';
import type { AggregatorColumns, AggregatorOutput } from '../types.js';

function weigh(participants: AggregatorColumns, cfg: S4Config, options?: WorkingOptions): AggregatorOutput {
  const { count } = participants;
  const samples = (k: number): number => participants.batch(k) * participants.localSteps(k);
  let total = 0;
  for (let k = 0; k < count; k++) total += samples(k);
  return {
    weights: Array.from({ length: count }, (_, k) => (total > 0 ? samples(k) / total : 1 / count)),
    // not weighed by, shown as under `mean` and `samples`
    volatilities: volatilitiesOf(participants, cfg),
    working: options?.working === false ? [] : Array.from({ length: count }, (_, k) => ({ rule: 'batch', samples: samples(k), total })),
  };
}

export const batchAggregation: AggregationStageDefinition = {
  kind: 'aggregation',
  name: 'batch',
  summary: 'batch (weights ∝ the samples each node trained this round: batch × local steps)',
  weigh: weighFromColumns(weigh),
};
