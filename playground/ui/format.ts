/** How the page writes numbers: short, fixed, and a dash for a missing (null) value. */

export const MISSING = '–';

/** `digits` decimals; a number too large or too small for them (a diverging loss) in exponent form. */
export function fixed(value: number | null | undefined, digits: number): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return MISSING;
  const magnitude = Math.abs(value);
  if (magnitude >= 1e6 || (magnitude > 0 && magnitude < 10 ** -digits)) return value.toExponential(2);
  return value.toFixed(digits);
}

/** `digits` significant digits, for values from 1 down to a thousandth (weights of many nodes). */
export function significant(value: number | null | undefined, digits: number): string {
  if (typeof value !== 'number' || !Number.isFinite(value)) return MISSING;
  if (value === 0) return '0';
  const magnitude = Math.abs(value);
  if (magnitude >= 1e6 || magnitude < 1e-4) return value.toExponential(digits - 1);
  return value.toPrecision(digits);
}

/** Simulated milliseconds: `85 ms`, `1.25 s`, `2 min 05 s`. */
export function duration(ms: number | null | undefined): string {
  if (typeof ms !== 'number' || !Number.isFinite(ms)) return MISSING;
  if (Math.abs(ms) < 1000) return `${ms.toFixed(ms < 10 ? 1 : 0)} ms`;
  const s = ms / 1000;
  if (Math.abs(s) < 120) return `${s.toFixed(2)} s`;
  const minutes = Math.floor(s / 60);
  return `${minutes} min ${String(Math.round(s - minutes * 60)).padStart(2, '0')} s`;
}

export function percent(value: number | null | undefined, digits = 1): string {
  return typeof value === 'number' && Number.isFinite(value) ? `${(value * 100).toFixed(digits)} %` : MISSING;
}
