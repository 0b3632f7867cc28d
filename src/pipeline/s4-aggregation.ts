/**
 * S4 — inverse gradient-volatility weights (claim 1 S4; SPEC §2 S4).
 *
 *   history_i = the L2 norms n_i of the node's pseudo-gradients, last `window` rounds it took part in
 *   v_i (cv)        = population std(history_i) / mean(history_i)              (≥ 2 entries)
 *   v_i (relchange) = |n_i − n_i,prev| / n_i,prev                              (≥ 2 entries)
 *   w_i = (1 / (v_i + ε)) / Σ_{j∈P_t} (1 / (v_j + ε))                          (Σ w = 1)
 *
 * ε keeps a node with zero volatility from taking all the weight (and 1/0). A node without
 * enough history takes the mean volatility of those that have it; if none has, the weights
 * are equal. `maxWeight` optionally caps any share, the excess going to the others in
 * proportion to their weights.
 */
export const S4_DEFAULTS = { volatility: 'cv', window: 5, epsilon: 1e-3 } as const;

export type VolatilityKind = 'cv' | 'relchange';

/** S4's settings (their schema: scenario/schema.ts). */
export interface S4Config {
  volatility: VolatilityKind;
  window: number;
  epsilon: number;
  /** cap on any node's share, excess redistributed proportionally; null = no cap */
  maxWeight: number | null;
}

/**
 * Volatility of a gradient-norm history (oldest first, this round's norm last); null with
 * fewer than 2 entries. cv with mean 0 (all norms 0: nothing moved) is 0. relchange compares
 * the last two entries; from a previous norm of 0 it is 0 if the norm is still 0, else 1 — the
 * change measured against the new norm, |n − 0| / n, so the value stays finite.
 */
export function volatilityOf(history: readonly number[], kind: VolatilityKind): number | null {
  return volatilityOfRange(history, 0, history.length, kind);
}

/**
 * volatilityOf of the `length` norms from `start` (oldest first) of a longer column: S4's
 * histories of every node are kept in one (norm-histories.ts). The sums run in the history's
 * order, so both give the same bits.
 */
export function volatilityOfRange(values: ArrayLike<number>, start: number, length: number, kind: VolatilityKind): number | null {
  if (length < 2) return null;
  const end = start + length;
  if (kind === 'relchange') {
    const current = values[end - 1]!;
    const previous = values[end - 2]!;
    if (previous === 0) return current === 0 ? 0 : 1;
    return Math.abs(current - previous) / previous;
  }
  let sum = 0;
  for (let j = start; j < end; j++) sum += values[j]!;
  const mean = sum / length;
  if (mean === 0) return 0;
  let squares = 0;
  for (let j = start; j < end; j++) squares += (values[j]! - mean) ** 2;
  return Math.sqrt(squares / length) / mean;
}

function equalWeights(count: number): number[] {
  return Array.from({ length: count }, () => 1 / count);
}

/**
 * Cap every share at maxWeight and hand the excess to the uncapped nodes in proportion to
 * their weights, repeating until no share exceeds the cap (at most n passes: each pass caps at
 * least one more node). The input is normalised to sum 1 first. A cap with maxWeight · n < 1
 * cannot be met by any weights summing to 1, so the result is then equal weights — the
 * closest feasible answer.
 */
export function capWeights(weights: readonly number[], maxWeight: number): number[] {
  const count = weights.length;
  if (count === 0) return [];
  if (maxWeight * count < 1) return equalWeights(count);
  const total = weights.reduce((sum, w) => sum + w, 0);
  const shares = weights.map((w) => (total > 0 ? w / total : 1 / count));
  const capped = shares.map(() => false);
  let result = shares;
  for (;;) {
    const over = result.map((w, i) => !capped[i] && w > maxWeight);
    if (!over.includes(true)) return result;
    over.forEach((isOver, i) => { if (isOver) capped[i] = true; });
    const cappedCount = capped.filter(Boolean).length;
    const freeMass = 1 - cappedCount * maxWeight;
    const uncappedTotal = shares.reduce((sum, w, i) => (capped[i] ? sum : sum + w), 0);
    const uncappedCount = count - cappedCount;
    result = shares.map((w, i) => {
      if (capped[i]) return maxWeight;
      // Nodes with zero weight share the free mass equally when no uncapped node has any.
      return uncappedTotal > 0 ? (w * freeMass) / uncappedTotal : freeMass / uncappedCount;
    });
  }
}

/**
 * The volatility S4 weighs each participant by (same order): its own, or, for a node with too
 * few norms (null), the mean of the known ones. All null when none is known: the weights are
 * then equal and no volatility is used. Reports show these values, so a filled-in node shows
 * the mean it was weighed by, not "none". A negative or non-finite volatility is a bug
 * upstream and throws.
 */
export function volatilitiesUsed(volatilities: ReadonlyArray<number | null>): Array<number | null> {
  // one pass to check and sum the known ones, in order (a round has one per participant)
  let sum = 0;
  let known = 0;
  for (let k = 0; k < volatilities.length; k++) {
    const v = volatilities[k]!;
    if (v === null) continue;
    if (!(Number.isFinite(v) && v >= 0)) throw new RangeError(`volatility must be a finite number ≥ 0, got ${v}`);
    sum += v;
    known++;
  }
  const used = new Array<number | null>(volatilities.length);
  const fill = known === 0 ? null : sum / known;
  for (let k = 0; k < volatilities.length; k++) used[k] = volatilities[k] ?? fill;
  return used;
}

/**
 * Inverse-volatility weights over the participating nodes (same order as `volatilities`).
 * null = not enough history → the mean of the known volatilities; all null → equal weights.
 */
export function inverseVolatilityWeights(volatilities: ReadonlyArray<number | null>, cfg: S4Config): number[] {
  return weightsFromUsed(volatilitiesUsed(volatilities), cfg);
}

/** inverseVolatilityWeights of volatilities already filled in (volatilitiesUsed's result). */
export function weightsFromUsed(used: ReadonlyArray<number | null>, cfg: S4Config): number[] {
  const count = used.length;
  let weights: number[];
  if (count === 0 || used[0] === null) {
    weights = equalWeights(count);
  } else {
    const inverses = new Array<number>(count);
    let total = 0;
    for (let k = 0; k < count; k++) {
      inverses[k] = 1 / (used[k]! + cfg.epsilon);
      total += inverses[k]!;
    }
    weights = inverses;
    for (let k = 0; k < count; k++) weights[k] = inverses[k]! / total;
  }
  return cfg.maxWeight === null ? weights : capWeights(weights, cfg.maxWeight);
}
