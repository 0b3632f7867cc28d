/**
 * How far V8 lets the heap grow between collections, for the runs the pre-run estimate calls
 * large (SPEC §9: 131,072 nodes × 10 rounds in ≤ 2 GiB peak RSS).
 *
 * Why: V8 grows the old generation to up to 4× what is alive after a collection on a machine
 * with this much memory, so a run whose live set is ~0.5–1.4 GB peaked at ~3 GB RSS, most of it
 * garbage not yet collected. `--max-old-space-size` cannot change once Node has started (and a
 * hard cap turns a larger run into an out-of-memory crash), but the growing factor can: with
 * `--heap-growing-percent` V8 collects when the heap has grown by that percentage over what
 * was alive, whatever the machine. That costs more collections, so small runs, whose whole heap
 * is a few hundred MB, keep V8's default.
 */
import { setFlagsFromString } from 'node:v8';

/**
 * Estimates at or below this keep V8's default growth: cluster-16384 (16,384 nodes) estimates
 * 501 MiB streamed and peaks at ~480–760 MB RSS, the bundled scenarios and the 1,000-node
 * benchmarks stay under 560 MiB; cluster-131072 estimates 1,460 MiB streamed.
 */
export const LARGE_RUN_BYTES = 768 * 1024 ** 2;

/**
 * The heap may grow by this much over the live set before V8 collects (V8's own factor is
 * 1.1–4, i.e. 10–300 %). Measured on cluster-131072 (bench/README.md): V8's default peaked
 * at 3.2 GB RSS with the loop of the time, 1.9 GB once it stopped keeping a round's records
 * through the next; with 50, 1.1–1.2 GB, and no wall time lost that the noise lets us see.
 */
export const LARGE_RUN_GROWING_PERCENT = 50;

/**
 * From this many nodes in one run the flag is set whatever the estimate: a round then makes
 * some 100 MiB and more of short-lived per-node objects (records, timelines, plans: ~1.5 KB a
 * node), and V8's default growth lets the heap reach several times the estimate between
 * collections. Measured: a held-out scenario of 131,072 nodes whose estimate was 709 MiB (below
 * the threshold: little training data) peaked at 1.86 GiB RSS with V8's default and at 0.88 GiB
 * with the flag. cluster-16384 stays below this count and keeps V8's default, which collects
 * less often.
 */
export const LARGE_CLUSTER_NODES = 65_536;

/** The V8 flag a run of this estimated size and node count gets, or null to keep V8's default. */
export function heapGrowthFlag(estimatedBytes: number, nodes = 0): string | null {
  return estimatedBytes > LARGE_RUN_BYTES || nodes >= LARGE_CLUSTER_NODES ? `--heap-growing-percent=${LARGE_RUN_GROWING_PERCENT}` : null;
}

/**
 * What the rule is applied to for `jobs` runs at a time on worker threads (sweep, study): the
 * sum of the `jobs` largest runs' estimates, not one run's. V8's flags are process-wide, and a
 * flag set on the main thread before the workers start governs every worker's heap (measured:
 * a worker holding ~250 MB peaked at a 1,650 MiB heap and 1.75 GB RSS with V8's default, at
 * 786 MiB and 0.97 GB with the flag set on the main thread only); each worker's heap grows
 * over its own live set, and every worker's garbage adds to the one process's peak RSS, so it
 * is the pool's total that must stay bounded. Two cluster-1000 runs (559 MiB each, under the
 * threshold alone) on two workers peaked at 0.91–0.96 GB RSS with V8's default and 0.82–0.83 GB
 * with the flag. The sum counts the host's base once per run, so a grid of small runs on many
 * workers may pass the threshold (four quickstart runs: 813 MiB estimated, 0.39 GB measured);
 * the flag cost those no time the machine's noise let us see. Worker `resourceLimits` are a
 * hard cap instead: a run past it dies out of memory, as with `--max-old-space-size`.
 */
export { poolEstimateBytes } from '../limits/options.js';

/** The most nodes of the runs still to do (keyed as in the plan): what the node rule is applied to for a pool. */
export function largestCluster(planned: ReadonlyArray<{ key: string; scenario: { cluster: { nodes: readonly unknown[] } } }>, todo: ReadonlyArray<{ key: string }>): number {
  const keys = new Set(todo.map((run) => run.key));
  let most = 0;
  for (const run of planned) if (keys.has(run.key)) most = Math.max(most, run.scenario.cluster.nodes.length);
  return most;
}

/**
 * Sets the flag for a run of this estimated size (the estimate `--max-memory` checks, made even
 * with --no-limits) and node count (the largest of a pool's runs), before the run allocates
 * anything; returns the flag set, or null.
 */
export function limitHeapGrowth(estimatedBytes: number, nodes: number, setFlags: (flag: string) => void = setFlagsFromString): string | null {
  const flag = heapGrowthFlag(estimatedBytes, nodes);
  if (flag !== null) setFlags(flag);
  return flag;
}
