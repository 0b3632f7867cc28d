/**
 * Per-node training shards (SPEC §3 "Partitions: iid, { dirichlet: α } (label skew),
 * { shards: k }", node field `dataShare`). All draws come from stream `<seed>/data/partition`.
 *
 * - iid: a seeded permutation cut into contiguous parts sized ∝ dataShare.
 * - dirichlet α: per class (in class order), node proportions p ~ Dir(α), multiplied by the
 *   nodes' dataShare and renormalised; the class's samples (seeded order) are cut accordingly.
 *   Small α ⇒ each node sees few classes. Gamma variates by Marsaglia–Tsang, in log space so
 *   that tiny α cannot underflow every proportion to 0.
 * - shards k: indices sorted by label (stable, so the split's random order survives within a
 *   class), cut into nodes·k near-equal contiguous shards; the shards are shuffled and dealt,
 *   node i receiving its ∝ dataShare part of the nodes·k shards (exactly k with equal shares).
 *
 * Sizes are apportioned by largest remainder (ties to the lower node index). Every node gets
 * at least one sample: an empty node takes the last sample of the currently largest node.
 * With fewer training samples than nodes that is impossible, so node i then gets sample
 * `i mod n` (nodes share samples round-robin). Each node's indices are returned ascending.
 */
import { maxOf } from '../extremes.js';
import type { PartitionSpec } from '../scenario/types.js';
import { gaussianFrom, makeRng, shuffleInPlace, type Rng } from '../sim/rng.js';
import { exp, log } from '../text/fdlibm.js';

/** Largest-remainder apportionment of `total` items ∝ `weights` (all equal when they sum to 0). */
export function apportion(total: number, weights: readonly number[]): number[] {
  const sum = weights.reduce((a, w) => a + w, 0);
  const shares = sum > 0 ? weights.map((w) => w / sum) : weights.map(() => 1 / weights.length);
  const quotas = shares.map((s) => s * total);
  const counts = quotas.map((q) => Math.floor(q));
  const left = total - counts.reduce((a, c) => a + c, 0);
  const byRemainder = quotas.map((_, i) => i).sort((a, b) => (quotas[b]! - counts[b]!) - (quotas[a]! - counts[a]!) || a - b);
  // `left` < weights.length, up to float rounding in the quotas; the modulo covers that case.
  for (let r = 0; r < left; r++) counts[byRemainder[r % byRemainder.length]!]! += 1;
  return counts;
}

/** log of a Gamma(shape, 1) variate (Marsaglia & Tsang 2000; shape < 1 via the U^(1/a) boost). */
export function sampleLogGamma(shape: number, rng: Rng): number {
  if (shape < 1) return sampleLogGamma(shape + 1, rng) + log(1 - rng()) / shape;
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    const x = gaussianFrom(rng(), rng());
    const v = (1 + c * x) ** 3;
    if (v <= 0) continue;
    const u = 1 - rng();
    if (log(u) < 0.5 * x * x + d - d * v + d * log(v)) return log(d * v);
  }
}

/** One draw from a symmetric Dirichlet(α) over `size` categories. */
export function sampleDirichlet(alpha: number, size: number, rng: Rng): number[] {
  const logs = Array.from({ length: size }, () => sampleLogGamma(alpha, rng));
  const top = maxOf(logs);
  const weights = logs.map((l) => exp(l - top));
  const sum = weights.reduce((a, w) => a + w, 0);
  return weights.map((w) => w / sum);
}

/** Cuts `items` into consecutive runs of the given sizes. */
function cut(items: readonly number[], sizes: readonly number[]): number[][] {
  const parts: number[][] = [];
  let start = 0;
  for (const size of sizes) {
    parts.push(items.slice(start, start + size));
    start += size;
  }
  return parts;
}

function partitionIid(n: number, shares: readonly number[], rng: Rng): number[][] {
  const order = Array.from({ length: n }, (_, i) => i);
  shuffleInPlace(order, rng);
  return cut(order, apportion(n, shares));
}

function partitionDirichlet(labels: Int32Array, classCount: number, alpha: number, shares: readonly number[], rng: Rng): number[][] {
  const parts: number[][] = shares.map(() => []);
  for (let k = 0; k < classCount; k++) {
    const members: number[] = [];
    labels.forEach((label, i) => { if (label === k) members.push(i); });
    shuffleInPlace(members, rng);
    const p = sampleDirichlet(alpha, shares.length, rng);
    const sizes = apportion(members.length, p.map((pi, i) => pi * shares[i]!));
    cut(members, sizes).forEach((part, i) => {
      // one push per sample: push(...part) overflows the stack for a class of 400k samples
      for (const index of part) parts[i]!.push(index);
    });
  }
  return parts;
}

function partitionShards(labels: Int32Array, k: number, shares: readonly number[], rng: Rng): number[][] {
  const sorted = Array.from({ length: labels.length }, (_, i) => i).sort((a, b) => labels[a]! - labels[b]!);
  const shardCount = shares.length * k;
  const shards = cut(sorted, apportion(sorted.length, new Array<number>(shardCount).fill(1)));
  const dealt = Array.from({ length: shardCount }, (_, s) => s);
  shuffleInPlace(dealt, rng);
  const nodeShards = cut(dealt, apportion(shardCount, shares));
  return nodeShards.map((ids) => ids.flatMap((s) => shards[s]!));
}

/** Moves one sample at a time from the largest node into each empty node. */
function fillEmptyParts(parts: number[][]): void {
  for (const part of parts) {
    if (part.length > 0) continue;
    let donor = parts[0]!;
    for (const other of parts) if (other.length > donor.length) donor = other;
    part.push(donor.pop()!);
  }
}

/** Per node (in `nodeShares` order), the indices of its training samples. */
export function partitionIndices(
  trainLabels: Int32Array,
  classCount: number,
  nodeShares: readonly number[],
  spec: PartitionSpec,
  seed: number,
): Int32Array[] {
  const n = trainLabels.length;
  if (n < nodeShares.length) return nodeShares.map((_, i) => Int32Array.of(i % n));
  const rng = makeRng(seed, 'data', 'partition');
  let parts: number[][];
  switch (spec.kind) {
    case 'iid':
      parts = partitionIid(n, nodeShares, rng);
      break;
    case 'dirichlet':
      parts = partitionDirichlet(trainLabels, classCount, spec.alpha, nodeShares, rng);
      break;
    case 'shards':
      parts = partitionShards(trainLabels, spec.shards, nodeShares, rng);
      break;
  }
  fillEmptyParts(parts);
  return parts.map((part) => Int32Array.from(part).sort());
}
