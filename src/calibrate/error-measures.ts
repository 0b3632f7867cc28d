/** How far predictions are from what was measured, as people read it: a percentage. */

/** Mean absolute percentage error, in %: mean of |predicted − measured| / measured × 100. */
export function meanAbsolutePercentageError(measured: ArrayLike<number>, predicted: ArrayLike<number>): number {
  let sum = 0;
  for (let i = 0; i < measured.length; i++) sum += Math.abs(predicted[i]! - measured[i]!) / measured[i]!;
  return (100 * sum) / measured.length;
}

/** Median of a non-empty list (mean of the two middle values when even); the input is not reordered. */
export function median(values: readonly number[]): number {
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Every other item, from the first (the fit) and from the second (held out): a split anyone can redo by hand. */
export function alternate<T>(items: readonly T[]): { fit: T[]; heldOut: T[] } {
  const fit: T[] = [];
  const heldOut: T[] = [];
  items.forEach((item, i) => (i % 2 === 0 ? fit : heldOut).push(item));
  return { fit, heldOut };
}
