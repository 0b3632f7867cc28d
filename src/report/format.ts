/**
 * Fixed-precision formatters shared by the terminal reports. Every function is pure and
 * locale-independent (no `toLocaleString`, whose output depends on the host's ICU data),
 * so the same numbers always print the same characters on every machine.
 * A missing value — `null`, `undefined`, NaN or ±Infinity — prints as {@link NONE}.
 */

import { longTimeReading } from '../text/duration.js';

/** What a cell shows when there is no value (never / not applicable / non-finite). */
export const NONE = '–';

const MS_PER_SECOND = 1000;

function isPresent(value: number | null | undefined): value is number {
  return typeof value === 'number' && Number.isFinite(value);
}

/** `toFixed` without the `-0.000` that tiny negative values round to. */
function toFixedUnsigned(value: number, decimals: number): string {
  const text = value.toFixed(decimals);
  return /^-0(\.0*)?$/.test(text) ? text.slice(1) : text;
}

/** A number with exactly `decimals` decimals: `formatFixed(0.91234, 4)` → `0.9123`. */
export function formatFixed(value: number | null | undefined, decimals: number): string {
  return isPresent(value) ? toFixedUnsigned(value, decimals) : NONE;
}

/** S1 communication efficiency ∈ [0, 1], 3 decimals: `0.850`. */
export function formatEfficiency(value: number | null | undefined): string {
  return formatFixed(value, 3);
}

/**
 * S4 aggregation weight ∈ [0, 1], 3 decimals: `0.250`. Only an exact 0 prints `0.000` and
 * only an exact 1 `1.000`: a weight that would round to either shows as `<0.001` / `>0.999`,
 * so a node that still counts (a little) is never mistaken for one left out.
 */
export function formatWeight(value: number | null | undefined): string {
  if (isPresent(value) && value > 0 && value < 0.0005) return '<0.001';
  if (isPresent(value) && value < 1 && value >= 0.9995) return '>0.999';
  return formatFixed(value, 3);
}

/** S4 gradient-norm volatility, 3 decimals: `0.042`. */
export function formatVolatility(value: number | null | undefined): string {
  return formatFixed(value, 3);
}

/** Test-split accuracy ∈ [0, 1], 4 decimals: `0.9123`. */
export function formatAccuracy(value: number | null | undefined): string {
  return formatFixed(value, 4);
}

/** Test-split loss, 4 decimals: `0.4821`. */
export function formatLoss(value: number | null | undefined): string {
  return formatFixed(value, 4);
}

/** A fraction as a percentage: `formatPercent(0.9123)` → `91.2%`. */
export function formatPercent(value: number | null | undefined, decimals = 1): string {
  return isPresent(value) ? `${toFixedUnsigned(value * 100, decimals)}%` : NONE;
}

/** A plain millisecond figure for a table column (unit in the header), 1 decimal: `12.8`. */
export function formatMs(value: number | null | undefined): string {
  return formatFixed(value, 1);
}

/** Milliseconds as seconds with 3 decimals, always: `6420` → `6.420 s` (round lines). */
export function formatSeconds(ms: number | null | undefined): string {
  return isPresent(ms) ? `${toFixedUnsigned(ms / MS_PER_SECOND, 3)} s` : NONE;
}

/**
 * A duration in the unit a reader expects: under a second in whole ms (`850 ms`; one
 * decimal under 10 ms, `2.5 ms`, so sub-ms steps do not print as `0 ms`), otherwise
 * seconds with 3 decimals (`1.234 s`). 999.7 ms rounds to `1.000 s`, not `1000 ms`. From ten
 * minutes on, its reading in min or h stands beside it: `161368.324 s (44.8 h)`.
 */
export function formatDuration(ms: number | null | undefined): string {
  if (!isPresent(ms)) return NONE;
  const magnitude = Math.abs(ms);
  if (magnitude < 9.95) return `${toFixedUnsigned(ms, 1)} ms`;
  if (magnitude < MS_PER_SECOND - 0.5) return `${toFixedUnsigned(ms, 0)} ms`;
  return formatSeconds(ms) + longTimeReading(ms / MS_PER_SECOND);
}

/** `formatSeconds`, with a long time's reading in min or h beside it: `161368.324 s (44.8 h)`. */
export function formatSecondsRead(ms: number | null | undefined): string {
  return isPresent(ms) ? formatSeconds(ms) + longTimeReading(ms / MS_PER_SECOND) : NONE;
}

/** An integer count with `,` thousands separators: `1234567` → `1,234,567`. */
export function formatCount(value: number | null | undefined): string {
  if (!isPresent(value)) return NONE;
  const digits = toFixedUnsigned(Math.round(value), 0);
  const sign = digits.startsWith('-') ? '-' : '';
  const unsigned = sign ? digits.slice(1) : digits;
  return sign + unsigned.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/**
 * A whole-number quantity (batch, threads, queue depth): `32`. A non-integer (a mean of
 * whole numbers) keeps one decimal: `10.5`; the tables' medians are lower medians, whole.
 */
export function formatInteger(value: number | null | undefined): string {
  if (!isPresent(value)) return NONE;
  return toFixedUnsigned(value, Number.isInteger(value) ? 0 : 1);
}
