/**
 * Units in scenario files (SPEC §3): a duration is a number in ms or `250ms`, `2s`, `1.5m`,
 * `1h`; a size is bytes or `10MB` (SI: 1 MB = 10⁶ B; `MiB` = 2²⁰); a bandwidth is bits per
 * second or `1Gbps`, `100Mbps`, `10kbps`.
 *
 * Two size grammars: `parseSize` (command-line budgets such as `--max-memory`) reads units in
 * any case, while `parseByteSize` (sizes in scenario files, `model.transferBytes`) follows
 * SPEC §6.3 to the letter: k/K, M, G are powers of 1000 and Ki, Mi, Gi powers of 1024, each
 * with an optional trailing `B`; `m` (milli) and `b` (bits) are refused, not guessed at.
 * Bandwidth prefixes and `ps` are read in any case (`1gbps`, `1GbPS`), but the b only in
 * lower case: `B` is bytes, so `1GBps` is refused with its bits spelling rather than read
 * as 1 Gbit/s, 8× too slow (bytesPerSecondHint).
 */
const DURATION_UNITS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, min: 60_000, h: 3_600_000 };
const SIZE_UNITS: Record<string, number> = {
  b: 1, kb: 1e3, mb: 1e6, gb: 1e9, kib: 1024, mib: 1024 ** 2, gib: 1024 ** 3,
};
const BANDWIDTH_UNITS: Record<string, number> = { bps: 1, kbps: 1e3, mbps: 1e6, gbps: 1e9, tbps: 1e12 };

const QUANTITY = /^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)\s*([a-zA-Z]*)\s*$/;

function parseQuantity(text: string, units: Record<string, number>, bareUnit: number): number | undefined {
  const match = QUANTITY.exec(text);
  if (!match) return undefined;
  const value = Number(match[1]);
  const unit = match[2]!.toLowerCase();
  if (unit === '') return value * bareUnit;
  const factor = units[unit];
  return factor === undefined ? undefined : value * factor;
}

/** Milliseconds, or undefined when the text is not a duration. */
export function parseDuration(text: string): number | undefined {
  return parseQuantity(text, DURATION_UNITS, 1);
}

/** Bytes, or undefined. */
export function parseSize(text: string): number | undefined {
  return parseQuantity(text, SIZE_UNITS, 1);
}

const BYTE_SIZE_UNITS: Record<string, number> = {
  '': 1, B: 1, k: 1e3, K: 1e3, M: 1e6, G: 1e9, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3,
};
const BYTE_SIZE = /^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)\s*(B|[kKMG]i?B?)?\s*$/;

/** Bytes by the scenario's size rules (`100MB`, `1.5Mi`, `512KiB`, `2kB`), or undefined. */
export function parseByteSize(text: string): number | undefined {
  const match = BYTE_SIZE.exec(text);
  if (!match) return undefined;
  const unit = match[2] ?? '';
  // the trailing B only says "bytes": Mi and MiB, k and kB are the same; `ki` matches the
  // pattern but is no unit (the binary prefixes are Ki, Mi, Gi)
  const factor = BYTE_SIZE_UNITS[unit.length > 1 && unit.endsWith('B') ? unit.slice(0, -1) : unit];
  return factor === undefined ? undefined : Number(match[1]) * factor;
}

/** Bits per second, or undefined. */
export function parseBandwidth(text: string): number | undefined {
  if (bytesPerSecondHint(text) !== undefined) return undefined;
  return parseQuantity(text, BANDWIDTH_UNITS, 1);
}

const BYTES_PER_SECOND = /^\s*([-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?)\s*([kKmMgGtT]?)B[pP][sS]\s*$/;
const BYTE_PREFIX_WORDS: Record<string, [bits: string, bytes: string]> = {
  '': ['', 'byte'], k: ['k', 'kilobyte'], m: ['M', 'megabyte'], g: ['G', 'gigabyte'], t: ['T', 'terabyte'],
};

/**
 * For a bandwidth written in bytes per second (`1GBps`, `10MBps`, `5Bps`): the bits spelling
 * of the same speed, in words (`write 8Gbps for 1 gigabyte per second`); else undefined.
 */
export function bytesPerSecondHint(text: string): string | undefined {
  const match = BYTES_PER_SECOND.exec(text);
  if (!match) return undefined;
  const bytes = Number(match[1]);
  const [prefix, word] = BYTE_PREFIX_WORDS[match[2]!.toLowerCase()]!;
  // toPrecision trims float noise: 0.7 × 8 is 5.6000000000000005
  const bits = Number((bytes * 8).toPrecision(12));
  return `write ${bits}${prefix}bps for ${match[1]} ${word}${bytes === 1 ? '' : 's'} per second`;
}

import { z } from 'zod';

type Parser = (text: string) => number | undefined;

/** Which quantity a unit-bearing schema takes, so scenarioJsonSchema() can describe it. */
export interface UnitMeta {
  unit: 'duration' | 'size' | 'bandwidth';
  positive: boolean;
}
export const UNIT_FIELDS = z.registry<UnitMeta>();

/**
 * A zod schema for a unit-bearing quantity: a number (in the base unit) or a string with a
 * unit. `what` is the "expected …" wording in error messages.
 */
function quantity(parse: Parser, what: string, unit: UnitMeta['unit'], options: { min?: number; exclusiveMin?: boolean; refuse?: (text: string) => string | undefined } = {}) {
  const schema = z.union([z.number(), z.string()], { error: () => what }).transform((raw, ctx) => {
    const refusal = typeof raw === 'string' ? options.refuse?.(raw) : undefined;
    if (refusal !== undefined) {
      ctx.addIssue({ code: 'custom', message: refusal, input: raw });
      return z.NEVER;
    }
    const value = typeof raw === 'number' ? raw : parse(raw);
    if (value === undefined || !Number.isFinite(value)) {
      ctx.addIssue({ code: 'custom', message: what, input: raw });
      return z.NEVER;
    }
    const { min, exclusiveMin } = options;
    if (min !== undefined && (exclusiveMin ? value <= min : value < min)) {
      const bound = exclusiveMin ? `> ${min}` : `≥ ${min}`;
      ctx.addIssue({ code: 'custom', message: `${what} ${bound}`, input: raw });
      return z.NEVER;
    }
    return value;
  });
  return schema.register(UNIT_FIELDS, { unit, positive: options.exclusiveMin === true });
}

const DURATION_WORDS = 'a duration (ms, or a string like 250ms, 2s, 1.5m)';

/** Duration in ms, ≥ 0 (or > 0 with `positive`). */
export function durationMs(options: { positive?: boolean } = {}) {
  return quantity(parseDuration, DURATION_WORDS, 'duration', { min: 0, exclusiveMin: options.positive === true });
}

export const SIZE_WORDS = 'a size (bytes, or a string like 100MB, 1.5Mi, 512KiB)';

/** Size in bytes by the scenario's size rules, ≥ 0 (or > 0 with `positive`). */
export function sizeBytes(options: { positive?: boolean } = {}) {
  return quantity(parseByteSize, SIZE_WORDS, 'size', { min: 0, exclusiveMin: options.positive === true });
}

/** Bandwidth in bits per second, > 0. */
export function bandwidthBps() {
  return quantity(parseBandwidth, 'a bandwidth (bits/s, or a string like 1Gbps, 100Mbps)', 'bandwidth', {
    min: 0,
    exclusiveMin: true,
    refuse: (text) => {
      const hint = bytesPerSecondHint(text);
      return hint === undefined ? undefined : `a bandwidth in bits per second, with a lower-case b (${hint})`;
    },
  });
}
