/**
 * The study's own command-line values: `--seeds` (`1..20`, `1,2,7` or both mixed) and
 * `--target` (an accuracy in (0, 1]). Commander reports the InvalidArgumentError naming the
 * flag (exit 2).
 */
import { InvalidArgumentError } from 'commander';
import { parseDecimal } from '../text/decimal.js';

/** Seeds are scenario seeds: whole numbers ≥ 0; a study beyond this many is a typo. */
export const MAX_SEEDS = 10_000;

export function parseSeeds(text: string): number[] {
  const items = text.split(',').map((item) => item.trim());
  if (text.trim() === '' || items.some((item) => item === '')) {
    throw new InvalidArgumentError(`--seeds must list seeds, e.g. 1..20 or 1,2,5, found '${text}' (an empty seed list).`);
  }
  const seeds: number[] = [];
  const seen = new Set<number>();
  for (const item of items) {
    const range = /^(\d+)\.\.(\d+)$/.exec(item);
    let from: number;
    let to: number;
    if (range !== null) {
      from = Number(range[1]);
      to = Number(range[2]);
      if (to < from) throw new InvalidArgumentError(`--seeds: the range ${item} is empty (it counts up: write ${to}..${from}).`);
    } else if (/^\d+$/.test(item)) {
      from = to = Number(item);
    } else {
      throw new InvalidArgumentError(`--seeds must be whole numbers ≥ 0 or ranges FROM..TO, e.g. 1..20, found '${item}'.`);
    }
    if (!Number.isSafeInteger(to) || to - from + 1 + seeds.length > MAX_SEEDS) {
      throw new InvalidArgumentError(`--seeds: at most ${MAX_SEEDS} seeds of at most ${Number.MAX_SAFE_INTEGER}, found '${text}'.`);
    }
    for (let seed = from; seed <= to; seed++) {
      if (seen.has(seed)) throw new InvalidArgumentError(`--seeds: seed ${seed} is listed twice.`);
      seen.add(seed);
      seeds.push(seed);
    }
  }
  return seeds;
}

export function parseTarget(text: string): number {
  const value = parseDecimal(text);
  if (value === undefined || !(value > 0 && value <= 1)) {
    throw new InvalidArgumentError(`--target must be an accuracy in (0, 1], e.g. 0.9, found '${text}'.`);
  }
  return value;
}
