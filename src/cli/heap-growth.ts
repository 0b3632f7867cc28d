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
 * 417 MiB streamed and peaks at ~650–760 MB RSS, the bundled scenarios and the 1,000-node
 * benchmarks stay under 550 MiB; cluster-131072 estimates 1,013 MiB streamed.
 */
export const LARGE_RUN_BYTES = 768 * 1024 ** 2;

/**
 * The heap may grow by this much over the live set before V8 collects (V8's own factor is
 * 1.1–4, i.e. 10–300 %). Measured on cluster-131072 (bench/README.md): V8's default peaked
 * at 3.2 GB RSS with the loop of the time, 1.9 GB once it stopped keeping a round's records
 * through the next; with 50, 1.1–1.2 GB, and no wall time lost that the noise lets us see.
 */
export const LARGE_RUN_GROWING_PERCENT = 50;

/** The V8 flag a run of this estimated size gets, or null to keep V8's default. */
export function heapGrowthFlag(estimatedBytes: number): string | null {
  return estimatedBytes > LARGE_RUN_BYTES ? `--heap-growing-percent=${LARGE_RUN_GROWING_PERCENT}` : null;
}

/**
 * Sets the flag for a run of this estimated size (the estimate `--max-memory` checks, made even
 * with --no-limits), before the run allocates anything; returns the flag set, or null.
 */
export function limitHeapGrowth(estimatedBytes: number, setFlags: (flag: string) => void = setFlagsFromString): string | null {
  const flag = heapGrowthFlag(estimatedBytes);
  if (flag !== null) setFlags(flag);
  return flag;
}
