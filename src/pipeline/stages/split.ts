/**
 * What the batch stages that share out one global batch have in common (SPEC §7.1):
 * the round's global batch G, largest-remainder rounding, and the clamp that leaves a zero
 * split at zero.
 */
import { clamp } from '../s2-batch-size.js';
import type { S2Config } from '../s2-batch-size.js';
import type { Efficiency } from '../s1-efficiency.js';

/**
 * Shares and remainders that differ by less than this (relative) are taken as equal: float
 * arithmetic puts 10/3 and 1/3 a few ulps apart in their fractional parts, and an exact tie
 * must go to the lower node index however the shares were evaluated.
 */
const TIE_TOLERANCE = 1e-9;

/** G = floor(B · n / 2), n = the nodes with efficiency > 0. */
export function globalBatch(efficiency: readonly Efficiency[], standardBatch: number): number {
  let n = 0;
  for (const e of efficiency) if (e.efficiency > 0) n++;
  return Math.floor((standardBatch * n) / 2);
}

/** x snapped onto the nearest integer when within the tolerance, so 9.999999999999998 floors to 10. */
function snapToInteger(x: number): number {
  const nearest = Math.round(x);
  return Math.abs(x - nearest) <= TIE_TOLERANCE * Math.max(1, Math.abs(x)) ? nearest : x;
}

/**
 * Whole numbers summing to `total` from real shares that sum to it: every share is floored,
 * then the units left over go one each to the largest remainders, ties to the lower index.
 * A share of 0 (or less) stays 0.
 */
export function largestRemainder(shares: readonly number[], total: number): number[] {
  const whole: number[] = [];
  const remainders: number[] = [];
  let left = total;
  for (const share of shares) {
    const snapped = share > 0 ? snapToInteger(share) : 0;
    const floor = Math.floor(snapped);
    whole.push(floor);
    remainders.push(snapped - floor);
    left -= floor;
  }
  const order: number[] = [];
  for (let i = 0; i < shares.length; i++) if (shares[i]! > 0 && remainders[i]! > 0) order.push(i);
  order.sort((a, b) => (Math.abs(remainders[a]! - remainders[b]!) <= TIE_TOLERANCE ? a - b : remainders[b]! - remainders[a]!));
  for (let k = 0; k < order.length && left > 0; k++, left--) whole[order[k]!] += 1;
  return whole;
}

/** S2's clamp, except that a node whose split batch is 0 stays 0 (it was given no work). */
export function clampSplit(split: number, s2: S2Config, maxBatch: number): number {
  return split === 0 ? 0 : clamp(split, s2.minBatch, maxBatch);
}
