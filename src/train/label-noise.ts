/**
 * Per-node label noise (SPEC §3 node field `labelNoise`: "fraction of the node's training
 * labels replaced by a random other class").
 *
 * Exactly round(f · m) of the node's m labels change (half up): the positions are the first
 * ones of a seeded partial Fisher–Yates permutation, and each new label is drawn uniformly
 * from the classCount − 1 OTHER classes, so a flipped label never stays the same. Stream:
 * `<seed>/labelNoise/<nodeId>`, so one node's noise never depends on another node.
 */
import { makeRng } from '../sim/rng.js';

/** Number of labels that change: round(f · m), half up, within [0, m]. */
export function noisyLabelCount(fraction: number, samples: number): number {
  return Math.min(samples, Math.max(0, Math.floor(fraction * samples + 0.5)));
}

/** The node's noise applied to `labels` (one node's labels) in place. */
export function addLabelNoise(labels: Int32Array, classCount: number, fraction: number, seed: number, nodeId: string): void {
  const flips = noisyLabelCount(fraction, labels.length);
  if (flips === 0 || classCount < 2) return;
  const rng = makeRng(seed, 'labelNoise', nodeId);
  const positions = Int32Array.from({ length: labels.length }, (_, i) => i);
  for (let i = 0; i < flips; i++) {
    const j = i + Math.floor(rng() * (labels.length - i));
    const position = positions[j]!;
    positions[j] = positions[i]!;
    positions[i] = position;
    // An offset in 1..classCount−1 added modulo classCount reaches every other class once.
    const offset = 1 + Math.floor(rng() * (classCount - 1));
    labels[position] = (labels[position]! + offset) % classCount;
  }
}
