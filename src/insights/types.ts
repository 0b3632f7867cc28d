/**
 * Insights: notable things that happened in a run, found by pure detectors over the run's
 * records (issue 4 item 3). Each insight is one kind for one node (or one run-level event),
 * listed once per strategy run with every round it held in; the wording lives apart in
 * messages.ts.
 */
import type { Scenario, StrategySpec } from '../scenario/types.js';
import type { RoundRecord, StrategyRun } from '../sim/records.js';

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
  /** under half an equal share of the weight, STARVED_STREAK rounds or more in a row (starved-weight.ts) */
  | (InsightBase & {
    kind: 'starvedWeight'; nodeId: string; minWeight: number; equalShare: number; longestStreak: [number, number]; longestLength: number;
  })
  /** S4's volatilities from fewer than MIN_NORMS gradient norms (few-norms.ts) */
  | (InsightBase & { kind: 'fewNorms'; fewestNorms: number })
  /** participants that took different numbers of local steps (FedNova's objective inconsistency) */
  | (InsightBase & { kind: 'localStepsSpread'; maxRound: number; fewest: NodeValue; most: NodeValue })
  /** the last finisher took more than BARRIER_RATIO × the others' median round time */
  | (InsightBase & {
    kind: 'barrierStraggler'; nodeId: string; maxRatio: number; maxRound: number; durationMs: number; othersMedianMs: number;
  })
  /** dispatched but not aggregated (lost transfers or the deadline) */
  | (InsightBase & { kind: 'dropped'; nodeId: string; retries: number; deadline: number })
  /** no node took part: the model did not change */
  | (InsightBase & { kind: 'skippedRound' })
  /** a finite test loss above LOSS_EXPLOSION × round 1's */
  | (InsightBase & { kind: 'lossExplosion'; firstLoss: number; maxLoss: number; maxRound: number });

export type InsightKind = Insight['kind'];

/** One detector: every insight of its kind in one strategy run, in first-round order. */
export type InsightDetector = (run: StrategyRun, scenario: Scenario) => Insight[];

/**
 * A detector fed one round at a time (SPEC §9: a run of 131,072 nodes does not keep every
 * round's node records, so the insights are found as the rounds finish). `round` sees each
 * round's full record in order and keeps only what later rounds or the verdict need;
 * `finish` gives what the detector over the whole run gives.
 */
export interface InsightScanner {
  round(round: RoundRecord): void;
  finish(): Insight[];
}

export type InsightScannerFactory = (strategy: StrategySpec, scenario: Scenario) => InsightScanner;

/** The whole-run detector of a scanner: every round fed in order. */
export function detectorOf(scan: InsightScannerFactory): InsightDetector {
  return (run, scenario) => {
    const scanner = scan(run.strategy, scenario);
    for (const round of run.rounds) scanner.round(round);
    return scanner.finish();
  };
}
