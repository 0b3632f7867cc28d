/**
 * Insights: notable things that happened in a run, found by pure detectors over the run's
 * records (issue 4 item 3). Each insight is one kind for one node (or one run-level event),
 * listed once per strategy run with every round it held in; the wording lives apart in
 * messages.ts.
 */
import type { Scenario } from '../scenario/types.js';
import type { StrategyRun } from '../sim/records.js';

interface InsightBase {
  /** the strategy run it was found in */
  strategy: string;
  /** every round it held in, ascending (never empty) */
  rounds: number[];
}

/** A node at a given value, e.g. the smallest batch of a round. */
export interface NodeValue {
  nodeId: string;
  value: number;
}

export type Insight =
  /** not dispatched because S1 gave e = 0 (no sample under the threshold) */
  | (InsightBase & { kind: 'zeroEfficiency'; nodeId: string })
  /** more than half of the round's weight, with at least two participants */
  | (InsightBase & { kind: 'dominantWeight'; nodeId: string; maxWeight: number; maxRound: number })
  /** a tiny weight for STARVED_STREAK rounds in a row (see starved-weight.ts for "tiny") */
  | (InsightBase & { kind: 'starvedWeight'; nodeId: string; minWeight: number; firstStreak: [number, number] })
  /** the largest participant batch over the smallest above BATCH_SPREAD_RATIO */
  | (InsightBase & { kind: 'batchSpread'; maxRatio: number; maxRound: number; smallest: NodeValue; largest: NodeValue })
  /** the last finisher took more than BARRIER_RATIO × the others' median round time */
  | (InsightBase & {
    kind: 'barrierStraggler'; nodeId: string; maxRatio: number; maxRound: number; durationMs: number; othersMedianMs: number;
  })
  /** dispatched but not aggregated (lost transfers or the deadline) */
  | (InsightBase & { kind: 'dropped'; nodeId: string; retries: number; deadline: number })
  /** no node took part: the model did not change */
  | (InsightBase & { kind: 'skippedRound' });

export type InsightKind = Insight['kind'];

/** One detector: every insight of its kind in one strategy run, in first-round order. */
export type InsightDetector = (run: StrategyRun, scenario: Scenario) => Insight[];
