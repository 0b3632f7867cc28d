/**
 * A generated dataset arranged into the training and test sets in its own memory: at 1,000,000
 * samples of 256 features a second copy is a gigabyte, and the first write to fresh memory is
 * slow on the virtual machines this runs on. Each value ends as the bits the copying path
 * (split.ts copyRows) writes: standardised in float64 from its float32 self, stored as float32,
 * then moved as it is.
 */
import type { FeatureStats } from './split.js';
import { runSteps, type Steps } from './steps.js';

/** Every row of `features` standardised by `stats`, where it lies. */
export function standardiseInPlace(features: Float32Array, width: number, stats: FeatureStats): void {
  for (let at = 0; at < features.length; at += width) {
    for (let f = 0; f < width; f++) features[at + f] = (features[at + f]! - stats.mean[f]!) / stats.std[f]!;
  }
}

/**
 * Where each row goes when rows `groups[0]`, then `groups[1]`, … are laid out one after the
 * other: row r to position `destinations[r]`; null unless every one of the `rows` rows is named
 * exactly once (then the layout is a permutation, and can be made in place).
 */
export function destinations(rows: number, groups: readonly ArrayLike<number>[]): Int32Array | null {
  const to = new Int32Array(rows).fill(-1);
  let next = 0;
  for (const group of groups) {
    for (let k = 0; k < group.length; k++) {
      const row = group[k]!;
      if (to[row] !== -1) return null;
      to[row] = next++;
    }
  }
  return next === rows ? to : null;
}

/**
 * Moves row r of `features` (`width` values) and of `labels` to position `to[r]`, for every r,
 * following each cycle of the permutation with one row held aside: each row is written once.
 */
export function permuteRows(features: Float32Array, labels: Int32Array, width: number, to: Int32Array): void {
  runSteps(permuteRowsSteps(features, labels, width, to));
}

/** Rows moved between two of permuteRowsSteps' steps: a few hundredths of a second. */
export const PERMUTE_STEP_ROWS = 65_536;

/**
 * permuteRows, yielding every PERMUTE_STEP_ROWS rows moved (over a second for 1,000,000 rows),
 * inside a cycle too: a random permutation's longest cycle holds most of its rows.
 */
export function* permuteRowsSteps(features: Float32Array, labels: Int32Array, width: number, to: Int32Array, stepRows = PERMUTE_STEP_ROWS): Steps<void> {
  const held = new Float32Array(width);
  const placed = new Uint8Array(to.length);
  let moved = 0;
  for (let start = 0; start < to.length; start++) {
    if (placed[start] === 1) continue;
    placed[start] = 1;
    if (to[start] === start) continue;
    for (let f = 0; f < width; f++) held[f] = features[start * width + f]!;
    let heldLabel = labels[start]!;
    // the row held goes where it belongs; the one it displaces is held next, until the cycle
    // comes back to its start (whose stale copy is then what is displaced)
    for (let at = to[start]!; ; at = to[at]!) {
      const base = at * width;
      for (let f = 0; f < width; f++) {
        const displaced = features[base + f]!;
        features[base + f] = held[f]!;
        held[f] = displaced;
      }
      const displacedLabel = labels[at]!;
      labels[at] = heldLabel;
      heldLabel = displacedLabel;
      if (at === start) break;
      placed[at] = 1;
      if (++moved % stepRows === 0) yield;
    }
  }
}
