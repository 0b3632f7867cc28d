/**
 * Strategy presets (SPEC §2 "Strategies"): each picks one plug-in per stage. A scenario may
 * name presets or spell the stages out for ablations.
 */
import type { AggregationStage, BatchStage, ResourceStage, StrategySpec } from '../scenario/types.js';

export const BATCH_STAGES: readonly BatchStage[] = ['efficiency', 'fixed'];
export const RESOURCE_STAGES: readonly ResourceStage[] = ['pressure', 'fixed'];
export const AGGREGATION_STAGES: readonly AggregationStage[] = ['volatility', 'mean', 'samples'];

export const STRATEGY_PRESETS: Readonly<Record<string, Omit<StrategySpec, 'name'>>> = {
  /** the patent: S1+S2 efficiency batches, S3 pressure resources, S4 volatility weights */
  s1s4: { batch: 'efficiency', resources: 'pressure', aggregation: 'volatility' },
  /** classic synchronous SGD: B/2 everywhere, base resources, plain mean */
  'sync-sgd': { batch: 'fixed', resources: 'fixed', aggregation: 'mean' },
  /** FedAvg: weights ∝ the node's number of training samples */
  fedavg: { batch: 'fixed', resources: 'fixed', aggregation: 'samples' },
};

export function isPresetName(name: string): boolean {
  return Object.hasOwn(STRATEGY_PRESETS, name);
}

export function presetStrategy(name: string): StrategySpec | undefined {
  const stages = isPresetName(name) ? STRATEGY_PRESETS[name] : undefined;
  return stages === undefined ? undefined : { name, ...stages };
}

/** A stage pick's display name: the matching preset's name, else `batch/resources/aggregation`. */
export function strategyName(stages: Omit<StrategySpec, 'name'>): string {
  for (const [name, preset] of Object.entries(STRATEGY_PRESETS)) {
    if (preset.batch === stages.batch && preset.resources === stages.resources && preset.aggregation === stages.aggregation) {
      return name;
    }
  }
  return `${stages.batch}/${stages.resources}/${stages.aggregation}`;
}
