/**
 * The built-in stages and presets, registered exactly as a user's own are.
 *
 *   preset     batch (S1+S2)  resources (S3)  aggregation (S4)
 *   s1s4       efficiency     pressure        volatility      the patent
 *   sync-sgd   fixed          fixed           mean            classic synchronous SGD
 *   fedavg     fixed          fixed           samples         FedAvg
 */
import { meanAggregation, samplesAggregation, volatilityAggregation } from '../aggregators.js';
import { StageRegistry } from '../stage-registry.js';
import { efficiencyBatchStage, fixedBatchStage } from './batch-efficiency.js';
import { fixedResourceStage, pressureResourceStage } from './resources-s3.js';

export function registerBuiltinStages(registry: StageRegistry): StageRegistry {
  for (const stage of [
    efficiencyBatchStage, fixedBatchStage,
    pressureResourceStage, fixedResourceStage,
    volatilityAggregation, meanAggregation, samplesAggregation,
  ]) registry.defineStage(stage);
  registry.definePreset({ name: 's1s4', summary: 'the patent: S1+S2 efficiency batches, S3 pressure resources, S4 volatility weights', batch: 'efficiency', resources: 'pressure', aggregation: 'volatility' });
  registry.definePreset({ name: 'sync-sgd', summary: 'classic synchronous SGD: B/2 everywhere, base resources, plain mean', batch: 'fixed', resources: 'fixed', aggregation: 'mean' });
  registry.definePreset({ name: 'fedavg', summary: "FedAvg: weights ∝ the node's number of training samples", batch: 'fixed', resources: 'fixed', aggregation: 'samples' });
  return registry;
}

/** A fresh registry holding the built-in stages and presets. */
export function createStageRegistry(): StageRegistry {
  return registerBuiltinStages(new StageRegistry());
}
