/**
 * S4 plug-ins (SPEC §2 "Strategies"): one aggregation stage per name, registered in the
 * stage registry (stages/builtin.ts). Every aggregator returns the nodes' volatilities too
 * (so reports can show them whatever the strategy); only `volatility` weighs by them, and it
 * returns the values it weighed by (a node with too few norms: the mean of the others').
 * `mean` and `samples` show each node's own volatility (null with too few norms).
 *
 *   volatility : w_i ∝ 1 / (v_i + ε), optional maxWeight cap (the patent, claim 1 S4)
 *   mean       : w_i = 1 / |P_t|                                   (classic synchronous SGD)
 *   samples    : w_i = sampleCount_i / Σ_j sampleCount_j            (FedAvg)
 */
import { inverseVolatilityWeights, volatilitiesUsed, volatilityOf, type S4Config } from './s4-aggregation.js';
import type { AggregationStageDefinition } from './stage-registry.js';
import type { AggregatorInput, AggregatorOutput } from './types.js';

/** Weights (sum 1, same order as `participants`) and each participant's volatility. */
export type Aggregator = (participants: readonly AggregatorInput[], cfg: S4Config) => AggregatorOutput;

function volatilitiesOf(participants: readonly AggregatorInput[], cfg: S4Config): Array<number | null> {
  return participants.map((p) => volatilityOf(p.gradNormHistory, cfg.volatility));
}

function equalShares(count: number): number[] {
  return Array.from({ length: count }, () => 1 / count);
}

// reports the volatility each weight was computed from, a filled-in mean included
const volatility: Aggregator = (participants, cfg) => {
  const volatilities = volatilitiesUsed(volatilitiesOf(participants, cfg));
  return { weights: inverseVolatilityWeights(volatilities, cfg), volatilities };
};

const mean: Aggregator = (participants, cfg) => ({
  weights: equalShares(participants.length),
  volatilities: volatilitiesOf(participants, cfg),
});

/**
 * FedAvg weighs by local data size. maxWeight is an S4-volatility option and is not applied
 * here, so `samples` stays plain FedAvg. If every count is 0 the shares are equal.
 */
const samples: Aggregator = (participants, cfg) => {
  const total = participants.reduce((sum, p) => sum + p.sampleCount, 0);
  const weights = total > 0 ? participants.map((p) => p.sampleCount / total) : equalShares(participants.length);
  return { weights, volatilities: volatilitiesOf(participants, cfg) };
};

export const volatilityAggregation: AggregationStageDefinition = { kind: 'aggregation', name: 'volatility', summary: 'volatility', weigh: volatility };
export const meanAggregation: AggregationStageDefinition = { kind: 'aggregation', name: 'mean', summary: 'mean', weigh: mean };
export const samplesAggregation: AggregationStageDefinition = { kind: 'aggregation', name: 'samples', summary: 'samples', weigh: samples };
