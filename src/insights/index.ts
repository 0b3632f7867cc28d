/**
 * detectInsights: every detector over every strategy run of a result (pure). The registry
 * order is the print order: kinds first, then within a kind by first round.
 */
import type { RunResult, StrategyRun } from '../sim/records.js';
import type { Scenario } from '../scenario/types.js';
import { detectBarrierStraggler } from './barrier-straggler.js';
import { detectDominantWeight } from './dominant-weight.js';
import { detectDropped, detectSkippedRounds } from './dropped.js';
import { detectFewNorms } from './few-norms.js';
import { detectLocalStepsSpread } from './local-steps-spread.js';
import { detectLossExplosion } from './loss-explosion.js';
import { detectStarvedWeight } from './starved-weight.js';
import type { Insight, InsightDetector, InsightKind } from './types.js';
import { detectZeroEfficiency } from './zero-efficiency.js';

export type { Insight, InsightKind, NodeValue } from './types.js';

export const DETECTORS: Readonly<Record<InsightKind, InsightDetector>> = {
  // first: a model that blew up makes every other observation moot
  lossExplosion: detectLossExplosion,
  zeroEfficiency: detectZeroEfficiency,
  dominantWeight: detectDominantWeight,
  starvedWeight: detectStarvedWeight,
  fewNorms: detectFewNorms,
  localStepsSpread: detectLocalStepsSpread,
  barrierStraggler: detectBarrierStraggler,
  dropped: detectDropped,
  skippedRound: detectSkippedRounds,
};

export function detectRunInsights(run: StrategyRun, scenario: Scenario): Insight[] {
  return Object.values(DETECTORS).flatMap((detect) => detect(run, scenario));
}

export function detectInsights(result: RunResult): Insight[] {
  return result.runs.flatMap((run) => detectRunInsights(run, result.scenario));
}
