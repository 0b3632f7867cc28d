/**
 * Numbers typed on the command line (issue 9): plain decimal only. `Number()` also reads
 * `0x10`, `0o17`, `0b1`, `Infinity`, '' (as 0) and `1e999` (as Infinity), none of which a
 * user means as a count or a tolerance; every numeric flag goes through here instead.
 * An override of a scenario field gets the field's own bounds, so that `--rounds 100001`
 * is refused like `rounds: 100001` in the file.
 */
import { InvalidArgumentError } from 'commander';
import { MAX_ROUNDS } from '../scenario/schema.js';
import { parseDecimal } from '../text/decimal.js';

export { parseDecimal };

export interface WholeNumberBounds {
  min: number;
  max?: number;
}

function boundsText({ min, max }: WholeNumberBounds): string {
  return max === undefined ? `a whole number ≥ ${min}` : `a whole number from ${min} to ${max}`;
}

/** A whole number within bounds (at most 2^53 − 1); commander reports the InvalidArgumentError (exit 2). */
export function wholeNumberFlag(flag: string, bounds: WholeNumberBounds) {
  return (text: string): number => {
    const value = /^\d+$/.test(text) ? Number(text) : NaN;
    const max = bounds.max ?? Number.MAX_SAFE_INTEGER;
    if (!Number.isSafeInteger(value) || value < bounds.min || value > max) {
      // digits past 2^53 − 1 read as another number: the open bound is then the one to name
      const tooLarge = bounds.max === undefined && /^\d+$/.test(text) && !Number.isSafeInteger(value);
      const expected = tooLarge ? `a whole number from ${bounds.min} to ${Number.MAX_SAFE_INTEGER} (2^53 − 1)` : boundsText(bounds);
      throw new InvalidArgumentError(`${flag} must be ${expected}, found '${text}'.`);
    }
    return value;
  };
}

/** `--rounds`: the scenario's `rounds` bounds. */
export const roundsFlag = wholeNumberFlag('--rounds', { min: 1, max: MAX_ROUNDS });

/** `--seed`: the scenario's `seed` bounds (any safe integer ≥ 0). */
export const seedFlag = wholeNumberFlag('--seed', { min: 0 });
