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
import { weighFromColumns, type ColumnWeigh } from './aggregator-columns.js';
import { volatilitiesUsed, weightsFromUsed, type S4Config } from './s4-aggregation.js';
import type { AggregationStageDefinition, StageWorking } from './stage-registry.js';
import type { AggregatorColumns } from './types.js';

/** Each participant's own volatility (null with too few norms), in order. */
export function volatilitiesOf(participants: AggregatorColumns, cfg: S4Config): Array<number | null> {
  const volatilities = new Array<number | null>(participants.count);
  for (let k = 0; k < participants.count; k++) volatilities[k] = participants.volatility(k, cfg.volatility);
  return volatilities;
}

function equalShares(count: number): number[] {
  return Array.from({ length: count }, () => 1 / count);
}

/** A share the cap moved by more than this counts as capped (float noise aside). */
const CAP_TOLERANCE = 1e-12;

/**
 * Each participant's inverse term 1/(v + ε) over the sum of them all (`raw`, before any cap),
 * the v it used (`own`: its own volatility, else the mean of the others' filled in) and
 * whether the cap changed the round's shares. With no volatility known at all: equal shares.
 */
function inverseWorking(own: ReadonlyArray<number | null>, used: ReadonlyArray<number | null>, weights: readonly number[], cfg: S4Config): StageWorking[] {
  const { epsilon, maxWeight } = cfg;
  const rule = 'inverse-volatility';
  // plain literals of one shape (no spreads): one per participant of every round
  if (used.length === 0 || used[0] === null) {
    return used.map(() => ({ rule, epsilon, maxWeight, v: null, own: 'no', term: null, sum: null, raw: null, capped: 'no' }));
  }
  const terms = used.map((v) => 1 / (v! + epsilon));
  const sum = terms.reduce((total, t) => total + t, 0);
  let capped = false;
  if (maxWeight !== null) for (let k = 0; k < terms.length; k++) if (Math.abs(terms[k]! / sum - weights[k]!) > CAP_TOLERANCE) capped = true;
  const cappedText = capped ? 'yes' : 'no';
  return terms.map((term, k) => ({
    rule, epsilon, maxWeight, v: used[k]!, own: own[k] === null ? 'no' : 'yes', term, sum, raw: term / sum, capped: cappedText,
  }));
}

// reports the volatility each weight was computed from, a filled-in mean included
const volatility: ColumnWeigh = (participants, cfg, options) => {
  const own = volatilitiesOf(participants, cfg);
  const volatilities = volatilitiesUsed(own);
  const weights = weightsFromUsed(volatilities, cfg);
  return { weights, volatilities, working: options?.working === false ? [] : inverseWorking(own, volatilities, weights, cfg) };
};

const mean: ColumnWeigh = (participants, cfg, options) => ({
  weights: equalShares(participants.count),
  volatilities: volatilitiesOf(participants, cfg),
  working: options?.working === false ? [] : Array.from({ length: participants.count }, () => ({ rule: 'mean', participants: participants.count })),
});

/**
 * FedAvg weighs by local data size. maxWeight is an S4-volatility option and is not applied
 * here, so `samples` stays plain FedAvg. If every count is 0 the shares are equal.
 */
const samples: ColumnWeigh = (participants, cfg, options) => {
  const { count } = participants;
  let total = 0;
  for (let k = 0; k < count; k++) total += participants.sampleCount(k);
  const weights = total > 0 ? Array.from({ length: count }, (_, k) => participants.sampleCount(k) / total) : equalShares(count);
  return {
    weights,
    volatilities: volatilitiesOf(participants, cfg),
    working: options?.working === false ? [] : Array.from({ length: count }, (_, k) => ({ rule: 'samples', samples: participants.sampleCount(k), total })),
  };
};

export const volatilityAggregation: AggregationStageDefinition = { kind: 'aggregation', name: 'volatility', summary: 'volatility', weigh: weighFromColumns(volatility) };
export const meanAggregation: AggregationStageDefinition = { kind: 'aggregation', name: 'mean', summary: 'mean', weigh: weighFromColumns(mean) };
export const samplesAggregation: AggregationStageDefinition = { kind: 'aggregation', name: 'samples', summary: 'samples', weigh: weighFromColumns(samples) };
