/**
 * S3 — compute pressure → threads and I/O queue (claim 4; SPEC §2 S3).
 *
 *   pressure_i = batch_i(t) · responseMs_i(t−1)                         [sample·ms]
 *   P_ref      = median of pressure over the dispatched nodes P_t        [sample·ms]
 *   threads_i  = clamp(round(baseThreads · pressure_i / P_ref), minThreads, min(maxThreads, cores_i))
 *   ioQueue_i  = clamp(round(baseQueue · pressure_i / P_ref), minQueue, maxQueue)
 *
 * round = half up (floor(x + ½)), after the same ulp-sized snap onto a rounding boundary as S2
 * (see snapToRoundingBoundary), so 8 · 5/16 = 2.5 rounds to 3 however it is evaluated. A node at the median load gets the base allocation; a node
 * with twice the load gets twice the threads and queue, within the bounds.
 */
import { applyRounding, clamp } from './s2-batch-size.js';

export const S3_DEFAULTS = {
  baseThreads: 4, minThreads: 1, maxThreads: 32, baseQueue: 8, minQueue: 1, maxQueue: 64,
} as const;

/** S3's settings (their schema: scenario/schema.ts). */
export interface S3Config {
  baseThreads: number;
  minThreads: number;
  maxThreads: number;
  baseQueue: number;
  minQueue: number;
  maxQueue: number;
}

export interface ResourceAllocation {
  threads: number;
  ioQueue: number;
}

/** claim 4: pressure = batch × previous-round mean response time. */
export function pressureOf(batch: number, responseMs: number): number {
  return batch * responseMs;
}

/**
 * Median (mean of the two middle values when the count is even). P_t empty means nothing
 * is dispatched and there is nothing to allocate; asking for its median is a bug, so this
 * throws rather than returning NaN that would poison every allocation.
 */
export function referencePressure(pressures: readonly number[] | Float64Array): number {
  if (pressures.length === 0) throw new RangeError('referencePressure needs at least one pressure (P_t is empty)');
  // a numeric sort without a comparator call per comparison (131,072 pressures a round); the
  // comparator's order where a NaN leaves the typed sort's order undefined relative to it
  const sorted = pressures.some(Number.isNaN) ? [...pressures].sort((a, b) => a - b) : Float64Array.from(pressures).sort();
  const middle = Math.floor(sorted.length / 2);
  if (sorted.length % 2 === 1) return sorted[middle]!;
  const [low, high] = [sorted[middle - 1]!, sorted[middle]!];
  // two finite pressures near the top of the float range would sum to Infinity: halved first
  // then (the same value wherever the sum is finite, so no run's numbers change)
  const sum = low + high;
  return Number.isFinite(sum) ? sum / 2 : low / 2 + high / 2;
}

/**
 * A dispatched node's pressure that is not a finite number: its step time (ioMsPerBatch,
 * stepOverheadMs or batch × msPerSample at 1e308 scale) is beyond what can be simulated. The
 * pipeline stays pure and throws this; the round's plan phase turns it into a time divergence
 * that names the node (run/plan.ts).
 */
export class PressureOverflow extends RangeError {
  constructor(readonly node: number, readonly batch: number, readonly responseMs: number) {
    super(`node ${node}'s pressure at batch ${batch} and response ${responseMs} ms is not finite`);
    this.name = 'PressureOverflow';
  }
}

/**
 * Threads and I/O queue for one node. P_ref ≤ 0 (the median node has no measurable load, e.g.
 * zero-cost steps) leaves nothing to compare against, so every node gets ratio 1: the base
 * allocation. When cores < minThreads the core count wins (a node never gets more threads
 * than cores).
 */
export function allocateResources(pressure: number, pRef: number, cores: number, cfg: S3Config): ResourceAllocation {
  if (!Number.isFinite(pressure) || !Number.isFinite(pRef)) {
    throw new RangeError(`pressure and P_ref must be finite, got ${pressure} and ${pRef}`);
  }
  const [load, reference] = pRef > 0 ? [pressure, pRef] : [1, 1];
  return {
    threads: clamp(applyRounding((cfg.baseThreads * load) / reference, 'round'), cfg.minThreads, Math.min(cfg.maxThreads, cores)),
    ioQueue: clamp(applyRounding((cfg.baseQueue * load) / reference, 'round'), cfg.minQueue, cfg.maxQueue),
  };
}

/** The `fixed` resources stage: S3 with pressure / P_ref = 1 (base allocation, clamped). */
export function fixedResources(cores: number, cfg: S3Config): ResourceAllocation {
  return allocateResources(1, 1, cores, cfg);
}
