/**
 * A test loss that grows past LOSS_EXPLOSION × its first value while staying finite. A NaN
 * or infinite loss stops the run as diverged; a loss that explodes without overflowing does
 * not, and the accuracy column alone can hide it (a collapsed model still scores its
 * majority class). The reference is round 1's loss; without a finite positive one there is
 * nothing to compare against. Run-level: every round above the bound, and the largest loss.
 */
import { detectorOf, type InsightScannerFactory } from './types.js';

export const LOSS_EXPLOSION = 1e6;

export const scanLossExplosion: InsightScannerFactory = (strategy) => {
  let first: number | undefined;
  const rounds: number[] = [];
  let maxLoss = -Infinity;
  let maxRound = 0;
  return {
    round(round) {
      if (first === undefined) first = round.loss;
      if (!(Number.isFinite(first) && first > 0)) return;
      if (!(Number.isFinite(round.loss) && round.loss > LOSS_EXPLOSION * first)) return;
      rounds.push(round.round);
      if (round.loss > maxLoss) {
        maxLoss = round.loss;
        maxRound = round.round;
      }
    },
    finish: () => (first === undefined || rounds.length === 0
      ? []
      : [{ kind: 'lossExplosion', strategy: strategy.name, rounds, firstLoss: first, maxLoss, maxRound }]),
  };
};

export const detectLossExplosion = detectorOf(scanLossExplosion);
