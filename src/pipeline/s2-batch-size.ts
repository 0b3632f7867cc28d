/**
 * S2 — batch size from efficiency (claim 3; SPEC §2 S2).
 *
 *   b'_i    = B · e_i / (e_i + 1)                  [samples]  (a perfect node, e = 1, gets B/2)
 *   batch_i = clamp(rounding(b'_i), minBatch, maxBatch ?? B)   integer ≥ 0
 *
 * `rounding` is `floor` (claim 3 "drop the fraction", default), `ceil` ("pad") or `round`
 * (half up: floor(x + ½), SPEC §2 S3). A batch of 0 means the node is not dispatched.
 */
export const S2_DEFAULTS = { standardBatch: 64, rounding: 'floor', minBatch: 0 } as const;

export type Rounding = 'floor' | 'ceil' | 'round';

/** S2's settings (their schema: scenario/schema.ts). */
export interface S2Config {
  standardBatch: number;
  rounding: Rounding;
  minBatch: number;
  /** null = the standard batch B */
  maxBatch: number | null;
}

/** Relative distance under which a value counts as sitting on a rounding boundary. */
const BOUNDARY_TOLERANCE = 1e-12;

/** claim 3: the preliminary (real-valued) batch B·e/(e+1). */
export function preliminaryBatch(efficiency: number, standardBatch: number): number {
  return (standardBatch * efficiency) / (efficiency + 1);
}

/**
 * Half-up rounding, floor(x + ½), done as "fraction ≥ ½ ? floor + 1 : floor" because x − floor(x)
 * is exact in binary floating point while x + ½ is not (0.49999999999999994 + 0.5 === 1).
 */
export function roundHalfUp(x: number): number {
  const whole = Math.floor(x);
  return x - whole >= 0.5 ? whole + 1 : whole;
}

/**
 * Snap x to the nearest multiple of ½ when it lies within 1e-12 (relative) of it. Multiples
 * of ½ are exactly where floor, ceil and half-up round change value, and float arithmetic can
 * land an ulp short of them: 64·0.6/1.6 evaluates to 23.999999999999996, which must floor to
 * 24, not 23. Values a true fraction away from a boundary (e.g. 64·0.5/1.5 = 21.333…) are
 * left untouched; the error being absorbed is ~1e-16 relative.
 */
export function snapToRoundingBoundary(x: number): number {
  const boundary = Math.round(x * 2) / 2;
  return Math.abs(x - boundary) <= BOUNDARY_TOLERANCE * Math.max(1, Math.abs(x)) ? boundary : x;
}

export function applyRounding(x: number, rounding: Rounding): number {
  const snapped = snapToRoundingBoundary(x);
  if (rounding === 'floor') return Math.floor(snapped);
  if (rounding === 'ceil') return Math.ceil(snapped);
  return roundHalfUp(snapped);
}

/** min(max(x, lo), hi): when the bounds cross, the upper bound wins. */
export function clamp(x: number, lo: number, hi: number): number {
  return Math.min(Math.max(x, lo), hi);
}

/**
 * The node's batch for the round. Efficiency outside [0, 1] (or NaN) is a bug upstream and
 * throws. If minBatch > maxBatch the upper bound wins, so a batch never exceeds maxBatch.
 */
export function chooseBatchSize(efficiency: number, cfg: S2Config): number {
  if (!(efficiency >= 0 && efficiency <= 1)) {
    throw new RangeError(`efficiency must be in [0, 1], got ${efficiency}`);
  }
  const rounded = applyRounding(preliminaryBatch(efficiency, cfg.standardBatch), cfg.rounding);
  return clamp(rounded, cfg.minBatch, cfg.maxBatch ?? cfg.standardBatch);
}
