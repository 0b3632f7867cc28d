/**
 * Largest and smallest of many numbers. `Math.max(...values)` passes every value as a call
 * argument, and a few hundred thousand of them (a day of 1 Hz samples, a big dataset)
 * overflow the call stack. Folding with Math.max/Math.min keeps their exact semantics (NaN
 * wins, +0 beats −0, −Infinity / +Infinity for no values).
 */

export function maxOf(values: Iterable<number>, start = -Infinity): number {
  let max = start;
  for (const value of values) max = Math.max(max, value);
  return max;
}

export function minOf(values: Iterable<number>, start = Infinity): number {
  let min = start;
  for (const value of values) min = Math.min(min, value);
  return min;
}
