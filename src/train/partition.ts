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
import { runSteps, type Steps } from './steps.js';

/**
 * Largest-remainder apportionment of `total` items ∝ `weights` (finite, ≥ 0; all equal when they
 * sum to 0): each gets the floor of its quota, and the items left go one each to the largest
 * remainders, the lower index first among equal ones.
 */
export function apportion(total: number, weights: readonly number[]): number[] {
  const size = weights.length;
  const sum = weights.reduce((a, w) => a + w, 0);
  const counts = new Array<number>(size);
  const remainders = new Float64Array(size);
  let given = 0;
  for (let i = 0; i < size; i++) {
    const quota = (sum > 0 ? weights[i]! / sum : 1 / size) * total;
    counts[i] = Math.floor(quota);
    remainders[i] = quota - counts[i]!;
    given += counts[i]!;
  }
  // fewer left than weights, up to float rounding in the quotas: any more go round again
  const left = total - given;
  if (left <= 0 || size === 0) return counts;
  const everyone = Math.floor(left / size);
  const extra = left - everyone * size;
  if (everyone > 0) for (let i = 0; i < size; i++) counts[i]! += everyone;
  if (extra === 0) return counts;
  // the `extra` largest remainders without sorting the indices by a comparator (300 ms for the
  // three classes of a Dirichlet split over 131,072 nodes): every remainder above the
  // extra-th largest gets one, then the lowest indices among those equal to it
  const threshold = Float64Array.from(remainders).sort()[size - extra]!;
  let above = 0;
  for (let i = 0; i < size; i++) {
    if (remainders[i]! > threshold) {
      counts[i]! += 1;
      above++;
    }
  }
  for (let i = 0, atThreshold = extra - above; atThreshold > 0; i++) {
    if (remainders[i] === threshold) {
      counts[i]! += 1;
      atThreshold--;
    }
  }
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
  return runSteps(cutSteps(items, sizes));
}

function* cutSteps(items: readonly number[], sizes: readonly number[]): Steps<number[][]> {
  const parts: number[][] = [];
  let start = 0;
  for (let i = 0; i < sizes.length; i++) {
    if (i > 0 && i % PARTITION_STEP_PARTS === 0) yield;
    parts.push(items.slice(start, start + sizes[i]!));
    start += sizes[i]!;
  }
  return parts;
}

function* partitionIid(n: number, shares: readonly number[], rng: Rng): Steps<number[][]> {
  const order = Array.from({ length: n }, (_, i) => i);
  yield;
  shuffleInPlace(order, rng);
  yield;
  return yield* cutSteps(order, apportion(n, shares));
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

/**
 * The sample indices ordered by label, ascending indices within a label (what a stable sort by
 * label gives), by counting: sorting 475,000 indices with a comparator took 250 ms.
 */
export function indicesByLabel(labels: Int32Array, classCount: number): number[] {
  const starts = new Array<number>(classCount + 1).fill(0);
  for (let i = 0; i < labels.length; i++) starts[labels[i]! + 1]!++;
  for (let c = 0; c < classCount; c++) starts[c + 1]! += starts[c]!;
  const sorted = new Array<number>(labels.length);
  for (let i = 0; i < labels.length; i++) sorted[starts[labels[i]!]!++] = i;
  return sorted;
}

function partitionShards(labels: Int32Array, classCount: number, k: number, shares: readonly number[], rng: Rng): number[][] {
  const sorted = indicesByLabel(labels, classCount);
  const shardCount = shares.length * k;
  // shard s is sorted[shardStart[s] … shardStart[s + 1] − 1]; read in place, not cut into arrays
  const shardStart = startsOf(apportion(sorted.length, new Array<number>(shardCount).fill(1)));
  const dealt = Array.from({ length: shardCount }, (_, s) => s);
  shuffleInPlace(dealt, rng);
  const dealtStart = startsOf(apportion(shardCount, shares));
  return shares.map((_, node) => {
    const part: number[] = [];
    for (let d = dealtStart[node]!; d < dealtStart[node + 1]!; d++) {
      const shard = dealt[d]!;
      for (let j = shardStart[shard]!; j < shardStart[shard + 1]!; j++) part.push(sorted[j]!);
    }
    return part;
  });
}

/** Where each of consecutive runs of these sizes starts, and (last) where the runs end. */
function startsOf(sizes: readonly number[]): Int32Array {
  const starts = new Int32Array(sizes.length + 1);
  for (let i = 0; i < sizes.length; i++) starts[i + 1] = starts[i]! + sizes[i]!;
  return starts;
}

/**
 * Moves one sample at a time from the largest node (the first of equals) into each empty node,
 * in node order: the empty node gets the donor's last sample. The donors are kept in a heap:
 * scanning every node for each empty one took 2 s for a Dirichlet split of 570,000 samples over
 * 131,072 nodes, most of them empty. A node just filled holds one sample and is never a donor:
 * while a node is empty, the others hold all n ≥ nodes samples, so the largest holds at least 2.
 */
export function fillEmptyParts(parts: number[][]): void {
  const empty: number[] = [];
  const donors: number[] = [];
  parts.forEach((part, i) => (part.length === 0 ? empty : donors).push(i));
  if (empty.length === 0) return;
  const heap = new DonorHeap(parts, donors);
  for (const i of empty) {
    const donor = heap.top();
    parts[i]!.push(parts[donor]!.pop()!);
    heap.shrankTop();
  }
}

/** Node indices ordered largest part first, the lower index first among equals. */
class DonorHeap {
  private readonly items: Int32Array;

  constructor(private readonly parts: readonly number[][], nodes: readonly number[]) {
    this.items = Int32Array.from(nodes);
    for (let k = (this.items.length >> 1) - 1; k >= 0; k--) this.siftDown(k);
  }

  top(): number {
    return this.items[0]!;
  }

  /** The top node gave a sample away. */
  shrankTop(): void {
    this.siftDown(0);
  }

  private before(a: number, b: number): boolean {
    const la = this.parts[a]!.length;
    const lb = this.parts[b]!.length;
    return la > lb || (la === lb && a < b);
  }

  private siftDown(from: number): void {
    const { items } = this;
    const item = items[from]!;
    let k = from;
    for (;;) {
      let child = 2 * k + 1;
      if (child >= items.length) break;
      if (child + 1 < items.length && this.before(items[child + 1]!, items[child]!)) child++;
      if (!this.before(items[child]!, item)) break;
      items[k] = items[child]!;
      k = child;
    }
    items[k] = item;
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
  return runSteps(partitionSteps(trainLabels, classCount, nodeShares, spec, seed));
}

/** Parts sorted between two of partitionSteps' last steps: a few hundredths of a second. */
export const PARTITION_STEP_PARTS = 16_384;

/** partitionIndices, yielding once the parts are drawn and while they are sorted (most of a second for 131,072 nodes). */
export function* partitionSteps(
  trainLabels: Int32Array,
  classCount: number,
  nodeShares: readonly number[],
  spec: PartitionSpec,
  seed: number,
): Steps<Int32Array[]> {
  const n = trainLabels.length;
  if (n < nodeShares.length) return nodeShares.map((_, i) => Int32Array.of(i % n));
  const rng = makeRng(seed, 'data', 'partition');
  let parts: number[][];
  switch (spec.kind) {
    case 'iid':
      parts = yield* partitionIid(n, nodeShares, rng);
      break;
    case 'dirichlet':
      parts = partitionDirichlet(trainLabels, classCount, spec.alpha, nodeShares, rng);
      break;
    case 'shards':
      parts = partitionShards(trainLabels, classCount, spec.shards, nodeShares, rng);
      break;
  }
  fillEmptyParts(parts);
  yield;
  const sorted: Int32Array[] = [];
  for (let i = 0; i < parts.length; i++) {
    if (i > 0 && i % PARTITION_STEP_PARTS === 0) yield;
    sorted.push(Int32Array.from(parts[i]!).sort());
  }
  return sorted;
}
