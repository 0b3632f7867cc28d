/**
 * A test loss that grows past LOSS_EXPLOSION × its first value while staying finite. A NaN
 * or infinite loss stops the run as diverged; a loss that explodes without overflowing does
 * not, and the accuracy column alone can hide it (a collapsed model still scores its
 * majority class). The reference is round 1's loss; without a finite positive one there is
 * nothing to compare against. Run-level: every round above the bound, and the largest loss.
 */
import type { InsightDetector } from './types.js';

export const LOSS_EXPLOSION = 1e6;

export const detectLossExplosion: InsightDetector = (run) => {
  const first = run.rounds[0]?.loss;
  if (first === undefined || !(Number.isFinite(first) && first > 0)) return [];
  const rounds: number[] = [];
  let maxLoss = -Infinity;
  let maxRound = 0;
  for (const round of run.rounds) {
    if (!(Number.isFinite(round.loss) && round.loss > LOSS_EXPLOSION * first)) continue;
    rounds.push(round.round);
    if (round.loss > maxLoss) {
      maxLoss = round.loss;
      maxRound = round.round;
    }
  }
  return rounds.length === 0 ? [] : [{ kind: 'lossExplosion', strategy: run.strategy.name, rounds, firstLoss: first, maxLoss, maxRound }];
};
