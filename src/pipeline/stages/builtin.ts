/**
 * The built-in stages and presets, registered exactly as a user's own are.
 *
 *   preset     batch (S1+S2)  resources (S3)  aggregation (S4)
 *   s1s4       efficiency     pressure        volatility      the patent
 *   sync-sgd   fixed          fixed           mean            classic synchronous SGD
 *   fedavg     fixed          fixed           samples         FedAvg
 *   lb-bsp     balanced       cores           batch           LB-BSP: equal predicted finish times
 *
 * `proportional` (batch) is a stage without a preset: the patent's global batch split by
 * efficiency, for ablations.
 */
import { meanAggregation, samplesAggregation, volatilityAggregation } from '../aggregators.js';
import { StageRegistry, type StageDefinition } from '../stage-registry.js';
import { batchAggregation } from './aggregation-batch.js';
import { balancedBatchStage } from './batch-balanced.js';
import { efficiencyBatchStage, fixedBatchStage } from './batch-efficiency.js';
import { proportionalBatchStage } from './batch-proportional.js';
import { coresResourceStage } from './resources-cores.js';
import { fixedResourceStage, pressureResourceStage } from './resources-s3.js';

const BUILTIN_STAGES: readonly StageDefinition[] = [
  efficiencyBatchStage, fixedBatchStage, proportionalBatchStage, balancedBatchStage,
  pressureResourceStage, fixedResourceStage, coresResourceStage,
  volatilityAggregation, meanAggregation, samplesAggregation, batchAggregation,
];

/**
 * Whether a resolved stage is the built-in one of its name (not a plug-in): a helper thread
 * can then run it from its name alone (run/round-ahead.ts).
 */
export function isBuiltinStage(stage: StageDefinition): boolean {
  return BUILTIN_STAGES.includes(stage);
}

export function registerBuiltinStages(registry: StageRegistry): StageRegistry {
  for (const stage of BUILTIN_STAGES) registry.defineStage(stage);
  registry.definePreset({ name: 's1s4', summary: 'the patent: S1+S2 efficiency batches, S3 pressure resources, S4 volatility weights', batch: 'efficiency', resources: 'pressure', aggregation: 'volatility' });
  registry.definePreset({ name: 'sync-sgd', summary: 'classic synchronous SGD: B/2 everywhere, base resources, plain mean', batch: 'fixed', resources: 'fixed', aggregation: 'mean' });
  registry.definePreset({ name: 'fedavg', summary: "FedAvg: weights ∝ the node's number of training samples", batch: 'fixed', resources: 'fixed', aggregation: 'samples' });
  registry.definePreset({ name: 'lb-bsp', summary: 'LB-BSP: batches that make predicted finish times equal, all cores, weights ∝ samples trained', batch: 'balanced', resources: 'cores', aggregation: 'batch' });
  return registry;
}

/** A fresh registry holding the built-in stages and presets. */
export function createStageRegistry(): StageRegistry {
  return registerBuiltinStages(new StageRegistry());
}
