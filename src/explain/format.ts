/**
 * Numbers in explanations. Every printed number is a record value (or a value recomputed
 * from records and the scenario) rounded to a fixed number of decimals with trailing zeros
 * dropped, so `28.44`, `1164.8` and `4` read naturally and still equal the JSON value at
 * the printed precision. Locale-independent (no toLocaleString).
 */

/** Decimals per quantity: times in ms, S2's b', pressures, norms / volatilities / weights. */
export const DECIMALS = { ms: 3, batch: 2, pressure: 3, ratio: 2, norm: 4, share: 4 } as const;

/** toFixed(decimals) without trailing zeros or a `-0`: `num(28.4444, 2)` → `28.44`, `num(4, 2)` → `4`. */
export function num(value: number, decimals: number): string {
  let text = value.toFixed(decimals);
  if (text.includes('.')) text = text.replace(/0+$/, '').replace(/\.$/, '');
  return text === '-0' ? '0' : text;
}

/** At least `min` decimals (trailing zeros kept up to there), at most `max`: `0.80`, `0.8333`. */
export function numMin(value: number, min: number, max: number): string {
  const text = num(value, max);
  const dot = text.indexOf('.');
  const decimals = dot === -1 ? 0 : text.length - dot - 1;
  if (decimals >= min) return text;
  return `${dot === -1 ? `${text}.` : text}${'0'.repeat(min - decimals)}`;
}

/** Efficiency: 2 to 4 decimals (`0.80`, `0.8333`, `1.00`). */
export function eff(value: number): string {
  return numMin(value, 2, 4);
}

/** num(value, decimals), but a non-zero value below `tiny` (which would print as 0) keeps 2 significant digits. */
function visible(value: number, decimals: number, tiny: number): string {
  if (value !== 0 && Math.abs(value) < tiny) return `${Number(value.toPrecision(2))}`;
  return num(value, decimals);
}

/** A simulated time or duration in ms: `412.3 ms`; a tiny non-zero one keeps 2 significant digits (`0.00048 ms`). */
export function ms(value: number): string {
  return `${visible(value, DECIMALS.ms, 0.0005)} ms`;
}

/**
 * A share (an S4 weight): 4 decimals; a non-zero one too small for them keeps 2 significant
 * digits (`0.000021`), so a participant of a large round never reads as weighed 0.
 */
export function share(value: number): string {
  return visible(value, DECIMALS.share, 0.00005);
}

/**
 * A stage's working that explain has no words for (a plug-in's, or `cores`): `name = value`
 * pairs, numbers at `decimals` but a non-zero one too small for them with 2 significant digits
 * (a plug-in's share of a 131,072-node round is about 0.0000076, not 0).
 */
export function workingPairs(working: Readonly<Record<string, number | string | null>>, decimals: number): string[] {
  return Object.entries(working).map(([key, value]) => `${key} = ${typeof value === 'number' ? visible(value, decimals, 0.5 * 10 ** -decimals) : String(value)}`);
}

/** A list printed in full up to `max` values, else its count and extremes. */
export function listOf(values: readonly string[], max = 8): string {
  return values.length <= max ? values.join(', ') : `${values.slice(0, 3).join(', ')}, … ${values.at(-1)} (${values.length} values)`;
}
