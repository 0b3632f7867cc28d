/**
 * detectInsights: every detector over every strategy run of a result (pure). The registry
 * order is the print order: kinds first, then within a kind by first round.
 */
import type { RunResult, StrategyRun } from '../sim/records.js';
import type { Scenario } from '../scenario/types.js';
import type { StrategySpec } from '../scenario/types.js';
import type { RoundRecord } from '../sim/records.js';
import { scanBarrierStraggler } from './barrier-straggler.js';
import { scanDominantWeight } from './dominant-weight.js';
import { scanDropped, scanSkippedRounds } from './dropped.js';
import { scanFewNorms } from './few-norms.js';
import { scanLocalStepsSpread } from './local-steps-spread.js';
import { scanLossExplosion } from './loss-explosion.js';
import { scanStarvedWeight } from './starved-weight.js';
import { detectorOf, type Insight, type InsightDetector, type InsightKind, type InsightScanner, type InsightScannerFactory } from './types.js';
import { scanZeroEfficiency } from './zero-efficiency.js';

export type { Insight, InsightKind, NodeValue } from './types.js';

export const SCANNERS: Readonly<Record<InsightKind, InsightScannerFactory>> = {
  // first: a model that blew up makes every other observation moot
  lossExplosion: scanLossExplosion,
  zeroEfficiency: scanZeroEfficiency,
  dominantWeight: scanDominantWeight,
  starvedWeight: scanStarvedWeight,
  fewNorms: scanFewNorms,
  localStepsSpread: scanLocalStepsSpread,
  barrierStraggler: scanBarrierStraggler,
  dropped: scanDropped,
  skippedRound: scanSkippedRounds,
};

export const DETECTORS: Readonly<Record<InsightKind, InsightDetector>> = Object.fromEntries(
  Object.entries(SCANNERS).map(([kind, scan]) => [kind, detectorOf(scan)]),
) as Record<InsightKind, InsightDetector>;

export function detectRunInsights(run: StrategyRun, scenario: Scenario): Insight[] {
  return Object.values(DETECTORS).flatMap((detect) => detect(run, scenario));
}

/**
 * detectInsights for a run that does not keep its node records (SPEC §9): fed each round as
 * it finishes (runScenario's onRound) and each run as it ends (onRunEnd); `insights` then
 * gives what detectInsights gives over the whole result.
 */
export class InsightStream {
  private scanners: InsightScanner[] | null = null;
  private readonly found: Insight[][] = [];

  constructor(private readonly scenario: Scenario) {}

  round(record: RoundRecord, strategy: StrategySpec): void {
    this.scanners ??= Object.values(SCANNERS).map((scan) => scan(strategy, this.scenario));
    for (const scanner of this.scanners) scanner.round(record);
  }

  runEnd(run: StrategyRun): void {
    const scanners = this.scanners ?? Object.values(SCANNERS).map((scan) => scan(run.strategy, this.scenario));
    this.found.push(scanners.flatMap((scanner) => scanner.finish()));
    this.scanners = null;
  }

  insights(): Insight[] {
    return this.found.flat();
  }
}

export function detectInsights(result: RunResult): Insight[] {
  return result.runs.flatMap((run) => detectRunInsights(run, result.scenario));
}
