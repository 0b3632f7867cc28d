/**
 * S1 — communication efficiency (claim 2; SPEC §2 S1).
 *
 *   effectiveMs_i = Δ · #{samples of the window with latency < thresholdMs}   [ms]
 *   observedMs_i  = K · Δ,  K = windowMs / Δ                                  [ms]
 *   efficiency_i  = effectiveMs_i / observedMs_i                              [0, 1]
 *
 * Monitoring samples every node once per Δ = `intervalMs`, at the grid times k·Δ. Round t,
 * starting at T, reads the K samples in the window [T − windowMs, T). A lost sample (null:
 * the latency process said "loss" or "down") is not effective, and a latency equal to the
 * threshold is not effective either: claim 2 keeps the samples *below* the threshold.
 */
export const S1_DEFAULTS = { intervalMs: 100, windowMs: 2000, thresholdMs: 50 } as const;

/** In ms. Its scenario schema (durations with units) is the scenario's: scenario/schema.ts. */
export interface S1Config {
  intervalMs: number;
  windowMs: number;
  thresholdMs: number;
}

export interface Efficiency {
  /** effectiveMs / observedMs, in [0, 1] */
  efficiency: number;
  effectiveMs: number;
  observedMs: number;
}

/** Relative slack when deciding that windowMs / intervalMs is a whole number (float noise). */
const WHOLE_RATIO_TOLERANCE = 1e-9;

/**
 * K = windowMs / intervalMs. Scenario validation rejects windows that are not a multiple of
 * the interval; reaching here with one is a bug, so this throws instead of guessing.
 */
export function samplesPerWindow(cfg: Pick<S1Config, 'intervalMs' | 'windowMs'>): number {
  const ratio = cfg.windowMs / cfg.intervalMs;
  const count = Math.round(ratio);
  if (!(count >= 1) || Math.abs(ratio - count) > WHOLE_RATIO_TOLERANCE * count) {
    throw new RangeError(`s1.windowMs (${cfg.windowMs}) must be a positive multiple of s1.intervalMs (${cfg.intervalMs})`);
  }
  return count;
}

/**
 * The grid times k·Δ inside [T − windowMs, T), oldest first: exactly K of them.
 *
 * The first index is kFirst = ceil((T − W) / Δ) (T = 2000.0000000001 gives 1: slot 0 lies just
 * before the window). The division can land an ulp off a whole number, so kFirst is then
 * nudged until kFirst·Δ (as evaluated) is the first grid time at or after T − W: with Δ = 0.1
 * and T − W = 0.6000000000000001 the quotient is 6.000000000000001, yet slot 6 (0.6000000000000001)
 * is inside the window. Times are k·Δ from the integer k (no accumulated sums); adding the offset
 * (+0 for the first) turns a −0 from Math.ceil into +0, so grid time zero is never −0.
 */
export function windowSampleTimesMs(roundStartMs: number, cfg: Pick<S1Config, 'intervalMs' | 'windowMs'>): number[] {
  if (!Number.isFinite(roundStartMs)) throw new RangeError(`round start must be finite, got ${roundStartMs}`);
  const count = samplesPerWindow(cfg);
  const stepMs = cfg.intervalMs;
  const windowStartMs = roundStartMs - cfg.windowMs;
  let kFirst = Math.ceil(windowStartMs / stepMs);
  while ((kFirst - 1) * stepMs >= windowStartMs) kFirst -= 1;
  while (kFirst * stepMs < windowStartMs) kFirst += 1;
  return Array.from({ length: count }, (_, offset) => (kFirst + offset) * stepMs);
}

/**
 * Efficiency of one node from its window's samples (null = lost). K is the number of samples
 * given. The ratio is taken as count / K, which equals effectiveMs / observedMs without the
 * extra rounding of multiplying both by Δ. No samples (K = 0) gives efficiency 0: with no
 * evidence of a usable link the node is not dispatched.
 */
export function computeEfficiency(samplesMs: ReadonlyArray<number | null>, cfg: Pick<S1Config, 'intervalMs' | 'thresholdMs'>): Efficiency {
  // counted in a loop, not filter().length: this runs for every node of every round
  let effectiveCount = 0;
  for (const latencyMs of samplesMs) if (latencyMs !== null && latencyMs < cfg.thresholdMs) effectiveCount++;
  return efficiencyFromCount(effectiveCount, samplesMs.length, cfg);
}

/** Efficiency from the count of effective samples among `total` (shared with SampleWindows). */
export function efficiencyFromCount(effectiveCount: number, total: number, cfg: Pick<S1Config, 'intervalMs'>): Efficiency {
  return {
    efficiency: total === 0 ? 0 : effectiveCount / total,
    effectiveMs: cfg.intervalMs * effectiveCount,
    observedMs: cfg.intervalMs * total,
  };
}
