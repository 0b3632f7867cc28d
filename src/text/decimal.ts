/**
 * A number typed by a user, in plain decimal only. `Number()` also reads `0x10`, `0o17`,
 * `0b1`, `Infinity`, '' (as 0) and `1e999` (as Infinity), none of which a user means as a
 * count or a tolerance.
 */
const DECIMAL = /^[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/;

/** A finite decimal number (`12`, `-0.5`, `1e-6`), else undefined; blanks around it are not part of a number. */
export function parseDecimal(text: string): number | undefined {
  if (!DECIMAL.test(text)) return undefined;
  const value = Number(text);
  // `-0` is 0 to everyone but Object.is
  return Number.isFinite(value) ? value + 0 : undefined;
}
