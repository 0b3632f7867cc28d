/**
 * The batch sizes `calibrate --measure` times (SPEC §8: at least 6, from 1 to B): powers of
 * two from 1 and B itself, so that alternate sizes (fit / held out) cover the whole range;
 * when B is small, every size from 1 to max(B, 6).
 */
export const MIN_SIZES = 6;

export function measuredBatchSizes(standardBatch: number): number[] {
  const sizes: number[] = [];
  for (let b = 1; b < standardBatch; b *= 2) sizes.push(b);
  sizes.push(standardBatch);
  if (sizes.length >= MIN_SIZES) return sizes;
  return Array.from({ length: Math.max(standardBatch, MIN_SIZES) }, (_, i) => i + 1);
}
